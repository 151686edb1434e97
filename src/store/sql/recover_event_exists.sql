SELECT 1 FROM item_event WHERE item_id = ?1 AND at_ms = ?2 AND kind = ?3 AND until_ms IS ?4
