-- Accounts, organisations, sharing labels, sealed PII, the blind index,
-- the audit log, disputes and anti-poisoning (issue 5).

-- A report's personal data (narrative, reporter contact, victim contacts)
-- lives sealed in pii (AES-256-GCM, see internal/auth); narrative stays
-- only for rows written before this migration, which Open seals and
-- blanks. The trigram index of plaintext goes: search uses report_terms.
ALTER TABLE reports ADD COLUMN pii BLOB;
ALTER TABLE reports ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR';
ALTER TABLE reports ADD COLUMN owner_org TEXT;
ALTER TABLE reports ADD COLUMN author TEXT;
-- reporter_net is the pseudonym of the client's network: with reporter
-- (the account, session or network) it tells independent reporters apart.
ALTER TABLE reports ADD COLUMN reporter_net TEXT NOT NULL DEFAULT '';
-- trusted_org is the trusted organisation that vouches for the report
-- (its author's, or the one whose analyst verified it).
ALTER TABLE reports ADD COLUMN trusted_org TEXT;
-- withdraw_hash is the hash of the token that lets an anonymous reporter
-- withdraw their report.
ALTER TABLE reports ADD COLUMN withdraw_hash TEXT;
UPDATE reports SET reporter_net = reporter;
CREATE INDEX reports_author ON reports (author) WHERE author IS NOT NULL;
DROP TABLE reports_fts;

-- Keyed hashes (HMAC) of the words and CJK bigrams of each narrative.
CREATE TABLE report_terms (
	term       BLOB NOT NULL,
	report_seq INTEGER NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
	PRIMARY KEY (term, report_seq)
) WITHOUT ROWID;
CREATE INDEX report_terms_report ON report_terms (report_seq);

-- indicator_reporters keys: a:<reporter>, n:<network>, t:<trusted org>.
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
	created_at INTEGER NOT NULL
);

-- partner sees the TLP:AMBER reports of org.
CREATE TABLE org_partners (
	org     TEXT NOT NULL REFERENCES orgs (id),
	partner TEXT NOT NULL REFERENCES orgs (id),
	PRIMARY KEY (org, partner)
) WITHOUT ROWID;

-- login_hash is a keyed hash of the lower-cased login: found without
-- storing the login in the clear.
CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	login_hash    BLOB NOT NULL UNIQUE,
	pii           BLOB NOT NULL,
	role          TEXT NOT NULL,
	org           TEXT REFERENCES orgs (id),
	password_hash TEXT NOT NULL,
	must_change   INTEGER NOT NULL DEFAULT 0,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
	id         TEXT PRIMARY KEY,
	hash       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	org        TEXT NOT NULL REFERENCES orgs (id),
	perms      TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);

CREATE TABLE disputes (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL,
	value       TEXT NOT NULL,
	pii         BLOB,
	status      TEXT NOT NULL,
	outcome     TEXT,
	created_at  INTEGER NOT NULL,
	resolved_at INTEGER,
	resolved_by TEXT
);
CREATE INDEX disputes_status ON disputes (status, id);

-- Append-only and hash-chained (see internal/auth/audit.go); the triggers
-- refuse edits through SQL, the chain detects edits made around them.
CREATE TABLE audit_log (
	seq    INTEGER PRIMARY KEY,
	at     INTEGER NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev   BLOB,
	hash   BLOB NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
