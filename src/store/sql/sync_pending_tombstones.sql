SELECT uid FROM sync_tombstone WHERE origin IS NULL ORDER BY uid LIMIT ?1
