-- pg/sat_dispatched.sql - sat_dispatched: satisfaction counted by the day (yyyymmdd) of dispatch
SELECT to_char(to_timestamp(dispatched_at) AT TIME ZONE 'UTC', 'YYYYMMDD')
         ::integer,
       coalesce(district, 0), coalesce(is_key, 0), satisfaction, count(*)
FROM ticket
WHERE dispatched_at >= $1 AND dispatched_at < $2
GROUP BY 1, 2, 3, 4;
