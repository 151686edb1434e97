-- The unique uid index review_bulk_drop.sql dropped, exactly as 0006_review_uid_index.sql
-- creates it (SQLite keeps the text without "IF NOT EXISTS"): built again at the end of a
-- bulk merge, or behind it (store/checkpoint.rs), and before anything inserts or looks up
-- a uid from elsewhere while it is owed (`Tx::need_uid_index`). A duplicate uid fails the
-- build and rolls its transaction back.
CREATE UNIQUE INDEX IF NOT EXISTS review_uid ON review (uid);
