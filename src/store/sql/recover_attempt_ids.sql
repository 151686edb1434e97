-- A salvaged attempt's global id and origin, for the backup's copy that has none yet.
UPDATE attempt SET uid = ?2, origin = ?3 WHERE id = ?1 AND uid IS NULL AND ?2 IS NOT NULL
