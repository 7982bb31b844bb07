-- Trafficking cases, their evidence and leads, and the places reports
-- name (issue 6, docs/cases.md). See the SQLite migration of the same
-- number for the why of each piece.
CREATE TABLE cases (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	status     TEXT NOT NULL,
	urgency    TEXT NOT NULL,
	owner_org  TEXT,
	assignee   TEXT,
	consent    TEXT NOT NULL,
	source     TEXT NOT NULL,
	version    INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	pii        BYTEA NOT NULL
);
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_owner ON cases (owner_org, updated_at, id);

CREATE TABLE case_indicators (
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	key     BYTEA NOT NULL,
	role    TEXT NOT NULL,
	PRIMARY KEY (case_id, key)
);
CREATE INDEX case_indicators_key ON case_indicators (key, case_id);

CREATE TABLE case_places (
	case_id  TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	place_id TEXT NOT NULL,
	PRIMARY KEY (case_id, place_id)
);
CREATE INDEX case_places_place ON case_places (place_id, case_id);

CREATE TABLE family_access (
	token_hash TEXT PRIMARY KEY,
	case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	code_hash  TEXT NOT NULL
);
CREATE INDEX family_access_case ON family_access (case_id);

CREATE TABLE evidence (
	id           TEXT PRIMARY KEY,
	case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	pii          BYTEA,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	phash        TEXT,
	data         BYTEA NOT NULL,
	added_at     BIGINT NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id, id);
CREATE INDEX evidence_phash ON evidence (case_id) WHERE phash IS NOT NULL;

CREATE TABLE leads (
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	lead_id TEXT NOT NULL,
	kind    TEXT NOT NULL,
	since   BIGINT NOT NULL,
	gone_at BIGINT,
	PRIMARY KEY (case_id, lead_id)
);

CREATE TABLE report_places (
	report_seq BIGINT NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
	place_id   TEXT NOT NULL,
	PRIMARY KEY (report_seq, place_id)
);
CREATE INDEX report_places_place ON report_places (place_id, report_seq);
