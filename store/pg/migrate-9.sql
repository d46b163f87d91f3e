-- pg/migrate-9.sql - schema version 8 to 9, as store/migrate-9.sql on
-- SQLite: the readable views, exactly pg/schema.sql's.  hotline runs it
-- in one transaction with the version's update.

CREATE VIEW v_tickets AS
SELECT t.ticket_id AS ticket_id,
  to_char(to_timestamp(t.accepted_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS accepted_at,
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
  to_char(to_timestamp(t.dispatched_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS dispatched_at,
  to_char(to_timestamp(t.signed_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS signed_at,
  to_char(to_timestamp(t.deadline_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS deadline_at,
  to_char(to_timestamp(t.closed_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS closed_at,
  to_char(to_timestamp(t.updated_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS updated_at,
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
  to_char(to_timestamp(i.started_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS started_at,
  to_char(to_timestamp(i.finished_at) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS') AS finished_at,
  i.status AS status,
  i.rows_read AS rows_read,
  i.rows_inserted AS rows_inserted,
  i.rows_updated AS rows_updated,
  i.rows_unchanged AS rows_unchanged,
  i.rows_rejected AS rows_rejected,
  i.rows_flagged AS rows_flagged
FROM ingest_run AS i;
