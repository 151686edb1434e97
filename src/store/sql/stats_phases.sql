SELECT deck, phase, suspended, COUNT(*) FROM item WHERE removed = 0 GROUP BY deck, phase, suspended
