-- city_tickets.sql - every ticket accepted in [?2, ?3) (hl_time seconds),
-- whatever its district (?1 is not used): what the city-wide metrics
-- scan.  Same columns as district_tickets.sql.
--
-- There is no index on accepted_at alone (every index costs the ingest),
-- but tickets are stored in the order their files list them, which is
-- nearly the order of acceptance.  So the scan is bounded by the first and
-- last rowid the period has in the index on (district, accepted_at), one
-- probe per district spelling (and one for tickets without a district),
-- and reads the table only between them: a month of a database holding
-- years reads about that month.  Stored out of order, the bounds widen, up
-- to the whole table; the result is the same.
WITH span(lo, hi) AS (
  SELECT min(id), max(id) FROM ticket
  WHERE district IN (SELECT id FROM dict)
    AND accepted_at >= ?2 AND accepted_at < ?3
  UNION ALL
  SELECT min(id), max(id) FROM ticket
  WHERE district IS NULL AND accepted_at >= ?2 AND accepted_at < ?3
)
SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
       street, unit, channel, category, is_key, satisfaction, reopen_count,
       quality, district
FROM ticket
WHERE ?1 IS NULL
  AND id BETWEEN (SELECT min(lo) FROM span) AND (SELECT max(hi) FROM span)
  AND accepted_at >= ?2 AND accepted_at < ?3;
