SELECT id, deck, card, ord, exam, domain, content_hash, position, edited, removed, phase, step,
       due_ms, last_review_ms, stability, difficulty, interval_days, reps, lapses, leech,
       suspended, buried_until_ms, introduced_ms
FROM item
WHERE deck = ?1 AND card = ?2 AND ord <> ?3 AND phase IN (0, 2)
