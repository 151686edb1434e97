-- An item's first answer: when it was introduced (beside item_set_answered.sql, in the same
-- transaction, so the row's pages are written once).
UPDATE item SET introduced_ms = :introduced WHERE id = :id
