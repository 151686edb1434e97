-- The indexes review_bulk_drop.sql dropped, exactly as 0005_review_uid_index.sql creates
-- them; the unique one first (a duplicate uid fails the merge before more work is done).
CREATE UNIQUE INDEX review_uid ON review (uid);
CREATE INDEX review_item ON review (item_id, id);
CREATE INDEX review_at ON review (at_ms);
