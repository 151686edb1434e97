INSERT INTO item (deck, card, ord, exam, domain, content_hash, position, added_ms)
VALUES (:deck, :card, :ord, :exam, :domain, :hash, :position, :now)
