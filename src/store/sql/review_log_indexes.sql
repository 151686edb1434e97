-- The log's indexes a bulk merge dropped, as 0006_review_uid_index.sql creates them (SQLite
-- keeps the text without "IF NOT EXISTS"): the unique uid index first, then the two lookup
-- indexes. Built again at the end of a bulk merge, behind it on a second connection when
-- the merge's checkpoint runs behind (store/checkpoint.rs), and at open if a process ended
-- before that. Any may exist already (review_bulk_create.sql, review_bulk_item.sql).
CREATE UNIQUE INDEX IF NOT EXISTS review_uid ON review (uid);
CREATE INDEX IF NOT EXISTS review_item ON review (item_id, id);
CREATE INDEX IF NOT EXISTS review_at ON review (at_ms);
