INSERT OR IGNORE INTO review (uid, item_id, at_ms, rating, kind, time_ms, response, origin)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
