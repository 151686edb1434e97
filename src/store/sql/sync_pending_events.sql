SELECT e.uid, i.deck, i.card, i.ord, e.at_ms, e.kind, e.until_ms
FROM item_event e JOIN item i ON i.id = e.item_id
WHERE e.origin IS NULL ORDER BY e.id LIMIT ?1
