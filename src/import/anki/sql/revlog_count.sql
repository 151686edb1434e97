SELECT count(*) FROM revlog;
