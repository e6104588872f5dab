-- Pontis registry, migration 5: freshness of the in-process match index (src/registry/match-index.ts).
--
-- Each process keeps every published need and offer in memory for matchmaking. Before matching it
-- reads this one row (one tiny query): when `version` has not moved since its last look, nothing
-- in `records` has changed; otherwise it re-reads the need and offer rows whose updated_at is at or
-- after the time it last looked (an index on updated_at keeps that a few rows). `deletions` moves
-- when rows are deleted or the table truncated (records are archived, not deleted, so this is rare):
-- the index is then rebuilt whole.
--
-- A statement-level trigger bumps the counter. It bumps `version` once per transaction (the row
-- remembers the last transaction that did), so that an import of many statements in one
-- transaction does not pile up versions of this row.
CREATE TABLE match_version (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  version    bigint NOT NULL DEFAULT 0,
  deletions  bigint NOT NULL DEFAULT 0,
  last_xact  bigint
);

INSERT INTO match_version (id) VALUES (true);

CREATE FUNCTION pontis_match_version_bump() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN IF TG_OP IN (''DELETE'', ''TRUNCATE'') THEN UPDATE match_version SET version = version + 1, deletions = deletions + 1, last_xact = txid_current(); ELSE UPDATE match_version SET version = version + 1, last_xact = txid_current() WHERE last_xact IS DISTINCT FROM txid_current(); END IF; RETURN NULL; END';

CREATE TRIGGER records_match_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON records
  FOR EACH STATEMENT EXECUTE FUNCTION pontis_match_version_bump();

CREATE INDEX records_updated_at ON records (updated_at);
