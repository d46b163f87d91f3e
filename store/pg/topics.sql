-- pg/topics.sql - as store/sql/topic_counts.sql: the tickets with a topic
-- accepted in [$2, $3) of the districts $1 (NULL: the whole city, those
-- without a district included), by day (days since 1970 in China
-- Standard Time, rounded down), topic and street (0 none); each
-- district's range walked in the covering index, which includes topic.
SELECT day, topic, street, count(*)
FROM (
  SELECT t.*
  FROM (SELECT id FROM dict WHERE kind = 1 AND $1::bigint[] IS NULL
        UNION ALL SELECT unnest($1::bigint[])) AS d
  CROSS JOIN LATERAL (
    SELECT (accepted_at - (accepted_at % 86400 + 86400) % 86400) / 86400
             AS day, topic, coalesce(street, 0) AS street
    FROM ticket
    WHERE district = d.id AND accepted_at >= $2 AND accepted_at < $3
      AND topic IS NOT NULL) AS t
  UNION ALL
  SELECT (accepted_at - (accepted_at % 86400 + 86400) % 86400) / 86400,
         topic, coalesce(street, 0)
  FROM ticket
  WHERE $1::bigint[] IS NULL AND district IS NULL
    AND accepted_at >= $2 AND accepted_at < $3 AND topic IS NOT NULL) AS c
GROUP BY 1, 2, 3;
