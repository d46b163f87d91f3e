-- hand_month.sql - handling-time sums of the closed tickets accepted in
-- the months [?1, ?2) (yyyymm), from start ?3 (0 acceptance, 1 dispatch),
-- by district and category, from the rollup the ingest keeps: the year
-- before a period, for the speed-up.
SELECT district, category, sum(n), sum(secs)
FROM hand_month
WHERE month >= ?1 AND month < ?2 AND start = ?3
GROUP BY district, category;
