UPDATE item_event SET uid = ?5, origin = ?6
WHERE item_id = ?1 AND at_ms = ?2 AND kind = ?3 AND until_ms IS ?4 AND uid IS NULL
