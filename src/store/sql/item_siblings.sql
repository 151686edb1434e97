SELECT id, buried_until_ms FROM item
WHERE deck = ?1 AND card = ?2 AND ord <> ?3 AND phase IN (0, 2)
