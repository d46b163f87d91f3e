-- links.sql - what the repeat calls follow: the tickets accepted in
-- [?2, ?3) (hl_time seconds) of the districts whose dict ids are the JSON
-- array ?1 (NULL: the whole city) that have a caller hash or quote an
-- earlier ticket, and the tickets they quote, wherever and whenever
-- those were accepted; each once, in order of acceptance, then id.  The
-- first part is read from the partial index ticket_links alone, the
-- quoted ones through the ticket ID's.
WITH p AS (
  SELECT id, ticket_id, accepted_at, district, street, topic, caller,
         quoted
  FROM ticket
  WHERE district IN (SELECT id FROM dict WHERE kind = 1 AND ?1 IS NULL
                     UNION ALL SELECT value FROM json_each(?1))
    AND accepted_at >= ?2 AND accepted_at < ?3
    AND (caller IS NOT NULL OR quoted IS NOT NULL)
  UNION ALL
  SELECT id, ticket_id, accepted_at, district, street, topic, caller,
         quoted
  FROM ticket
  WHERE ?1 IS NULL AND district IS NULL
    AND accepted_at >= ?2 AND accepted_at < ?3
    AND (caller IS NOT NULL OR quoted IS NOT NULL))
SELECT id, ticket_id, accepted_at, district, street, topic, caller, quoted
FROM p
UNION
SELECT t.id, t.ticket_id, t.accepted_at, t.district, t.street, t.topic,
       t.caller, t.quoted
FROM p JOIN ticket AS t ON t.ticket_id = p.quoted
ORDER BY 3, 1;
