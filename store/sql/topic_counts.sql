-- topic_counts.sql - the tickets accepted in [?2, ?3) (hl_time seconds)
-- of the districts whose dict ids are the JSON array ?1 (NULL: the whole
-- city, the tickets without a district included) that have a topic, and
-- those accepted from ?4 on that have a caller hash or quote a ticket ID:
-- what the hot topics count (by day, topic and street) and what the
-- repeat calls follow (links.sql's columns), in one run of the metrics'
-- index on (district, accepted_at), which covers them all.  A row per
-- ticket: summing in SQL would sort them all, in C it is a hash map.
SELECT accepted_at, topic, coalesce(street, 0), id, caller, quoted,
       quoted_id
FROM ticket
WHERE district IN (SELECT id FROM dict WHERE kind = 1 AND ?1 IS NULL
                   UNION ALL SELECT value FROM json_each(?1))
  AND accepted_at >= ?2 AND accepted_at < ?3
  AND (topic IS NOT NULL
       OR (accepted_at >= ?4 AND (caller IS NOT NULL OR quoted IS NOT NULL)))
UNION ALL
SELECT accepted_at, topic, coalesce(street, 0), id, caller, quoted,
       quoted_id
FROM ticket
WHERE ?1 IS NULL AND district IS NULL
  AND accepted_at >= ?2 AND accepted_at < ?3
  AND (topic IS NOT NULL
       OR (accepted_at >= ?4 AND (caller IS NOT NULL OR quoted IS NOT NULL)));
