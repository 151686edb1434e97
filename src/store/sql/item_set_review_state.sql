-- A replayed state that leaves phase, suspension, burial, introduction and the edit mark as
-- they are (item_set_state.sql sets those too, and so rewrites every index of the table).
UPDATE item SET step = :step, due_ms = :due, last_review_ms = :last, stability = :stability,
                difficulty = :difficulty, interval_days = :interval, reps = :reps,
                lapses = :lapses, leech = :leech,
                stable_until_ms = :last + CAST(:stability * 86400000.0 AS INTEGER)
WHERE id = :id
