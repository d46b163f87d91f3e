-- pg/links.sql - as store/sql/links.sql: the tickets accepted in [$2, $3)
-- of the districts $1 (NULL: the whole city) with a caller hash or a
-- quote, district by district in the covering index's order (as the
-- SQLite index gives them: NULLs first).
SELECT t.*
FROM (SELECT id FROM dict WHERE kind = 1 AND $1::bigint[] IS NULL
      UNION ALL SELECT unnest($1::bigint[])) AS d
CROSS JOIN LATERAL (
  SELECT id, accepted_at, street, topic, caller, quoted, quoted_id
  FROM ticket
  WHERE district = d.id AND accepted_at >= $2 AND accepted_at < $3
    AND (caller IS NOT NULL OR quoted IS NOT NULL)
  ORDER BY accepted_at, dispatched_at NULLS FIRST, signed_at NULLS FIRST,
           deadline_at NULLS FIRST, closed_at NULLS FIRST, id) AS t
UNION ALL
SELECT id, accepted_at, street, topic, caller, quoted, quoted_id
FROM ticket
WHERE $1::bigint[] IS NULL AND district IS NULL
  AND accepted_at >= $2 AND accepted_at < $3
  AND (caller IS NOT NULL OR quoted IS NOT NULL);
