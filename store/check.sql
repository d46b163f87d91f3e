-- check.sql - hotline's own checks of a database, beside SQLite's
-- integrity_check: each statement returns (what, detail) rows, one per
-- problem, and none when all is well.  `hotline check` runs them; they
-- can be run by hand with sqlite3 too.

-- Every dict id and run a ticket, a reject or a rollup names exists.
SELECT 'reference', printf('%s row %d refers to a row of %s that does '
       || 'not exist', "table", rowid, parent)
FROM pragma_foreign_key_check;

-- sat_day equals a recount of the tickets (schema.sql).
SELECT 'sat_day', printf('day %d district %d key %d satisfaction %d: '
       || 'stored %s, recounted %s', day, district, is_key, satisfaction,
       coalesce(stored, 'none'), coalesce(counted, 'none'))
FROM (
  SELECT s.day, s.district, s.is_key, s.satisfaction, s.n AS stored,
         c.n AS counted
  FROM sat_day AS s LEFT JOIN (
    SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER)
             AS day, coalesce(district, 0) AS district,
           coalesce(is_key, 0) AS is_key, satisfaction, count(*) AS n
    FROM ticket GROUP BY 1, 2, 3, 4) AS c
  USING (day, district, is_key, satisfaction)
  WHERE c.n IS NULL OR c.n != s.n
  UNION ALL
  SELECT c.day, c.district, c.is_key, c.satisfaction, NULL, c.n
  FROM (
    SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER)
             AS day, coalesce(district, 0) AS district,
           coalesce(is_key, 0) AS is_key, satisfaction, count(*) AS n
    FROM ticket GROUP BY 1, 2, 3, 4) AS c
  LEFT JOIN sat_day AS s USING (day, district, is_key, satisfaction)
  WHERE s.n IS NULL);

-- hand_day equals a recount of the closed tickets (schema.sql).
SELECT 'hand_day', printf('day %d district %d category %d start %d: '
       || 'stored %s/%s, recounted %s/%s', day, district, category, start,
       coalesce(sn, 'none'), coalesce(ss, 'none'), coalesce(cn, 'none'),
       coalesce(cs, 'none'))
FROM (
  WITH c AS (
    SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER)
             AS day, coalesce(district, 0) AS district, category,
           s.start AS start, count(*) AS n,
           sum(closed_at - (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
               accepted_at) ELSE accepted_at END)) AS secs
    FROM ticket, (SELECT 0 AS start UNION ALL SELECT 1) AS s
    WHERE closed_at IS NOT NULL AND quality & 1 = 0
      AND closed_at >= (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
          accepted_at) ELSE accepted_at END)
    GROUP BY 1, 2, 3, 4)
  SELECT h.day, h.district, h.category, h.start, h.n AS sn, h.secs AS ss,
         c.n AS cn, c.secs AS cs
  FROM hand_day AS h LEFT JOIN c
  USING (day, district, category, start)
  WHERE c.n IS NULL OR c.n != h.n OR c.secs != h.secs
  UNION ALL
  SELECT c.day, c.district, c.category, c.start, NULL, NULL, c.n, c.secs
  FROM c LEFT JOIN hand_day AS h USING (day, district, category, start)
  WHERE h.n IS NULL);

-- A quote holds its ticket's id exactly when that ticket is stored
-- (schema.sql's ticket.quoted_id), and never its own.
SELECT 'quoted_id', printf('ticket %s quotes %s: stored id %s, found %s',
       t.ticket_id, t.quoted, coalesce(t.quoted_id, 'none'),
       coalesce(q.id, 'none'))
FROM ticket AS t LEFT JOIN ticket AS q ON q.ticket_id = t.quoted
WHERE (t.quoted IS NULL AND t.quoted_id IS NOT NULL)
   OR (t.quoted IS NOT NULL AND t.quoted_id IS NOT q.id)
   OR t.quoted_id = t.id;
