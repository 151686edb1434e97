-- Schema version 3: sync through a shared folder. Reviews and item events get an origin
-- (NULL: written here and not yet exported; otherwise the device that wrote them), events a
-- global id; undone exported records become tombstones; imported peer files, and settings
-- with their last-writer-wins stamps, are remembered.
ALTER TABLE review ADD COLUMN origin TEXT;
CREATE INDEX review_unexported ON review (id) WHERE origin IS NULL;

ALTER TABLE item_event ADD COLUMN uid TEXT;
ALTER TABLE item_event ADD COLUMN origin TEXT;
CREATE UNIQUE INDEX item_event_uid ON item_event (uid);
CREATE INDEX item_event_unexported ON item_event (id) WHERE origin IS NULL;

-- A review or event uid that was undone after it was exported (origin NULL: not exported yet).
CREATE TABLE sync_tombstone (
    uid    TEXT PRIMARY KEY,
    origin TEXT
) STRICT;

-- Peer files already merged (files are immutable, so the name is enough).
CREATE TABLE sync_file (
    device  TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (device, name)
) STRICT;

-- Settings per key with a hybrid-logical-clock stamp (ms) and the writing device; origin
-- NULL: changed here and not yet exported.
CREATE TABLE sync_setting (
    key    TEXT    PRIMARY KEY,
    value  TEXT    NOT NULL,
    hlc    INTEGER NOT NULL,
    device TEXT    NOT NULL,
    origin TEXT
) STRICT;
