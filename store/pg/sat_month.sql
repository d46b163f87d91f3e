-- pg/sat_month.sql - sat_month: the satisfaction rollup of year $1
SELECT month % 100, district, is_key, satisfaction, n
FROM sat_month
WHERE month BETWEEN $1 * 100 + 1 AND $1 * 100 + 12;
