-- pg/sat_closed.sql - sat_closed: satisfaction counted by the day (yyyymmdd) of closure
SELECT to_char(to_timestamp(closed_at) AT TIME ZONE 'UTC', 'YYYYMMDD')
         ::integer,
       coalesce(district, 0), coalesce(is_key, 0), satisfaction, count(*)
FROM ticket
WHERE closed_at >= $1 AND closed_at < $2
GROUP BY 1, 2, 3, 4;
