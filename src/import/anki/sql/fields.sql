SELECT ntid, ord, name FROM fields ORDER BY ntid, ord;
