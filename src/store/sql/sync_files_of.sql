SELECT name FROM sync_file WHERE device = ?1
