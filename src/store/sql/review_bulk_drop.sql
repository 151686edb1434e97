-- Before a bulk insert of many answers (inside its transaction): the log's indexes are
-- dropped and built again after (review_bulk_create.sql) — one sort each instead of hundreds
-- of thousands of inserts at random pages. The uid index goes too: the merge refuses known
-- uids itself meanwhile (store/sync_bulk.rs).
DROP INDEX review_uid;
DROP INDEX review_item;
DROP INDEX review_at;
