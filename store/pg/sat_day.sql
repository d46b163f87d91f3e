-- pg/sat_day.sql - sat_day: the satisfaction rollup of the days [$1, $2) (yyyymmdd)
SELECT day, district, is_key, satisfaction, n
FROM sat_day
WHERE day >= $1 AND day < $2;
