-- Answers since ?1 in 15-minute buckets (every time zone's day starts on a quarter hour).
-- The log is appended in time order, so the range is read by rowid from the first answer.
SELECT at_ms / 900000, COUNT(*), SUM(time_ms) FROM review
WHERE id >= (SELECT coalesce(min(id), 0) FROM review WHERE at_ms >= ?1) AND at_ms >= ?1
GROUP BY 1
