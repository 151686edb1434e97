SELECT MIN(buried_until_ms) FROM item WHERE buried_until_ms > :now
