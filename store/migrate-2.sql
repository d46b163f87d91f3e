-- migrate-2.sql - schema version 1 to 2.
--
-- Version 1 kept every cell of every row as JSON in ticket_text.raw; version
-- 2 keeps the raw spelling of the key flag and the reopen count in dict and
-- only the unmapped cells as JSON (ticket_text.extra, named by
-- ingest_run.extra_headers).  A version 1 row's JSON holds all its cells,
-- so its run's extra_headers are all its headers: nothing is dropped.
-- Version 2 also adds the index and the rollup the metrics read.

ALTER TABLE ticket ADD COLUMN key_raw INTEGER REFERENCES dict (id);
ALTER TABLE ticket ADD COLUMN reopen_raw INTEGER REFERENCES dict (id);
ALTER TABLE ingest_run ADD COLUMN extra_headers TEXT;
UPDATE ingest_run SET extra_headers = headers;

CREATE TABLE ticket_text_v2 (
  id        INTEGER PRIMARY KEY REFERENCES ticket (id) ON DELETE CASCADE,
  content   TEXT,
  extra     TEXT,
  extra_run INTEGER REFERENCES ingest_run (id)
);
INSERT INTO ticket_text_v2 (id, content, extra, extra_run)
  SELECT id, content, raw, raw_run FROM ticket_text;
DROP TABLE ticket_text;
ALTER TABLE ticket_text_v2 RENAME TO ticket_text;

CREATE INDEX ticket_district_accepted ON ticket (district, accepted_at);

CREATE TABLE sat_month (
  month        INTEGER NOT NULL,
  district     INTEGER NOT NULL,
  is_key       INTEGER NOT NULL,
  satisfaction INTEGER NOT NULL,
  n            INTEGER NOT NULL,
  PRIMARY KEY (month, district, is_key, satisfaction)
) WITHOUT ROWID;
INSERT INTO sat_month (month, district, is_key, satisfaction, n)
  SELECT CAST(strftime('%Y%m', accepted_at, 'unixepoch') AS INTEGER),
         coalesce(district, 0), coalesce(is_key, 0), satisfaction, count(*)
  FROM ticket GROUP BY 1, 2, 3, 4;
