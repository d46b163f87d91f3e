-- hand_day.sql - handling-time sums of the closed tickets accepted on
-- the days [?1, ?2) (yyyymmdd), from start ?3 (0 acceptance, 1 dispatch),
-- by district and category, from the rollup the ingest keeps: the year
-- before a period, for the speed-up.
SELECT district, category, sum(n), sum(secs)
FROM hand_day
WHERE day >= ?1 AND day < ?2 AND start = ?3
GROUP BY district, category;
