-- What servers holding lookup answers in memory follow (sqlstore/index.go).
-- Every write that can change a lookup's answer first moves the lookup
-- version (DB.tx); the triggers stamp the indicator and network rows it
-- changes with it and record the indicators it deletes, so a server reads
-- back exactly what changed, whoever wrote it (vigil import, other servers).
CREATE TABLE lookup_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO lookup_version (id, n) VALUES (1, 0);

ALTER TABLE indicators ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX indicators_version ON indicators (version) WHERE version > 0;
ALTER TABLE networks ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE lookup_gone (
	version BIGINT NOT NULL,
	id      BIGINT NOT NULL,
	kind    TEXT NOT NULL,
	value   TEXT NOT NULL,
	at      BIGINT NOT NULL
);
CREATE INDEX lookup_gone_version ON lookup_gone (version);

CREATE FUNCTION lookup_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.version := (SELECT n FROM lookup_version WHERE id = 1);
	RETURN NEW;
END $$;

CREATE FUNCTION lookup_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO lookup_gone (version, id, kind, value, at)
		VALUES ((SELECT n FROM lookup_version WHERE id = 1), OLD.id, OLD.kind, OLD.value, (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
	DELETE FROM lookup_gone WHERE at < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 86400000;
	RETURN OLD;
END $$;

-- Rows new to a reader are read by id; only changes need a stamp.
CREATE TRIGGER indicators_changed BEFORE UPDATE ON indicators FOR EACH ROW EXECUTE FUNCTION lookup_stamp();
CREATE TRIGGER indicators_gone AFTER DELETE ON indicators FOR EACH ROW EXECUTE FUNCTION lookup_gone();
CREATE TRIGGER networks_changed BEFORE INSERT OR UPDATE ON networks FOR EACH ROW EXECUTE FUNCTION lookup_stamp();
