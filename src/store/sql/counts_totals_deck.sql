SELECT COUNT(*), coalesce(SUM(suspended), 0) FROM item INDEXED BY item_deck
WHERE removed = 0 AND deck = ?1
