SELECT uid FROM review WHERE id = ?1
