SELECT max(t) FROM (
    SELECT max(r.at_ms) AS t FROM review r JOIN item i ON i.id = r.item_id
    WHERE i.deck = ?1 AND i.card = ?2
    UNION ALL
    SELECT max(e.at_ms) AS t FROM item_event e JOIN item i ON i.id = e.item_id
    WHERE i.deck = ?1 AND i.card = ?2
)
