-- An answer imported from another app's review log. The uid is derived from that log's row
-- id (`anki-<revlog id>-<card id>`), so importing the same history twice adds nothing.
INSERT OR IGNORE INTO review (uid, item_id, at_ms, rating, kind, time_ms, response)
VALUES (:uid, :item, :at, :rating, :kind, :time, NULL)
