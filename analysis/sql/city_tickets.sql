-- city_tickets.sql - every ticket accepted in [?2, ?3) (hl_time seconds),
-- whatever its district (?1 is not used): what the city-wide metrics
-- scan.  Same columns as district_tickets.sql.
SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
       street, unit, channel, category, is_key, satisfaction, reopen_count,
       quality, district
FROM ticket
WHERE ?1 IS NULL AND accepted_at >= ?2 AND accepted_at < ?3;
