INSERT OR IGNORE INTO sync_file (device, name, records) VALUES (?1, ?2, ?3)
