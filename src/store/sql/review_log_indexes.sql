-- The log's two lookup indexes, as 0006_review_uid_index.sql creates them (SQLite keeps the
-- text without "IF NOT EXISTS"): built again at the end of a bulk merge, behind it on a
-- second connection when the merge's checkpoint runs behind (store/checkpoint.rs), and at
-- open if a process ended before that. The item index may exist already
-- (review_bulk_item.sql). Neither enforces anything: without them a query only reads more.
CREATE INDEX IF NOT EXISTS review_item ON review (item_id, id);
CREATE INDEX IF NOT EXISTS review_at ON review (at_ms);
