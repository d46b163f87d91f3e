-- sat_day.sql - satisfaction answers of every district by day (yyyymmdd)
-- of acceptance, for the days [?1, ?2) (yyyymmdd), from the rollup the
-- ingest keeps: what the rankings compare.  satisfaction: 0 not
-- evaluated, 1 满意, 2 基本满意, 3 不满意; is_key 1 重点, 0 普通 (or not
-- given).
SELECT day, district, is_key, satisfaction, n
FROM sat_day
WHERE day >= ?1 AND day < ?2;
