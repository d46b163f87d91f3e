-- migrate-10.sql - schema version 9 to 10.
--
-- Version 10 keeps with each quoting ticket the id of the ticket it
-- quotes (ticket.quoted_id), when that ticket is stored: the repeat calls
-- read it from the metrics' index instead of looking every quoted ID up
-- in the ticket ID's index, and the row, for each figure.  The quotes of
-- tickets not stored get a partial index of their own (ticket_unresolved)
-- that every ingest looks up again before it commits; it replaces
-- ticket_quoted, which no statement read.  The metrics' index is made
-- again to hold the new column (on two city years, about a minute).

ALTER TABLE ticket ADD COLUMN quoted_id INTEGER;
UPDATE ticket SET quoted_id = (SELECT q.id FROM ticket AS q
                               WHERE q.ticket_id = ticket.quoted)
WHERE quoted IS NOT NULL;
DROP INDEX ticket_quoted;
CREATE INDEX ticket_unresolved ON ticket (quoted)
  WHERE quoted IS NOT NULL AND quoted_id IS NULL;
DROP INDEX ticket_district_accepted;
CREATE INDEX ticket_district_accepted ON ticket (
  district, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
  street, unit, channel, category, is_key, satisfaction, reopen_count,
  quality, assess, topic, caller, quoted, quoted_id);
