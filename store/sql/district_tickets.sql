-- district_tickets.sql - the tickets of one district (?1, a dict id)
-- accepted in [?2, ?3) (hl_time seconds), read through the index on
-- (district, accepted_at): what the metrics of one district scan.
-- For periods by dispatch or closure, ?2 is the smallest integer and the
-- metrics keep the tickets whose dispatch or closure falls in the period.
SELECT id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at,
       street, unit, channel, category, is_key, satisfaction, reopen_count,
       quality, district, assess, topic, caller, quoted, quoted_id
FROM ticket
WHERE district = ?1 AND accepted_at >= ?2 AND accepted_at < ?3;
