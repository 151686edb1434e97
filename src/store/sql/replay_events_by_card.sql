SELECT i.deck, i.card, e.id, e.item_id, e.at_ms, e.kind, e.until_ms, e.after_review, e.uid
FROM item_event e CROSS JOIN item i ON i.id = e.item_id
ORDER BY i.deck, i.card
