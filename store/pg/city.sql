-- pg/city.sql - the tickets of the whole city accepted in [$1, $2),
-- closed ones only when $3: district by district in id order, then those
-- without one, each in the order of the covering index (as SQLite's).
SELECT t.*
FROM (SELECT id FROM dict WHERE kind = 1 ORDER BY id) AS d
CROSS JOIN LATERAL (
  SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
         street, unit, channel, category, is_key, satisfaction,
         reopen_count, quality, district, assess, topic, caller, quoted, quoted_id
  FROM ticket
  WHERE district = d.id AND accepted_at >= $1 AND accepted_at < $2
    AND (NOT $3 OR closed_at IS NOT NULL)
  ORDER BY accepted_at, dispatched_at NULLS FIRST, signed_at NULLS FIRST,
           deadline_at NULLS FIRST, closed_at NULLS FIRST, id) AS t
UNION ALL
(SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
        street, unit, channel, category, is_key, satisfaction, reopen_count,
        quality, district, assess, topic, caller, quoted, quoted_id
 FROM ticket
 WHERE district IS NULL AND accepted_at >= $1 AND accepted_at < $2
   AND (NOT $3 OR closed_at IS NOT NULL)
 ORDER BY accepted_at, dispatched_at NULLS FIRST, signed_at NULLS FIRST,
          deadline_at NULLS FIRST, closed_at NULLS FIRST, id);
