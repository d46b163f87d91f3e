-- pg/tickets.sql - the tickets of the districts $1 (in that order)
-- accepted in [$2, $3), closed ones only when $4, each district's in the
-- order of the covering index (NULLs first, as SQLite's gives them): a
-- walk of the index per district, no sort of the period.
SELECT t.*
FROM unnest($1::bigint[]) WITH ORDINALITY AS d (id, pos)
CROSS JOIN LATERAL (
  SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
         street, unit, channel, category, is_key, satisfaction,
         reopen_count, quality, district, assess, topic, caller, quoted, quoted_id
  FROM ticket
  WHERE district = d.id AND accepted_at >= $2 AND accepted_at < $3
    AND (NOT $4 OR closed_at IS NOT NULL)
  ORDER BY accepted_at, dispatched_at NULLS FIRST, signed_at NULLS FIRST,
           deadline_at NULLS FIRST, closed_at NULLS FIRST, id) AS t;
