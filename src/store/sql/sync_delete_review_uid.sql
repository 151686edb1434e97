DELETE FROM review WHERE uid = ?1 RETURNING item_id
