SELECT deck, COUNT(*) FROM item INDEXED BY item_new_deck
WHERE phase = 0 AND removed = 0 AND suspended = 0
  AND (buried_until_ms IS NULL OR buried_until_ms <= :now)
GROUP BY deck
