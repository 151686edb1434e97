-- Before a bulk insert of many answers (inside its transaction): the log's indexes are
-- dropped and built again after (review_bulk_create.sql, review_log_indexes.sql) — one sort
-- each instead of hundreds of thousands of inserts at random pages. The uid index goes too:
-- the merge refuses known uids itself meanwhile (store/sync_bulk.rs). Any of them may be
-- owed already, by an earlier bulk merge of the same sync.
DROP INDEX IF EXISTS review_uid;
DROP INDEX IF EXISTS review_item;
DROP INDEX IF EXISTS review_at;
