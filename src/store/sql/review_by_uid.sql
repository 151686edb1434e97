SELECT id, uid, item_id, at_ms, rating, kind, time_ms, response FROM review WHERE uid = ?1
