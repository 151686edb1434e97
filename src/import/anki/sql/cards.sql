SELECT id, nid, did, ord FROM cards ORDER BY nid, ord;
