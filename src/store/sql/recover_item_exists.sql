SELECT id FROM item WHERE id = ?1
