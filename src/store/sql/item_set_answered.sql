-- An answer's new state, suspension, burial and introduction left as they are: every column
-- an UPDATE sets rewrites each index on it, even to the same value, so setting only these
-- saves an answer's commit the pages of `item_deck` and `item_introduced`.
UPDATE item SET phase = :phase, step = :step, due_ms = :due, last_review_ms = :last,
                stability = :stability, difficulty = :difficulty, interval_days = :interval,
                reps = :reps, lapses = :lapses, leech = :leech, edited = :edited,
                stable_until_ms = :last + CAST(:stability * 86400000.0 AS INTEGER)
WHERE id = :id
