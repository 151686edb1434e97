SELECT 1 FROM sync_tombstone WHERE uid = ?1
