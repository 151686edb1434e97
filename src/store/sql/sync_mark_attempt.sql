UPDATE attempt SET origin = ?1 WHERE uid = ?2 AND origin IS NULL
