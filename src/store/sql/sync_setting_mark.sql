UPDATE sync_setting SET origin = ?1 WHERE origin IS NULL
