SELECT id, deck, card, ord, exam, domain, content_hash, position, edited, removed FROM item
WHERE deck = ?1
