SELECT id, deck, :now, phase FROM item
WHERE phase = 2 AND removed = 0 AND suspended = 0 AND due_ms > :now AND exam = :top_exam
  AND (buried_until_ms IS NULL OR buried_until_ms <= :now)
  AND last_review_ms < :final_start
  AND (:exam_start - last_review_ms) > stability * :factor * 86400000.0
  AND (:deck IS NULL OR deck = :deck OR substr(deck, 1, length(:deck) + 1) = :deck || '/')
  AND (:exam IS NULL OR exam = :exam) AND (:domain IS NULL OR domain = :domain)
ORDER BY last_review_ms, id LIMIT :limit
