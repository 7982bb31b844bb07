-- Trafficking cases, their evidence and leads, and the places reports
-- name (issue 6, docs/cases.md).

-- A case's personal data (the whole report.Case but the columns below)
-- lives sealed in pii (AAD "case:"+id). version is the optimistic lock of
-- UpdateCase: an update of an older version is refused.
CREATE TABLE cases (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	status     TEXT NOT NULL,
	urgency    TEXT NOT NULL,
	owner_org  TEXT,
	assignee   TEXT,
	consent    TEXT NOT NULL,
	source     TEXT NOT NULL,
	version    INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	pii        BLOB NOT NULL
);
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_owner ON cases (owner_org, updated_at, id);

-- A case's values are never kept in the clear: key is the blind index
-- (auth.Keyring.Blind "case-indicator", kind NUL value) by which reports
-- and other cases find the case. Rebuilt when the data key rotates.
CREATE TABLE case_indicators (
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	key     BLOB NOT NULL,
	role    TEXT NOT NULL,
	PRIMARY KEY (case_id, key)
) WITHOUT ROWID;
CREATE INDEX case_indicators_key ON case_indicators (key, case_id);

-- Gazetteer ids of the places a case names.
CREATE TABLE case_places (
	case_id  TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	place_id TEXT NOT NULL,
	PRIMARY KEY (case_id, place_id)
) WITHOUT ROWID;
CREATE INDEX case_places_place ON case_places (place_id, case_id);

-- A family's capability link (the token's SHA-256) and its code's
-- password hash.
CREATE TABLE family_access (
	token_hash TEXT PRIMARY KEY,
	case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	code_hash  TEXT NOT NULL
);
CREATE INDEX family_access_case ON family_access (case_id);

-- Files of a case: pii holds the sealed name and note (AAD
-- "evidence-meta:"+id), data the sealed bytes (AAD "evidence:"+id).
-- phash is the 64-bit perceptual hash of an image, 16 hex digits.
CREATE TABLE evidence (
	id           TEXT PRIMARY KEY,
	case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	pii          BLOB,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	phash        TEXT,
	data         BLOB NOT NULL,
	added_at     INTEGER NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id, id);
CREATE INDEX evidence_phash ON evidence (case_id) WHERE phash IS NOT NULL;

-- The leads each case had as its organisation sees them: when each first
-- appeared and, once gone, when. Diffing against it makes the lead.new and
-- lead.gone alerts; leads themselves are computed when read.
CREATE TABLE leads (
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	lead_id TEXT NOT NULL,
	kind    TEXT NOT NULL,
	since   INTEGER NOT NULL,
	gone_at INTEGER,
	PRIMARY KEY (case_id, lead_id)
) WITHOUT ROWID;

-- Gazetteer ids of the places a report names.
CREATE TABLE report_places (
	report_seq INTEGER NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
	place_id   TEXT NOT NULL,
	PRIMARY KEY (report_seq, place_id)
) WITHOUT ROWID;
CREATE INDEX report_places_place ON report_places (place_id, report_seq);
