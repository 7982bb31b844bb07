-- Accounts, organisations, sharing labels, sealed PII, the blind index,
-- the audit log, disputes and anti-poisoning (issue 5). See the SQLite
-- migration of the same number for the why of each piece.
ALTER TABLE reports ADD COLUMN pii BYTEA;
ALTER TABLE reports ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR';
ALTER TABLE reports ADD COLUMN owner_org TEXT;
ALTER TABLE reports ADD COLUMN author TEXT;
ALTER TABLE reports ADD COLUMN reporter_net TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN trusted_org TEXT;
ALTER TABLE reports ADD COLUMN withdraw_hash TEXT;
UPDATE reports SET reporter_net = reporter;
CREATE INDEX reports_author ON reports (author) WHERE author IS NOT NULL;
DROP INDEX reports_narrative_trgm;

CREATE TABLE report_terms (
	term       BYTEA NOT NULL,
	report_seq BIGINT NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
	PRIMARY KEY (term, report_seq)
);
CREATE INDEX report_terms_report ON report_terms (report_seq);

UPDATE indicator_reporters SET reporter = 'a:' || reporter;
INSERT INTO indicator_reporters (indicator_id, reporter, n)
	SELECT indicator_id, 'n:' || substr(reporter, 3), n FROM indicator_reporters;
-- reporters = min(accounts, networks): one account from many networks, or
-- many accounts from one network, is one reporter (docs/confidence.md).
ALTER TABLE indicators ADD COLUMN accounts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN networks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0;
UPDATE indicators SET accounts = reporters, networks = reporters;
ALTER TABLE indicators ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE orgs (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	trusted    INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE TABLE org_partners (
	org     TEXT NOT NULL REFERENCES orgs (id),
	partner TEXT NOT NULL REFERENCES orgs (id),
	PRIMARY KEY (org, partner)
);

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	login_hash    BYTEA NOT NULL UNIQUE,
	pii           BYTEA NOT NULL,
	role          TEXT NOT NULL,
	org           TEXT REFERENCES orgs (id),
	password_hash TEXT NOT NULL,
	must_change   INTEGER NOT NULL DEFAULT 0,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
	id         TEXT PRIMARY KEY,
	hash       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	org        TEXT NOT NULL REFERENCES orgs (id),
	perms      TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	revoked_at BIGINT
);

CREATE TABLE disputes (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL,
	value       TEXT NOT NULL,
	pii         BYTEA,
	status      TEXT NOT NULL,
	outcome     TEXT,
	created_at  BIGINT NOT NULL,
	resolved_at BIGINT,
	resolved_by TEXT
);
CREATE INDEX disputes_status ON disputes (status, id);

CREATE TABLE audit_log (
	seq    BIGINT PRIMARY KEY,
	at     BIGINT NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev   BYTEA,
	hash   BYTEA NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
