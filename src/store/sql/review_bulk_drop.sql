-- Before a bulk insert of many answers (inside its transaction): the log's secondary indexes
-- are dropped and built again after (review_bulk_create.sql) — one sort instead of hundreds
-- of thousands of inserts at random pages. The uid index stays: it refuses duplicates.
DROP INDEX review_item;
DROP INDEX review_at;
