SELECT count(*) FROM review
