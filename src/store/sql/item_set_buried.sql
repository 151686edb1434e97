UPDATE item SET buried_until_ms = ?2 WHERE id = ?1
