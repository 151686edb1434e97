SELECT deck,
       SUM(phase = 0 AND suspended = 0 AND (buried_until_ms IS NULL OR buried_until_ms <= :now)),
       SUM(phase IN (1, 3) AND suspended = 0 AND due_ms <= :learn_until),
       SUM(phase = 2 AND suspended = 0 AND due_ms <= :now
           AND (buried_until_ms IS NULL OR buried_until_ms <= :now)),
       COUNT(*),
       SUM(suspended),
       SUM(phase > 0 AND stability IS NOT NULL
           AND (:now - last_review_ms) <= stability * 86400000.0)
FROM item WHERE removed = 0
GROUP BY deck
