SELECT deck, COUNT(*) FROM item
WHERE phase = 2 AND removed = 0 AND suspended = 0 AND due_ms > :now AND exam = :top_exam
  AND (buried_until_ms IS NULL OR buried_until_ms <= :now)
  AND last_review_ms < :final_start
  AND (:exam_start - last_review_ms) > stability * :factor * 86400000.0
GROUP BY deck
