SELECT id, uid, item_id, at_ms, rating, kind, time_ms, response FROM review
WHERE item_id = ?1 ORDER BY id
