-- pg/hand_month.sql - hand_month: handling-time sums of months [$1, $2) timed from $3
SELECT district, category, sum(n)::bigint, sum(secs)::bigint
FROM hand_month
WHERE month >= $1 AND month < $2 AND start = $3
GROUP BY district, category;
