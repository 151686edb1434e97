SELECT COUNT(*), coalesce(SUM(time_ms), 0) FROM review
