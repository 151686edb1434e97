INSERT OR IGNORE INTO item_event (item_id, at_ms, kind, until_ms, after_review, uid, origin)
VALUES (:item, :at, :kind, :until, (SELECT coalesce(max(id), 0) FROM review
                                    WHERE item_id = :item AND at_ms <= :at), :uid, :origin)
