-- The config blob (protobuf) holds the question format in field 1, the answer in field 2.
SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord;
