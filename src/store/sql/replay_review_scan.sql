-- The whole log in table order (one sequential scan): what a replay needs of each answer.
SELECT id, item_id, at_ms, rating, kind, uid FROM review
