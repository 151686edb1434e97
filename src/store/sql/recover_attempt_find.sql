SELECT id, updated_ms FROM attempt WHERE exam = ?1 AND started_ms = ?2
