-- What servers holding lookup answers in memory follow (sqlstore/index.go).
-- Every write that can change a lookup's answer first moves the lookup
-- version (DB.tx); the triggers stamp the indicator and network rows it
-- changes with it and record the indicators it deletes, so a server reads
-- back exactly what changed, whoever wrote it (vigil import, other servers).
CREATE TABLE lookup_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
);
INSERT INTO lookup_version (id, n) VALUES (1, 0);

ALTER TABLE indicators ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX indicators_version ON indicators (version) WHERE version > 0;
ALTER TABLE networks ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE lookup_gone (
	version INTEGER NOT NULL,
	id      INTEGER NOT NULL,
	kind    TEXT NOT NULL,
	value   TEXT NOT NULL,
	at      INTEGER NOT NULL
);
CREATE INDEX lookup_gone_version ON lookup_gone (version);

-- Rows new to a reader are read by id; only changes need a stamp. The
-- statements run for every report stamp their rows themselves, and a row
-- is stamped once per version: either spares a second write of the row.
CREATE TRIGGER indicators_changed AFTER UPDATE ON indicators
	WHEN NEW.version <> (SELECT n FROM lookup_version WHERE id = 1)
BEGIN
	UPDATE indicators SET version = (SELECT n FROM lookup_version WHERE id = 1) WHERE id = NEW.id;
END;

CREATE TRIGGER indicators_gone AFTER DELETE ON indicators
BEGIN
	INSERT INTO lookup_gone (version, id, kind, value, at)
		VALUES ((SELECT n FROM lookup_version WHERE id = 1), OLD.id, OLD.kind, OLD.value, CAST(unixepoch('subsec') * 1000 AS INTEGER));
	DELETE FROM lookup_gone WHERE at < CAST(unixepoch('subsec') * 1000 AS INTEGER) - 86400000;
END;

CREATE TRIGGER networks_added AFTER INSERT ON networks
BEGIN
	UPDATE networks SET version = (SELECT n FROM lookup_version WHERE id = 1) WHERE id = NEW.id;
END;

CREATE TRIGGER networks_changed AFTER UPDATE OF size ON networks
BEGIN
	UPDATE networks SET version = (SELECT n FROM lookup_version WHERE id = 1) WHERE id = NEW.id;
END;
