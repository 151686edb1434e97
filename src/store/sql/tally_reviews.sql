SELECT i.deck, COUNT(*) FROM review r JOIN item i ON i.id = r.item_id
WHERE r.at_ms >= ?1 AND r.kind = 1 GROUP BY i.deck
