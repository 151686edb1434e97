UPDATE item SET removed = 1 WHERE id = ?1
