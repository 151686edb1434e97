SELECT count(*) FROM item
