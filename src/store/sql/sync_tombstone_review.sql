INSERT OR IGNORE INTO sync_tombstone (uid, origin)
SELECT uid, NULL FROM review WHERE id = ?1 AND origin IS NOT NULL
