-- pg/city.sql - city: the tickets of the whole city accepted in [$1, $2) ($3:
-- closed ones only): district by
-- district, then those without one
SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
       street, unit, channel, category, is_key, satisfaction, reopen_count,
       quality, district
FROM ticket
WHERE (district IN (SELECT id FROM dict WHERE kind = 1) OR district IS NULL)
  AND accepted_at >= $1 AND accepted_at < $2
  AND (NOT $3 OR closed_at IS NOT NULL)
ORDER BY district IS NULL, district, accepted_at, dispatched_at NULLS FIRST,
         signed_at NULLS FIRST, deadline_at NULLS FIRST,
         closed_at NULLS FIRST, id;
