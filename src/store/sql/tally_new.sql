SELECT deck, COUNT(*) FROM item INDEXED BY item_introduced WHERE introduced_ms >= ?1 GROUP BY deck
