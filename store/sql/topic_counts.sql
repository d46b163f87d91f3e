-- topic_counts.sql - the tickets with a topic accepted in [?2, ?3)
-- (hl_time seconds) of the districts whose dict ids are the JSON array ?1
-- (NULL: the whole city, the tickets without a district included),
-- counted by day of acceptance (days since 1970-01-01 in China Standard
-- Time, rounded down), topic (dict id) and street (dict id, 0 none): what
-- the hot topics and their surges count.  Read from the metrics' index on
-- (district, accepted_at), which covers street and topic.
SELECT day, topic, street, sum(n)
FROM (
  SELECT (accepted_at - (accepted_at % 86400 + 86400) % 86400) / 86400
           AS day, topic, coalesce(street, 0) AS street, count(*) AS n
  FROM ticket
  WHERE district IN (SELECT id FROM dict WHERE kind = 1 AND ?1 IS NULL
                     UNION ALL SELECT value FROM json_each(?1))
    AND accepted_at >= ?2 AND accepted_at < ?3 AND topic IS NOT NULL
  GROUP BY 1, 2, 3
  UNION ALL
  SELECT (accepted_at - (accepted_at % 86400 + 86400) % 86400) / 86400,
         topic, coalesce(street, 0), count(*)
  FROM ticket
  WHERE ?1 IS NULL AND district IS NULL
    AND accepted_at >= ?2 AND accepted_at < ?3 AND topic IS NOT NULL
  GROUP BY 1, 2, 3)
GROUP BY 1, 2, 3;
