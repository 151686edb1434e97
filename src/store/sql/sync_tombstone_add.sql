INSERT OR IGNORE INTO sync_tombstone (uid, origin) VALUES (?1, ?2)
