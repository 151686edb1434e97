INSERT OR IGNORE INTO review (uid, item_id, at_ms, rating, kind, time_ms, response, origin)
VALUES (:uid, :item, :at, :rating, :kind, :time, :response, :origin)
