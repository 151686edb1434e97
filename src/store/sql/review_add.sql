INSERT INTO review (uid, item_id, at_ms, rating, kind, time_ms, response)
VALUES (:uid, :item, :at, :rating, :kind, :time, :response)
