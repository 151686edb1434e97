-- The unique uid index review_bulk_drop.sql dropped, exactly as 0006_review_uid_index.sql
-- creates it, built again inside the bulk merge's transaction (a duplicate uid fails the
-- merge). The log's other two indexes are review_log_indexes.sql's.
CREATE UNIQUE INDEX review_uid ON review (uid);
