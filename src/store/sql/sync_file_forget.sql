DELETE FROM sync_file WHERE device = ?1 AND name = ?2
