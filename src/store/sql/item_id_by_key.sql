SELECT id FROM item WHERE deck = ?1 AND card = ?2 AND ord = ?3
