INSERT INTO item (deck, card, ord, exam, domain, content_hash, position, edited, removed, added_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
