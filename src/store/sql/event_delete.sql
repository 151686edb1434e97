DELETE FROM item_event WHERE id = ?1
