-- migrate-8.sql - schema version 7 to 8.
--
-- Version 8 keeps what the analyses beyond the seed read (docs/
-- analyses.md): the assessment answers, the topic, the caller's number as
-- a keyed hash and the ticket an earlier one quotes, with their indexes
-- and the table of settings that holds the hash's key (schema.sql).
-- Existing tickets get NULLs: their exports' cells are in ticket.extra
-- when they had such columns, and ingesting the files again (--force)
-- fills them.  The metrics' covering index is made again with the four
-- new columns it covers (a minute or so on a city's years).

ALTER TABLE ticket ADD COLUMN assess INTEGER;
ALTER TABLE ticket ADD COLUMN topic INTEGER REFERENCES dict (id);
ALTER TABLE ticket ADD COLUMN caller BLOB;
ALTER TABLE ticket ADD COLUMN quoted TEXT;

CREATE INDEX ticket_quoted ON ticket (quoted) WHERE quoted IS NOT NULL;

DROP INDEX ticket_district_accepted;
CREATE INDEX ticket_district_accepted ON ticket (
  district, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
  street, unit, channel, category, is_key, satisfaction, reopen_count,
  quality, assess, topic, caller, quoted);

CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
