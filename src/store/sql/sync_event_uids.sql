UPDATE item_event SET uid = ?1 || '-' || lower(hex(randomblob(8)))
WHERE uid IS NULL
