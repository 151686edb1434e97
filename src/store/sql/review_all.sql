SELECT id, uid, item_id, at_ms, rating, kind, time_ms, response FROM review ORDER BY id
