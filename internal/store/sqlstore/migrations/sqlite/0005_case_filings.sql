-- Case filings by Idempotency-Key: a family whose connection dropped after
-- filing gets the same case, link and code on retrying, from any server,
-- after a restart too. The answer holds the family's link and code, so it
-- is sealed, and rows are dropped after a day.
CREATE TABLE case_filings (
	key          TEXT PRIMARY KEY,
	request_hash TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	answer       BLOB,
	created_at   INTEGER NOT NULL
);
CREATE INDEX case_filings_created ON case_filings (created_at);
