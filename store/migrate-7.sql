-- migrate-7.sql - schema version 6 to 7.
--
-- Version 7 keeps both rollups by day of acceptance instead of by month
-- (sat_day and hand_day replace sat_month and hand_month), so that any
-- run of days, not only a calendar month, is read from them.  A month's
-- row cannot be split into days, so both are counted again from the
-- stored tickets, exactly as schema.sql defines them.

CREATE TABLE sat_day (
  day          INTEGER NOT NULL,        -- yyyymmdd (China Standard Time)
  district     INTEGER NOT NULL,        -- dict id; 0: none given
  is_key       INTEGER NOT NULL,        -- 1 重点; 0 普通 or not given
  satisfaction INTEGER NOT NULL,        -- as ticket.satisfaction
  n            INTEGER NOT NULL,
  PRIMARY KEY (day, district, is_key, satisfaction)
) WITHOUT ROWID;
INSERT INTO sat_day (day, district, is_key, satisfaction, n)
  SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER),
         coalesce(district, 0), coalesce(is_key, 0), satisfaction, count(*)
  FROM ticket GROUP BY 1, 2, 3, 4;

CREATE TABLE hand_day (
  day      INTEGER NOT NULL,            -- yyyymmdd of acceptance (CST)
  district INTEGER NOT NULL,            -- dict id; 0: none given
  category INTEGER NOT NULL,            -- as ticket.category
  start    INTEGER NOT NULL             -- 0 from acceptance, 1 from dispatch
           CHECK (start IN (0, 1)),     -- (acceptance when not dispatched)
  n        INTEGER NOT NULL,            -- closed tickets counted
  secs     INTEGER NOT NULL,            -- sum of their handling seconds
  PRIMARY KEY (day, district, category, start)
) WITHOUT ROWID;
INSERT INTO hand_day (day, district, category, start, n, secs)
  SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER),
         coalesce(district, 0), category, s.start, count(*),
         sum(closed_at - (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
             accepted_at) ELSE accepted_at END))
  FROM ticket, (SELECT 0 AS start UNION ALL SELECT 1) AS s
  WHERE closed_at IS NOT NULL AND quality & 1 = 0
    AND closed_at >= (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
        accepted_at) ELSE accepted_at END)
  GROUP BY 1, 2, 3, 4;

DROP TABLE sat_month;
DROP TABLE hand_month;
