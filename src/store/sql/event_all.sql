SELECT id, item_id, at_ms, kind, until_ms, after_review, uid FROM item_event ORDER BY after_review, id
