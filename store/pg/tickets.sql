-- pg/tickets.sql - tickets: the tickets of districts $1 accepted in [$2, $3)
-- ($4: closed ones only)
SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
       street, unit, channel, category, is_key, satisfaction, reopen_count,
       quality, district
FROM ticket
WHERE district = ANY ($1::bigint[]) AND accepted_at >= $2
  AND accepted_at < $3 AND (NOT $4 OR closed_at IS NOT NULL)
ORDER BY array_position($1::bigint[], district), accepted_at,
         dispatched_at NULLS FIRST, signed_at NULLS FIRST,
         deadline_at NULLS FIRST, closed_at NULLS FIRST, id;
