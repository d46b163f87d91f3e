-- links.sql - what the repeat calls follow before the metrics' scan: the
-- tickets accepted in [?2, ?3) (hl_time seconds) of the districts whose
-- dict ids are the JSON array ?1 (NULL: the whole city) that have a
-- caller hash or quote a ticket ID.  Read from the metrics' covering
-- index, which holds both, district by district in order of acceptance.
SELECT id, accepted_at, street, topic, caller, quoted, quoted_id
FROM ticket
WHERE district IN (SELECT id FROM dict WHERE kind = 1 AND ?1 IS NULL
                   UNION ALL SELECT value FROM json_each(?1))
  AND accepted_at >= ?2 AND accepted_at < ?3
  AND (caller IS NOT NULL OR quoted IS NOT NULL)
UNION ALL
SELECT id, accepted_at, street, topic, caller, quoted, quoted_id
FROM ticket
WHERE ?1 IS NULL AND district IS NULL
  AND accepted_at >= ?2 AND accepted_at < ?3
  AND (caller IS NOT NULL OR quoted IS NOT NULL);
