-- An item's first answer: its new state and when it was introduced, suspension and burial
-- left as they are (see item_set_answered.sql).
UPDATE item SET phase = :phase, step = :step, due_ms = :due, last_review_ms = :last,
                stability = :stability, difficulty = :difficulty, interval_days = :interval,
                reps = :reps, lapses = :lapses, leech = :leech, edited = :edited,
                introduced_ms = :introduced,
                stable_until_ms = :last + CAST(:stability * 86400000.0 AS INTEGER)
WHERE id = :id
