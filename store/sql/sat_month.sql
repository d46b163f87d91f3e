-- sat_month.sql - satisfaction answers of every district by month of
-- acceptance in year ?1, from the rollup the ingest keeps: what the
-- monthly rankings compare.  satisfaction: 0 not evaluated, 1 满意,
-- 2 基本满意, 3 不满意; is_key 1 重点, 0 普通 (or not given).
SELECT month % 100, district, is_key, satisfaction, n
FROM sat_month
WHERE month BETWEEN ?1 * 100 + 1 AND ?1 * 100 + 12;
