SELECT deck, COUNT(*) FROM item WHERE introduced_ms >= ?1 GROUP BY deck
