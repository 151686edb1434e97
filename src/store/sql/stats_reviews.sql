SELECT at_ms, time_ms, kind FROM review WHERE at_ms >= ?1
