-- topic_counts.sql - the tickets with a topic accepted in [?2, ?3)
-- (hl_time seconds) of the districts whose dict ids are the JSON array ?1
-- (NULL: the whole city, the tickets without a district included),
-- counted by day of acceptance (days since 1970-01-01 in China Standard
-- Time, rounded down), topic (dict id) and street (dict id, 0 none): what
-- the hot topics and their surges count.  Read from the metrics' index on
-- (district, accepted_at), which covers street and topic, a row per
-- ticket: summing in SQL would sort them all, in C it is a hash map.
SELECT (accepted_at - (accepted_at % 86400 + 86400) % 86400) / 86400,
       topic, coalesce(street, 0), 1
FROM ticket
WHERE district IN (SELECT id FROM dict WHERE kind = 1 AND ?1 IS NULL
                   UNION ALL SELECT value FROM json_each(?1))
  AND accepted_at >= ?2 AND accepted_at < ?3 AND topic IS NOT NULL
UNION ALL
SELECT (accepted_at - (accepted_at % 86400 + 86400) % 86400) / 86400,
       topic, coalesce(street, 0), 1
FROM ticket
WHERE ?1 IS NULL AND district IS NULL
  AND accepted_at >= ?2 AND accepted_at < ?3 AND topic IS NOT NULL;
