-- Schema version 6: the review log's uid uniqueness becomes a named unique index
-- (`review_uid`) instead of the column constraint's automatic index, which cannot be dropped:
-- a bulk merge now drops it, inserts, and builds it again by one sort. SQLite's table-rebuild
-- recipe (https://www.sqlite.org/lang_altertable.html#otheralter): a new table with the
-- same columns in the same order, every row copied with its id, the old table dropped, the
-- new one renamed, the indexes created again. Nothing references review(id) (item_event's
-- after_review is a plain integer), so foreign keys stay on: each copied row's item is
-- checked, as every insert is.
CREATE TABLE review_v5 (
    id          INTEGER PRIMARY KEY,
    uid         TEXT    NOT NULL,          -- globally unique id (unique index review_uid)
    item_id     INTEGER NOT NULL REFERENCES item (id),
    at_ms       INTEGER NOT NULL,          -- UTC milliseconds
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),
    time_ms     INTEGER NOT NULL,          -- time taken to answer
    response    TEXT,                      -- the answer given to a question (JSON)
    origin      TEXT                       -- NULL: written here, not yet exported
) STRICT;

INSERT INTO review_v5 (id, uid, item_id, at_ms, rating, kind, time_ms, response, origin)
SELECT id, uid, item_id, at_ms, rating, kind, time_ms, response, origin FROM review ORDER BY id;

DROP TABLE review;
ALTER TABLE review_v5 RENAME TO review;

-- Built after the copy: one sort each instead of an insert per row.
CREATE UNIQUE INDEX review_uid ON review (uid);
CREATE INDEX review_item ON review (item_id, id);
CREATE INDEX review_at ON review (at_ms);
CREATE INDEX review_unexported ON review (id) WHERE origin IS NULL;
