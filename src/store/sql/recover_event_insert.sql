INSERT INTO item_event (item_id, at_ms, kind, until_ms, after_review, uid, origin)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
