-- The indexes review_bulk_drop.sql dropped, exactly as 0001_init.sql creates them.
CREATE INDEX review_item ON review (item_id, id);
CREATE INDEX review_at ON review (at_ms);
