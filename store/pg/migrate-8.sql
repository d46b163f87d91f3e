-- pg/migrate-8.sql - schema version 7 to 8, as store/migrate-8.sql on
-- SQLite: the assessment answers, the topic, the caller hash and the
-- quoted ticket ID, their indexes, and the metrics' covering index made
-- again to include the answers, the topic, the caller hash and the quoted
-- ID.  The caller hashes' key
-- goes in hotline_meta when an ingest first needs it.  hotline runs it in
-- one transaction with the version's update.

ALTER TABLE ticket ADD COLUMN assess integer;
ALTER TABLE ticket ADD COLUMN topic bigint;
ALTER TABLE ticket ADD COLUMN caller bytea;
ALTER TABLE ticket ADD COLUMN quoted text;

CREATE INDEX ticket_quoted ON ticket (quoted) WHERE quoted IS NOT NULL;
DROP INDEX ticket_district_accepted;
CREATE INDEX ticket_district_accepted ON ticket (
  district NULLS FIRST, accepted_at, dispatched_at NULLS FIRST,
  signed_at NULLS FIRST, deadline_at NULLS FIRST, closed_at NULLS FIRST, id)
  INCLUDE (street, unit, channel, category, is_key, satisfaction,
           reopen_count, quality, assess, topic, caller, quoted);
