// duckdb_metrics.mjs - the figures bench_metrics.py compares, computed by
// DuckDB (npm @duckdb/node-api) from a variant-1 export read with
// read_csv, every column text.  Prints {"rows": [...], "sat": [...]} as
// bench/metrics.sql's two result sets.
//
//   node bench/duckdb_metrics.mjs file.csv
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2].replaceAll("'", "''");
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run(`CREATE TABLE x AS SELECT * FROM read_csv('${file}',
  header = true, all_varchar = true, quote = '"', escape = '"')`);
const ts = (c) => `CAST(epoch(strptime(nullif("${c}", ''),
  '%Y-%m-%d %H:%M:%S')) AS BIGINT)`;
const rows = await con.runAndReadAll(`
  WITH t AS (
    SELECT "所属区" AS d, ${ts('受理时间')} AS acc, ${ts('派单时间')} AS disp,
           ${ts('办理时限')} AS dl, ${ts('办结时间')} AS cl,
           "诉求类型" = '咨询' AS cons,
           TRY_CAST("重办次数" AS INTEGER) AS re
    FROM x)
  SELECT d, count(*), count(cl),
         coalesce(sum(CAST(cl <= dl AS INTEGER)), 0),
         coalesce(sum(CAST(cl > dl AS INTEGER)), 0),
         sum(CAST(cl IS NOT NULL AND re >= 1 AS INTEGER)),
         sum(CAST(cl IS NOT NULL AND cons AS INTEGER)),
         coalesce(sum(CASE WHEN cons THEN cl - coalesce(disp, acc) END), 0),
         sum(CAST(cl IS NOT NULL AND NOT cons AS INTEGER)),
         coalesce(sum(CASE WHEN NOT cons THEN cl - coalesce(disp, acc) END), 0)
  FROM t GROUP BY d ORDER BY d`);
const sat = await con.runAndReadAll(`
  SELECT "所属区", month(strptime("受理时间", '%Y-%m-%d %H:%M:%S')),
         CAST("是否重点工单" = '是' AS INTEGER),
         sum(CAST("满意度" = '满意' AS INTEGER)),
         sum(CAST("满意度" = '基本满意' AS INTEGER)),
         sum(CAST("满意度" = '不满意' AS INTEGER)),
         sum(CAST(coalesce("满意度", '') NOT IN ('满意', '基本满意', '不满意')
             AS INTEGER))
  FROM x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
const plain = (r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v));
process.stdout.write(JSON.stringify({
  rows: rows.getRows().map(plain),
  sat: sat.getRows().map(plain),
}));
