-- Every item grouped by card (the unique index on deck, card, ord gives the order), so a
-- replay can stream one card at a time.
SELECT id, deck, card, ord, exam, domain, content_hash, position, edited, removed, phase, step,
       due_ms, last_review_ms, stability, difficulty, interval_days, reps, lapses, leech,
       suspended, buried_until_ms, introduced_ms
FROM item ORDER BY deck, card, ord
