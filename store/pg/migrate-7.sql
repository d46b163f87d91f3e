-- pg/migrate-7.sql - schema version 6 to 7, as store/migrate-7.sql on
-- SQLite: both rollups by day of acceptance (yyyymmdd, China Standard
-- Time: hotline's times are CST wall-clock seconds, so read as UTC),
-- counted again from the stored tickets, in place of the months.  hotline
-- runs it in one transaction with the version's update.

CREATE TABLE sat_day (
  day          integer NOT NULL,
  district     bigint NOT NULL,
  is_key       integer NOT NULL,
  satisfaction integer NOT NULL,
  n            bigint NOT NULL,
  PRIMARY KEY (day, district, is_key, satisfaction)
);
INSERT INTO sat_day (day, district, is_key, satisfaction, n)
  SELECT to_char(to_timestamp(accepted_at) AT TIME ZONE 'UTC', 'YYYYMMDD')
           ::integer,
         coalesce(district, 0), coalesce(is_key, 0), satisfaction, count(*)
  FROM ticket GROUP BY 1, 2, 3, 4;

CREATE TABLE hand_day (
  day      integer NOT NULL,
  district bigint NOT NULL,
  category integer NOT NULL,
  start    integer NOT NULL CHECK (start IN (0, 1)),
  n        bigint NOT NULL,
  secs     bigint NOT NULL,
  PRIMARY KEY (day, district, category, start)
);
INSERT INTO hand_day (day, district, category, start, n, secs)
  SELECT to_char(to_timestamp(accepted_at) AT TIME ZONE 'UTC', 'YYYYMMDD')
           ::integer,
         coalesce(district, 0), category, s.start, count(*),
         sum(closed_at - (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
             accepted_at) ELSE accepted_at END))
  FROM ticket, (VALUES (0), (1)) AS s (start)
  WHERE closed_at IS NOT NULL AND quality & 1 = 0
    AND closed_at >= (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
        accepted_at) ELSE accepted_at END)
  GROUP BY 1, 2, 3, 4;

DROP TABLE sat_month;
DROP TABLE hand_month;
