-- The indexes review_bulk_drop.sql dropped, exactly as 0005_review_uid_index.sql creates
-- them (SQLite keeps the text without "IF NOT EXISTS"); the unique one first (a duplicate uid
-- fails the merge before more work is done). The item index may have been built already
-- (review_bulk_item.sql).
CREATE UNIQUE INDEX review_uid ON review (uid);
CREATE INDEX IF NOT EXISTS review_item ON review (item_id, id);
CREATE INDEX review_at ON review (at_ms);
