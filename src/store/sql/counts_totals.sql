SELECT deck, COUNT(*), SUM(suspended) FROM item INDEXED BY item_deck
WHERE removed = 0
GROUP BY deck
