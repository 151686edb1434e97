INSERT INTO item_event (item_id, at_ms, kind, until_ms, after_review)
VALUES (?1, ?2, ?3, ?4, ?5)
