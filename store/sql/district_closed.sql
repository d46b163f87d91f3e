-- district_closed.sql - what handling time needs of the closed tickets of
-- one district (?1) accepted in [?2, ?3): the year before the period, for
-- the speed-up.  Same first columns as district_tickets.sql, then the
-- district.
SELECT id, accepted_at, dispatched_at, NULL, NULL, closed_at, category,
       quality, district
FROM ticket
WHERE district = ?1 AND accepted_at >= ?2 AND accepted_at < ?3
  AND closed_at IS NOT NULL;
