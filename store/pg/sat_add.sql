-- pg/sat_add.sql - changes to the satisfaction rollup, a batch at a time:
-- the arrays $1..$5 are the days (yyyymmdd), districts (0 none), key
-- flags, answers and counts of the changes, summed by key (a key may come
-- twice) and added to what sat_day holds.
INSERT INTO sat_day AS r (day, district, is_key, satisfaction, n)
SELECT d, di, k, sa, sum(c)::bigint
FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::integer[],
            $5::bigint[]) AS u (d, di, k, sa, c)
GROUP BY d, di, k, sa
ON CONFLICT (day, district, is_key, satisfaction)
DO UPDATE SET n = r.n + excluded.n;
