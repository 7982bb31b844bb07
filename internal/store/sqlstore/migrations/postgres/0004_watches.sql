-- Watches, alerts and webhook deliveries (issue 6, docs/webhooks.md).
-- See the SQLite migration of the same number for the why of each piece.

CREATE TABLE watches (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL,
	kind        TEXT NOT NULL,
	target_key  TEXT NOT NULL,
	target      BYTEA,
	anchor      TEXT,
	webhook_url TEXT,
	secret      BYTEA,
	created_at  BIGINT NOT NULL
);
CREATE INDEX watches_target ON watches (kind, target_key);
CREATE INDEX watches_user ON watches (user_id, id);

CREATE TABLE alerts (
	id         TEXT PRIMARY KEY,
	watch_id   TEXT NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL,
	event      TEXT NOT NULL,
	case_id    TEXT,
	lead_id    TEXT,
	lead_kind  TEXT,
	report_id  TEXT,
	network_id TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX alerts_user ON alerts (user_id, id);
CREATE INDEX alerts_watch ON alerts (watch_id);

CREATE TABLE deliveries (
	id           TEXT PRIMARY KEY,
	alert_id     TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
	watch_id     TEXT NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
	status       TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	last_code    INTEGER,
	last_error   TEXT,
	next_at      BIGINT,
	delivered_at BIGINT,
	created_at   BIGINT NOT NULL,
	body         BYTEA NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_watch ON deliveries (watch_id, id);
