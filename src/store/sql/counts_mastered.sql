SELECT deck, COUNT(*) FROM item INDEXED BY item_due
WHERE removed = 0 AND stable_until_ms >= :now
GROUP BY deck
