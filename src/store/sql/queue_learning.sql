SELECT id, deck, due_ms, phase FROM item INDEXED BY item_due
WHERE phase IN (1, 3) AND removed = 0 AND suspended = 0 AND due_ms <= :until
  AND (:deck IS NULL OR deck = :deck OR substr(deck, 1, length(:deck) + 1) = :deck || '/')
  AND (:exam IS NULL OR exam = :exam) AND (:domain IS NULL OR domain = :domain)
ORDER BY due_ms, id LIMIT :limit
