SELECT id FROM review WHERE uid = ?1
