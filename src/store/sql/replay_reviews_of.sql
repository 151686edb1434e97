-- An item's answers for a replay: the response (possibly long JSON) is not needed.
SELECT id, uid, item_id, at_ms, rating, kind, time_ms, NULL FROM review WHERE item_id = ?1
