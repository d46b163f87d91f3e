-- bench/metrics.sql - the figures bench_metrics.py compares, computed by
-- the sqlite3 shell from a table x made by `.import` of a variant-1 export
-- (every column text).  Two result sets: per district, then satisfaction
-- answers by district, month and key flag (the script ranks them as it
-- does every tool's).  Times are read as UTC, like hotline's China
-- Standard Time seconds: only differences matter.
WITH t AS (
  SELECT 所属区 AS d,
         unixepoch(受理时间) AS acc,
         unixepoch(nullif(派单时间, '')) AS disp,
         unixepoch(nullif(办理时限, '')) AS dl,
         unixepoch(nullif(办结时间, '')) AS cl,
         诉求类型 = '咨询' AS cons,
         CAST(重办次数 AS INTEGER) AS re
  FROM x
)
SELECT d,
       count(*) AS tickets,
       count(cl) AS closed,
       coalesce(sum(cl <= dl), 0) AS on_time,
       coalesce(sum(cl > dl), 0) AS late,
       sum(cl IS NOT NULL AND re >= 1) AS reopened,
       sum(cl IS NOT NULL AND cons) AS consult_n,
       sum(CASE WHEN cons THEN cl - coalesce(disp, acc) END) AS consult_s,
       sum(cl IS NOT NULL AND NOT cons) AS other_n,
       sum(CASE WHEN NOT cons THEN cl - coalesce(disp, acc) END) AS other_s
FROM t
GROUP BY d
ORDER BY d;

SELECT 所属区 AS d,
       CAST(strftime('%m', 受理时间) AS INTEGER) AS m,
       是否重点工单 = '是' AS k,
       sum(满意度 = '满意') AS s,
       sum(满意度 = '基本满意') AS b,
       sum(满意度 = '不满意') AS u,
       sum(满意度 NOT IN ('满意', '基本满意', '不满意')) AS n
FROM x
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;
