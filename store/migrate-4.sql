-- migrate-4.sql - schema version 3 to 4.
--
-- Version 4 moves the free text and the unmapped cells from ticket_text
-- into the ticket's own row (schema.sql says why): an ingest then writes
-- one row per ticket instead of two.

ALTER TABLE ticket ADD COLUMN content TEXT;
ALTER TABLE ticket ADD COLUMN extra TEXT;
ALTER TABLE ticket ADD COLUMN extra_run INTEGER REFERENCES ingest_run (id);
UPDATE ticket
  SET content = t.content, extra = t.extra, extra_run = t.extra_run
  FROM ticket_text AS t
  WHERE t.id = ticket.id;
DROP TABLE ticket_text;
