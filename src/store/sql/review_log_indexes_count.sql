-- How many of the log's three bulk-merge indexes exist (3 unless a bulk merge's are owed).
SELECT count(*) FROM sqlite_schema
WHERE type = 'index' AND name IN ('review_uid', 'review_item', 'review_at')
