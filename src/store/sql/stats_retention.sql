SELECT i.deck, i.exam, i.domain, COUNT(*), SUM(r.rating > 1) FROM review r
JOIN item i ON i.id = r.item_id
WHERE r.kind IN (1, 4) AND i.removed = 0
GROUP BY i.deck, i.exam, i.domain
