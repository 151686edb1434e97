SELECT deck, COUNT(*) FROM item INDEXED BY item_due
WHERE phase = 2 AND removed = 0 AND suspended = 0 AND due_ms > :from AND due_ms <= :now
  AND (buried_until_ms IS NULL OR buried_until_ms <= :now)
  AND (:deck IS NULL OR deck = :deck OR substr(deck, 1, length(:deck) + 1) = :deck || '/')
  AND (:exam IS NULL OR exam = :exam) AND (:domain IS NULL OR domain = :domain)
GROUP BY deck
