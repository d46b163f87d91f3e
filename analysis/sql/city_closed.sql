-- city_closed.sql - the same as district_closed.sql for every district
-- (?1 is not used), bounded by rowids as city_tickets.sql is.
WITH span(lo, hi) AS (
  SELECT min(id), max(id) FROM ticket
  WHERE district IN (SELECT id FROM dict)
    AND accepted_at >= ?2 AND accepted_at < ?3
  UNION ALL
  SELECT min(id), max(id) FROM ticket
  WHERE district IS NULL AND accepted_at >= ?2 AND accepted_at < ?3
)
SELECT id, accepted_at, dispatched_at, NULL, NULL, closed_at, category,
       quality, district
FROM ticket
WHERE ?1 IS NULL
  AND id BETWEEN (SELECT min(lo) FROM span) AND (SELECT max(hi) FROM span)
  AND accepted_at >= ?2 AND accepted_at < ?3
  AND closed_at IS NOT NULL;
