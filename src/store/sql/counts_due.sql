SELECT deck,
       SUM(phase = 2 AND due_ms <= :now AND (buried_until_ms IS NULL OR buried_until_ms <= :now)),
       SUM(phase IN (1, 3))
FROM item INDEXED BY item_due
WHERE phase IN (1, 2, 3) AND removed = 0 AND suspended = 0 AND due_ms <= :learn_until
GROUP BY deck
