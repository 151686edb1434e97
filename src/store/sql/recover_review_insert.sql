-- A salvaged answer, copied as it was read (the table's checks refuse a damaged value).
INSERT INTO review (uid, item_id, at_ms, rating, kind, time_ms, response)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
