-- Reports, indicators, their links and the networks they form.
-- Times are Unix milliseconds, UTC.
CREATE TABLE reports (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	kind           TEXT NOT NULL,
	scam_type      TEXT NOT NULL,
	channel        TEXT NOT NULL,
	narrative      TEXT NOT NULL,
	loss_amount    TEXT,
	loss_currency  TEXT,
	occurred_at    INTEGER,
	victim_country TEXT,
	language       TEXT,
	status         TEXT NOT NULL,
	reporter       TEXT NOT NULL,
	source         TEXT NOT NULL,
	import_key     TEXT UNIQUE,
	network_id     TEXT,
	created_at     INTEGER NOT NULL
);
CREATE INDEX reports_network ON reports (network_id);
CREATE INDEX reports_created ON reports (created_at);

-- The narrative's trigram index: substring search in any script.
CREATE VIRTUAL TABLE reports_fts USING fts5 (narrative, tokenize = 'trigram');

CREATE TABLE indicators (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,
	value       TEXT NOT NULL,
	reports     INTEGER NOT NULL DEFAULT 0,
	reporters   INTEGER NOT NULL DEFAULT 0,
	first_seen  INTEGER,
	last_seen   INTEGER,
	scam_types  INTEGER NOT NULL DEFAULT 0,
	sources     INTEGER NOT NULL DEFAULT 0,
	known_good  TEXT,
	over_common INTEGER NOT NULL DEFAULT 0,
	network_id  TEXT,
	UNIQUE (kind, value)
);
CREATE INDEX indicators_network ON indicators (network_id) WHERE network_id IS NOT NULL;

CREATE TABLE report_indicators (
	report_seq   INTEGER NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
	indicator_id INTEGER NOT NULL REFERENCES indicators (id),
	role         TEXT NOT NULL,
	origin       TEXT NOT NULL,
	raw          TEXT,
	PRIMARY KEY (report_seq, indicator_id)
) WITHOUT ROWID;
CREATE INDEX report_indicators_indicator ON report_indicators (indicator_id, report_seq);

-- How many counting reports of each reporter name an indicator: tells
-- distinct reporters without counting anyone twice.
CREATE TABLE indicator_reporters (
	indicator_id INTEGER NOT NULL,
	reporter     TEXT NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (indicator_id, reporter)
) WITHOUT ROWID;

CREATE TABLE networks (
	id         TEXT PRIMARY KEY,
	size       INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);

-- Feeds that list values; an indicator's sources column is a bit set of ids.
CREATE TABLE sources (
	id   INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 62),
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE idempotency (
	key          TEXT PRIMARY KEY,
	request_hash TEXT NOT NULL,
	report_id    TEXT NOT NULL,
	created_at   INTEGER NOT NULL
);

CREATE TABLE imports (
	key        TEXT PRIMARY KEY,
	path       TEXT NOT NULL,
	line       INTEGER NOT NULL,
	done       INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE secrets (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
