INSERT INTO item (deck, card, ord, content_hash, position, removed, added_ms)
VALUES (?1, ?2, ?3, '', (SELECT coalesce(max(position), 0) + 1 FROM item), 1, ?4)
RETURNING id
