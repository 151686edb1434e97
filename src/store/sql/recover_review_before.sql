-- The last answer given at or before a moment: where a salvaged event is replayed when the
-- answer it followed was not salvaged.
SELECT coalesce(max(id), 0) FROM review WHERE at_ms <= ?1
