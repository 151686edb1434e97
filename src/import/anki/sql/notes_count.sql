SELECT count(*) FROM notes;
