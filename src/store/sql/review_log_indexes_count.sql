-- How many of the log's two lookup indexes exist (2 unless a bulk merge's are still owed).
SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('review_item', 'review_at')
