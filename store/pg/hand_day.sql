-- pg/hand_day.sql - hand_day: handling-time sums of the days [$1, $2) (yyyymmdd) timed from $3
SELECT district, category, sum(n)::bigint, sum(secs)::bigint
FROM hand_day
WHERE day >= $1 AND day < $2 AND start = $3
GROUP BY district, category;
