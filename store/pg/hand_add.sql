-- pg/hand_add.sql - changes to the handling-time rollup, a batch at a
-- time: the arrays $1..$6 are the days (yyyymmdd), districts (0 none),
-- categories, starts (0 dispatch, 1 acceptance), counts and seconds of
-- the changes, summed by key and added to what hand_day holds.
INSERT INTO hand_day AS r (day, district, category, start, n, secs)
SELECT d, di, ca, st, sum(c)::bigint, sum(se)::bigint
FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::integer[],
            $5::bigint[], $6::bigint[]) AS u (d, di, ca, st, c, se)
GROUP BY d, di, ca, st
ON CONFLICT (day, district, category, start)
DO UPDATE SET n = r.n + excluded.n, secs = r.secs + excluded.secs;
