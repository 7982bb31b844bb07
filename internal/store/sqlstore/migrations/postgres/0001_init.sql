-- Reports, indicators, their links and the networks they form.
-- Times are Unix milliseconds, UTC.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE reports (
	seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	kind           TEXT NOT NULL,
	scam_type      TEXT NOT NULL,
	channel        TEXT NOT NULL,
	narrative      TEXT NOT NULL,
	loss_amount    TEXT,
	loss_currency  TEXT,
	occurred_at    BIGINT,
	victim_country TEXT,
	language       TEXT,
	status         TEXT NOT NULL,
	reporter       TEXT NOT NULL,
	source         TEXT NOT NULL,
	import_key     TEXT UNIQUE,
	network_id     TEXT,
	created_at     BIGINT NOT NULL
);
CREATE INDEX reports_network ON reports (network_id);
CREATE INDEX reports_created ON reports (created_at);
-- The narrative's trigram index: substring search in any script.
CREATE INDEX reports_narrative_trgm ON reports USING gin (narrative gin_trgm_ops);

CREATE TABLE indicators (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind        TEXT NOT NULL,
	value       TEXT NOT NULL,
	reports     INTEGER NOT NULL DEFAULT 0,
	reporters   INTEGER NOT NULL DEFAULT 0,
	first_seen  BIGINT,
	last_seen   BIGINT,
	scam_types  BIGINT NOT NULL DEFAULT 0,
	sources     BIGINT NOT NULL DEFAULT 0,
	known_good  TEXT,
	over_common INTEGER NOT NULL DEFAULT 0,
	network_id  TEXT,
	UNIQUE (kind, value)
);
CREATE INDEX indicators_network ON indicators (network_id) WHERE network_id IS NOT NULL;

CREATE TABLE report_indicators (
	report_seq   BIGINT NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
	indicator_id BIGINT NOT NULL REFERENCES indicators (id),
	role         TEXT NOT NULL,
	origin       TEXT NOT NULL,
	raw          TEXT,
	PRIMARY KEY (report_seq, indicator_id)
);
CREATE INDEX report_indicators_indicator ON report_indicators (indicator_id, report_seq);

CREATE TABLE indicator_reporters (
	indicator_id BIGINT NOT NULL,
	reporter     TEXT NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (indicator_id, reporter)
);

CREATE TABLE networks (
	id         TEXT PRIMARY KEY,
	size       INTEGER NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE sources (
	id   INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 62),
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE idempotency (
	key          TEXT PRIMARY KEY,
	request_hash TEXT NOT NULL,
	report_id    TEXT NOT NULL,
	created_at   BIGINT NOT NULL
);

CREATE TABLE imports (
	key        TEXT PRIMARY KEY,
	path       TEXT NOT NULL,
	line       BIGINT NOT NULL,
	done       INTEGER NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE secrets (
	name  TEXT PRIMARY KEY,
	value BYTEA NOT NULL
);
