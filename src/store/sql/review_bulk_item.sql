-- The log's item index, built again early in a bulk merge (at its first item event: see
-- store/sync_bulk.rs); review_log_indexes.sql then leaves it as it is.
CREATE INDEX IF NOT EXISTS review_item ON review (item_id, id);
