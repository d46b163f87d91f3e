-- schema.sql - the hotline database, schema version 9.
--
-- Times are INTEGER seconds since 1970-01-01 00:00:00 China Standard Time
-- (UTC+8, no daylight saving): util's hl_time.  Subtract 28800 for UTC.
-- Repeated strings (districts, streets, units, channels, raw vocabulary)
-- are stored once in dict and referenced by id.  The metrics read the
-- tickets through an index that holds every column they need, never the
-- table, so the free text and the cells hotline does not map stay in the
-- ticket's row: one row to write per ticket, not two.
--
-- Nothing read is lost: every mapped cell is stored either as written
-- (ticket_id, content) or as its typed value plus, for the vocabularies,
-- the raw spelling in dict (district ... reopen_raw).  Time cells are
-- stored as the instant they denote (the parser accepts only shapes that
-- denote one exactly); their spelling is not kept.  Every unmapped cell
-- is kept in ticket.extra.
--
-- hotline applies this file to an empty database and then sets
-- PRAGMA user_version = 9 and application_id = 0x484c4e31 ('HLN1');
-- store/migrate-<n>.sql brings a database of version n - 1 to version n
-- (migrate-2.sql version 1 to 2, ... migrate-9.sql 8 to 9).
--
-- The caller's number (来电号码) is personal data and is never stored:
-- only HMAC-SHA-256(key, its digits), cut to 16 bytes, in ticket.caller,
-- under a random key kept in setting (SECURITY.md).

CREATE TABLE dict (
  id    INTEGER PRIMARY KEY,
  kind  INTEGER NOT NULL,   -- 1 district, 2 street, 3 unit, 4 channel,
                            -- 5 category, 6 satisfaction, 7 status,
                            -- 8 key flag, 9 reopen: the raw spellings
                            -- as exported; 10 topic: as given, or its
                            -- levels joined with '-'
  value TEXT NOT NULL,
  UNIQUE (kind, value)
);

CREATE TABLE ingest_run (
  id            INTEGER PRIMARY KEY,
  file          TEXT NOT NULL,          -- as named on the command line
  size          INTEGER,                -- bytes
  sha256        TEXT,                   -- hex, of the whole file
  encoding      TEXT,                   -- utf-8, utf-8-bom, gb18030
  headers       TEXT,                   -- JSON array: the header cells
  extra_headers TEXT,                   -- JSON array: the headers of the
                                        -- unmapped columns, NULL if none
  started_at    INTEGER NOT NULL,       -- hl_time of the machine clock
  finished_at   INTEGER,
  status        TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'failed', 'skipped')),
  rows_read     INTEGER NOT NULL DEFAULT 0,
  rows_inserted INTEGER NOT NULL DEFAULT 0,
  rows_updated  INTEGER NOT NULL DEFAULT 0,
  rows_unchanged INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  rows_flagged  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ingest_run_sha256 ON ingest_run (sha256);

CREATE TABLE ticket (
  id            INTEGER PRIMARY KEY,
  ticket_id     TEXT NOT NULL UNIQUE,
  accepted_at   INTEGER NOT NULL,
  dispatched_at INTEGER,
  signed_at     INTEGER,
  deadline_at   INTEGER,
  closed_at     INTEGER,                -- NULL: still open
  district      INTEGER REFERENCES dict (id),
  street        INTEGER REFERENCES dict (id),
  unit          INTEGER REFERENCES dict (id),
  channel       INTEGER REFERENCES dict (id),
  category_raw  INTEGER REFERENCES dict (id),
  category      INTEGER NOT NULL        -- 0 咨询 1 求助 2 投诉 3 举报
                CHECK (category BETWEEN 0 AND 6), -- 4 建议 5 表扬 6 其他
  key_raw       INTEGER REFERENCES dict (id),
  is_key        INTEGER CHECK (is_key IN (0, 1)), -- 1 重点, 0 普通, NULL unknown
  satisfaction_raw INTEGER REFERENCES dict (id),
  satisfaction  INTEGER NOT NULL        -- 0 not evaluated, 1 满意,
                CHECK (satisfaction BETWEEN 0 AND 3), -- 2 基本满意, 3 不满意
  status_raw    INTEGER REFERENCES dict (id),
  status        INTEGER,                -- 0 待派单 1 待签收 2 办理中 3 已办结
                                        -- 4 已回访 5 已归档, NULL unknown
  reopen_raw    INTEGER REFERENCES dict (id),
  reopen_count  INTEGER CHECK (reopen_count >= 0),
  quality       INTEGER NOT NULL DEFAULT 0, -- data-quality flags, bits:
                -- 1 closed before accepted, 2 deadline before dispatch,
                -- 4 a time in the future, 8 unknown category,
                -- 16 unknown satisfaction, 32 unknown status,
                -- 64 outside the known working-day calendar (set up to
                -- schema 4 by ingest; ignored since), 128 the deadline
                -- cell had a date and no time (not a flag), 256 a reopen
                -- count that is not a whole number from 0 to 1000,
                -- 512 a later file moved it back (closed to open, or
                -- evaluated to not evaluated), 1024 an assessment
                -- answer not recognised (taken as not given)
  row_hash      INTEGER NOT NULL,       -- of the mapped record: a re-export
                                        -- that changes nothing is skipped
  run           INTEGER NOT NULL REFERENCES ingest_run (id),
  line          INTEGER NOT NULL,       -- where the current version was read
  content       TEXT,                   -- the free text, as written
  extra         TEXT,                   -- JSON array: the unmapped cells, in
                                        -- the order of extra_run's
  extra_run     INTEGER                 -- extra_headers; NULL if none
                REFERENCES ingest_run (id),
  updated_at    INTEGER,                -- the export's update time, if it
                                        -- has one: a row older than the
                                        -- stored ticket's is not applied
  assess        INTEGER,                -- the assessment answers, 2 bits
                -- each (model.h's enum hl_assess, from bit 0: valid
                -- callback, contacted, resolved, in assessment; each 0 not
                -- given, 1 yes, 2 no); NULL when the export has none of
                -- their columns
  topic         INTEGER REFERENCES dict (id), -- kind 10
  caller        BLOB,                   -- 16 bytes: HMAC-SHA-256 of the
                                        -- caller's digits under
                                        -- setting 'caller_key'
  quoted        TEXT,                   -- the ticket ID the content quotes
                                        -- (最近派发的工单编号：...), NULL
                                        -- when none or its own
  quoted_id     INTEGER                 -- that ticket's id, when it is
                                        -- stored (ingest keeps it so at
                                        -- every commit); NULL otherwise
);

-- The quotes of tickets not stored (yet): an ingest looks them up again
-- before it commits, these and no others.
CREATE INDEX ticket_unresolved ON ticket (quoted)
  WHERE quoted IS NOT NULL AND quoted_id IS NULL;

-- The database's own settings: 'caller_key', the 32 random bytes the
-- caller hashes are keyed with, made by the first ingest that needs them
-- and copied with the database (hotline copy), so that hashes stay
-- comparable.
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);

-- The metrics read a district's period, and the city's district by
-- district, from this index alone: it holds every column they need
-- (store/sql/*_tickets.sql, *_closed.sql), so a district's year is one
-- run of index pages instead of a table lookup per ticket, which halves
-- its time.  The caller hash and the quoted ID (and its ticket's id) are
-- in it too: the hot topics and the repeat calls come from the same run
-- (links.sql and topic_counts.sql read the days before it), 17 bytes a
-- ticket with a caller, one without.  It costs the ingest 3-5 % for files in time
-- order (rows append at one end of each district's range) and a quarter
-- more space than the table's own columns.
CREATE INDEX ticket_district_accepted ON ticket (
  district, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
  street, unit, channel, category, is_key, satisfaction, reopen_count,
  quality, assess, topic, caller, quoted, quoted_id);

-- Satisfaction answers by day of acceptance, district and key flag: the
-- rankings compare every district over any run of days (a month, one
-- starting on the 19th, --from/--to), and this keeps them from reading
-- every ticket of the city.  Ingest keeps it equal to
--   SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER),
--          coalesce(district, 0), coalesce(is_key, 0), satisfaction,
--          count(*)
--   FROM ticket GROUP BY 1, 2, 3, 4
-- in the same transaction as the tickets.
CREATE TABLE sat_day (
  day          INTEGER NOT NULL,        -- yyyymmdd (China Standard Time)
  district     INTEGER NOT NULL,        -- dict id; 0: none given
  is_key       INTEGER NOT NULL,        -- 1 重点; 0 普通 or not given
  satisfaction INTEGER NOT NULL,        -- as ticket.satisfaction
  n            INTEGER NOT NULL,
  PRIMARY KEY (day, district, is_key, satisfaction)
) WITHOUT ROWID;

-- Handling time of the closed tickets by day of acceptance, district
-- and category, from both starts the metrics offer: the speed-up compares
-- a period with the year before it, and this keeps a district's year from
-- reading the whole year before too.  Tickets closed before accepted
-- (quality bit 1) or before their start are left out, as the metrics
-- leave them out.  Ingest keeps it equal to
--   SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER),
--          coalesce(district, 0), category, s.start, count(*),
--          sum(closed_at - (CASE s.start WHEN 1 THEN coalesce(
--              dispatched_at, accepted_at) ELSE accepted_at END))
--   FROM ticket, (SELECT 0 AS start UNION ALL SELECT 1) AS s
--   WHERE closed_at IS NOT NULL AND quality & 1 = 0
--     AND closed_at >= (CASE s.start WHEN 1 THEN coalesce(dispatched_at,
--         accepted_at) ELSE accepted_at END)
--   GROUP BY 1, 2, 3, 4
-- in the same transaction as the tickets.
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

CREATE TABLE reject (
  id     INTEGER PRIMARY KEY,
  run    INTEGER NOT NULL REFERENCES ingest_run (id),
  file   TEXT NOT NULL,
  line   INTEGER NOT NULL,                -- 1-based, where the record starts
                                          -- (a sheet's row)
  col    INTEGER NOT NULL,                -- 1-based byte column (a sheet's
                                          -- column: 3 is C)
  field  TEXT,                            -- the column's header, when known
  reason TEXT NOT NULL,
  raw    BLOB NOT NULL,                   -- the record's bytes as read (a
                                          -- sheet's row: cells joined by ,)
  sheet  TEXT                             -- the workbook's sheet; NULL: text
);
CREATE INDEX reject_run ON reject (run);

-- The readable views: the tables above as a person reads them, for
-- sqlite3, DuckDB, Datasette or a spreadsheet (docs/database.md lists
-- every column).  Names instead of dict ids, the codes as the words of
-- the exports (model.h), times as 'YYYY-MM-DD HH:MM:SS' in China
-- Standard Time.  hotline itself never reads them, and `hotline copy`
-- copies the tables only.  The caller hash stays out of them.  A later
-- migration that drops or renames a column they read drops and makes
-- them again (migrate-9.sql makes them on older databases).
CREATE VIEW v_tickets AS
SELECT t.ticket_id AS ticket_id,
  strftime('%Y-%m-%d %H:%M:%S', t.accepted_at, 'unixepoch') AS accepted_at,
  d.value AS district,
  s.value AS street,
  u.value AS unit,
  c.value AS channel,
  CASE t.category WHEN 0 THEN '咨询' WHEN 1 THEN '求助' WHEN 2 THEN '投诉'
    WHEN 3 THEN '举报' WHEN 4 THEN '建议' WHEN 5 THEN '表扬'
    ELSE '其他' END AS category,
  cr.value AS category_raw,
  tp.value AS topic,
  CASE t.is_key WHEN 1 THEN '重点' WHEN 0 THEN '普通' END AS key_flag,
  CASE t.status WHEN 0 THEN '待派单' WHEN 1 THEN '待签收'
    WHEN 2 THEN '办理中' WHEN 3 THEN '已办结' WHEN 4 THEN '已回访'
    WHEN 5 THEN '已归档' END AS status,
  CASE t.satisfaction WHEN 1 THEN '满意' WHEN 2 THEN '基本满意'
    WHEN 3 THEN '不满意' ELSE '未评价' END AS satisfaction,
  strftime('%Y-%m-%d %H:%M:%S', t.dispatched_at, 'unixepoch')
    AS dispatched_at,
  strftime('%Y-%m-%d %H:%M:%S', t.signed_at, 'unixepoch') AS signed_at,
  strftime('%Y-%m-%d %H:%M:%S', t.deadline_at, 'unixepoch') AS deadline_at,
  strftime('%Y-%m-%d %H:%M:%S', t.closed_at, 'unixepoch') AS closed_at,
  strftime('%Y-%m-%d %H:%M:%S', t.updated_at, 'unixepoch') AS updated_at,
  t.reopen_count AS reopen_count,
  CASE (t.assess >> 0) & 3 WHEN 1 THEN '是' WHEN 2 THEN '否' END
    AS valid_callback,
  CASE (t.assess >> 2) & 3 WHEN 1 THEN '是' WHEN 2 THEN '否' END
    AS contacted,
  CASE (t.assess >> 4) & 3 WHEN 1 THEN '是' WHEN 2 THEN '否' END
    AS resolved,
  CASE (t.assess >> 6) & 3 WHEN 1 THEN '是' WHEN 2 THEN '否' END
    AS in_assessment,
  t.quoted AS quoted_ticket_id,
  t.quality AS quality,
  t.content AS content,
  r.file AS file,
  t.line AS line
FROM ticket AS t
LEFT JOIN dict AS d ON d.id = t.district
LEFT JOIN dict AS s ON s.id = t.street
LEFT JOIN dict AS u ON u.id = t.unit
LEFT JOIN dict AS c ON c.id = t.channel
LEFT JOIN dict AS cr ON cr.id = t.category_raw
LEFT JOIN dict AS tp ON tp.id = t.topic
LEFT JOIN ingest_run AS r ON r.id = t.run;

CREATE VIEW v_rejects AS
SELECT j.run AS import_id,
  j.file AS file,
  j.sheet AS sheet,
  j.line AS line,
  j.col AS column_number,
  j.field AS field,
  j.reason AS reason
FROM reject AS j;

CREATE VIEW v_imports AS
SELECT i.id AS import_id,
  i.file AS file,
  i.size AS size,
  i.sha256 AS sha256,
  i.encoding AS encoding,
  strftime('%Y-%m-%d %H:%M:%S', i.started_at, 'unixepoch') AS started_at,
  strftime('%Y-%m-%d %H:%M:%S', i.finished_at, 'unixepoch') AS finished_at,
  i.status AS status,
  i.rows_read AS rows_read,
  i.rows_inserted AS rows_inserted,
  i.rows_updated AS rows_updated,
  i.rows_unchanged AS rows_unchanged,
  i.rows_rejected AS rows_rejected,
  i.rows_flagged AS rows_flagged
FROM ingest_run AS i;
