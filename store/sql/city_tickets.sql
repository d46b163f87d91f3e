-- city_tickets.sql - every ticket accepted in [?2, ?3) (hl_time seconds),
-- whatever its district (?1 is not used): what the city-wide metrics
-- scan.  Same columns as district_tickets.sql.
--
-- Read, district by district and then the tickets without one, through
-- the index on (district, accepted_at), which covers every column here:
-- a period's tickets are one run of index entries per district, whatever
-- order the files stored them in.
SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
       street, unit, channel, category, is_key, satisfaction, reopen_count,
       quality, district, assess, topic, caller, quoted, quoted_id
FROM ticket
WHERE ?1 IS NULL AND district IN (SELECT id FROM dict WHERE kind = 1)
  AND accepted_at >= ?2 AND accepted_at < ?3
UNION ALL
SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
       street, unit, channel, category, is_key, satisfaction, reopen_count,
       quality, district, assess, topic, caller, quoted, quoted_id
FROM ticket
WHERE ?1 IS NULL AND district IS NULL
  AND accepted_at >= ?2 AND accepted_at < ?3;
