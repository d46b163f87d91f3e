-- city_closed.sql - the same as district_closed.sql for every district
-- (?1 is not used), read through the index as city_tickets.sql is.
SELECT id, accepted_at, dispatched_at, NULL, NULL, closed_at, category,
       quality, district
FROM ticket
WHERE ?1 IS NULL AND district IN (SELECT id FROM dict WHERE kind = 1)
  AND accepted_at >= ?2 AND accepted_at < ?3 AND closed_at IS NOT NULL
UNION ALL
SELECT id, accepted_at, dispatched_at, NULL, NULL, closed_at, category,
       quality, district
FROM ticket
WHERE ?1 IS NULL AND district IS NULL
  AND accepted_at >= ?2 AND accepted_at < ?3 AND closed_at IS NOT NULL;
