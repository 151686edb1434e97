-- Every answer with its card, grouped by card: the log is read in one sequential pass and
-- sorted (CROSS JOIN keeps the review table outside, so SQLite never fetches answers one by
-- one from random pages through the item index).
SELECT i.deck, i.card, r.id, r.uid, r.item_id, r.at_ms, r.rating, r.kind, r.time_ms
FROM review r CROSS JOIN item i ON i.id = r.item_id
ORDER BY i.deck, i.card
