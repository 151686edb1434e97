SELECT deck, COUNT(*) FROM item INDEXED BY item_new_deck
WHERE phase = 0 AND removed = 0 AND suspended = 0
  AND (buried_until_ms IS NULL OR buried_until_ms <= :now)
  AND (:deck IS NULL OR deck = :deck OR substr(deck, 1, length(:deck) + 1) = :deck || '/')
  AND (:exam IS NULL OR exam = :exam) AND (:domain IS NULL OR domain = :domain)
GROUP BY deck
