DELETE FROM item_event WHERE uid = ?1 RETURNING item_id
