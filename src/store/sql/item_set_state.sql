UPDATE item SET phase = :phase, step = :step, due_ms = :due, last_review_ms = :last,
                stability = :stability, difficulty = :difficulty, interval_days = :interval,
                reps = :reps, lapses = :lapses, leech = :leech, suspended = :suspended,
                buried_until_ms = :buried, introduced_ms = :introduced, edited = :edited,
                stable_until_ms = :last + CAST(:stability * 86400000.0 AS INTEGER)
WHERE id = :id
