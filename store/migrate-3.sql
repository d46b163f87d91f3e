-- migrate-3.sql - schema version 2 to 3.
--
-- Version 3 adds hand_month, the handling-time rollup the speed-up reads
-- (schema.sql says what it holds), built here from the stored tickets, and
-- widens the index the metrics read a district through so that it covers
-- every column they need.

DROP INDEX ticket_district_accepted;
CREATE INDEX ticket_district_accepted ON ticket (
  district, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
  street, unit, channel, category, is_key, satisfaction, reopen_count,
  quality);

CREATE TABLE hand_month (
  month    INTEGER NOT NULL,            -- yyyymm of acceptance (CST)
  district INTEGER NOT NULL,            -- dict id; 0: none given
  category INTEGER NOT NULL,            -- as ticket.category
  start    INTEGER NOT NULL             -- 0 from acceptance, 1 from dispatch
           CHECK (start IN (0, 1)),     -- (acceptance when not dispatched)
  n        INTEGER NOT NULL,            -- closed tickets counted
  secs     INTEGER NOT NULL,            -- sum of their handling seconds
  PRIMARY KEY (month, district, category, start)
) WITHOUT ROWID;
INSERT INTO hand_month (month, district, category, start, n, secs)
  SELECT CAST(strftime('%Y%m', accepted_at, 'unixepoch') AS INTEGER),
         coalesce(district, 0), category, s.start, count(*),
         sum(closed_at - (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
             accepted_at) ELSE accepted_at END))
  FROM ticket, (SELECT 0 AS start UNION ALL SELECT 1) AS s
  WHERE closed_at IS NOT NULL AND quality & 1 = 0
    AND closed_at >= (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
        accepted_at) ELSE accepted_at END)
  GROUP BY 1, 2, 3, 4;
