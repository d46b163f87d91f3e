-- pg/migrate-10.sql - schema version 9 to 10, as store/migrate-10.sql on
-- SQLite: each quoting ticket keeps the id of the ticket it quotes when
-- that ticket is stored, the unresolved quotes get a partial index of
-- their own in place of ticket_quoted, and the figures' covering index is
-- made again to include the new column.  hotline runs it in one
-- transaction with the version's update.

ALTER TABLE ticket ADD COLUMN quoted_id bigint;
UPDATE ticket AS t SET quoted_id = q.id
FROM ticket AS q
WHERE t.quoted IS NOT NULL AND q.ticket_id = t.quoted;
DROP INDEX ticket_quoted;
CREATE INDEX ticket_unresolved ON ticket (quoted)
  WHERE quoted IS NOT NULL AND quoted_id IS NULL;
DROP INDEX ticket_district_accepted;
CREATE INDEX ticket_district_accepted ON ticket (
  district NULLS FIRST, accepted_at, dispatched_at NULLS FIRST,
  signed_at NULLS FIRST, deadline_at NULLS FIRST, closed_at NULLS FIRST, id)
  INCLUDE (street, unit, channel, category, is_key, satisfaction,
           reopen_count, quality, assess, topic, caller, quoted, quoted_id);
