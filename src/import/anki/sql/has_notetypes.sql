-- Is this a modern (schema 18+) collection with note types in their own table?
SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'notetypes';
