-- pg/links.sql - as store/sql/links.sql: the tickets accepted in [$2, $3)
-- of the districts $1 (NULL: the whole city) with a caller hash or a
-- quote, read from the partial index ticket_links, and the tickets they
-- quote, wherever they are; each once, by acceptance, then id.
WITH p AS (
  SELECT t.*
  FROM (SELECT id FROM dict WHERE kind = 1 AND $1::bigint[] IS NULL
        UNION ALL SELECT unnest($1::bigint[])) AS d
  CROSS JOIN LATERAL (
    SELECT id, ticket_id, accepted_at, district, street, topic, caller,
           quoted
    FROM ticket
    WHERE district = d.id AND accepted_at >= $2 AND accepted_at < $3
      AND (caller IS NOT NULL OR quoted IS NOT NULL)) AS t
  UNION ALL
  SELECT id, ticket_id, accepted_at, district, street, topic, caller, quoted
  FROM ticket
  WHERE $1::bigint[] IS NULL AND district IS NULL
    AND accepted_at >= $2 AND accepted_at < $3
    AND (caller IS NOT NULL OR quoted IS NOT NULL))
SELECT id, ticket_id, accepted_at, district, street, topic, caller, quoted
FROM p
UNION
SELECT t.id, t.ticket_id, t.accepted_at, t.district, t.street, t.topic,
       t.caller, t.quoted
FROM p JOIN ticket AS t ON t.ticket_id = p.quoted
ORDER BY 3, 1;
