-- Watches, alerts and webhook deliveries (issue 6, docs/webhooks.md).

-- target_key is what an event is matched on: the case or network id for
-- those kinds; for a value, the hex of a blind index (auth.Keyring.Blind
-- "watch-value", kind NUL value), since a caseworker may watch a
-- subject's own account and the value must not lie in the clear. The
-- value itself is kept sealed in target (AAD "watch-target:"+id), and the
-- webhook secret sealed in secret (AAD "watch:"+id).
-- anchor is, for a network watch, a report of that network when the
-- watch was made: networks merge and take another's label, and the watch
-- follows the anchor's current network_id rather than the old label.
-- user_id is an account or "key:"+id, not a foreign key: API keys watch too.
CREATE TABLE watches (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL,
	kind        TEXT NOT NULL,
	target_key  TEXT NOT NULL,
	target      BLOB,
	anchor      TEXT,
	webhook_url TEXT,
	secret      BLOB,
	created_at  INTEGER NOT NULL
);
CREATE INDEX watches_target ON watches (kind, target_key);
CREATE INDEX watches_user ON watches (user_id, id);

-- An alert carries ids only, never personal data: the same body goes to
-- webhooks outside Vigil.
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
	created_at INTEGER NOT NULL
);
CREATE INDEX alerts_user ON alerts (user_id, id);
CREATE INDEX alerts_watch ON alerts (watch_id);

-- body is the exact JSON sent, so the signature of every attempt covers
-- the same bytes and the log shows what left.
CREATE TABLE deliveries (
	id           TEXT PRIMARY KEY,
	alert_id     TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
	watch_id     TEXT NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
	status       TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	last_code    INTEGER,
	last_error   TEXT,
	next_at      INTEGER,
	delivered_at INTEGER,
	created_at   INTEGER NOT NULL,
	body         BLOB NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_watch ON deliveries (watch_id, id);
