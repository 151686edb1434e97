-- Modern note types: the config blob (protobuf) holds the kind (1 = cloze) in field 1.
SELECT id, name, config FROM notetypes;
