SELECT r.uid, i.deck, i.card, i.ord, r.at_ms, r.rating, r.kind, r.time_ms, r.response
FROM review r JOIN item i ON i.id = r.item_id
WHERE r.origin IS NULL ORDER BY r.id LIMIT ?1
