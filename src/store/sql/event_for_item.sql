SELECT id, item_id, at_ms, kind, until_ms, after_review, uid FROM item_event
WHERE item_id = ?1 ORDER BY id
