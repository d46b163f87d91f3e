-- city_closed.sql - the same as district_closed.sql for every district
-- (?1 is not used).
SELECT id, accepted_at, dispatched_at, NULL, NULL, closed_at, category,
       quality
FROM ticket
WHERE ?1 IS NULL AND accepted_at >= ?2 AND accepted_at < ?3
  AND closed_at IS NOT NULL;
