UPDATE item SET exam = :exam, domain = :domain, content_hash = :hash, position = :position,
                edited = :edited, removed = 0
WHERE id = :id
