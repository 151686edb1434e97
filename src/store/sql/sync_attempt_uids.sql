UPDATE attempt SET uid = ?1 || '-' || lower(hex(randomblob(8)))
WHERE uid IS NULL AND finished_ms IS NOT NULL
