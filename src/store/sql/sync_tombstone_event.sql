INSERT OR IGNORE INTO sync_tombstone (uid, origin)
SELECT uid, NULL FROM item_event WHERE id = ?1 AND uid IS NOT NULL AND origin IS NOT NULL
