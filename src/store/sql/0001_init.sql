-- Schema version 1: items (the card-state cache), the append-only review log, item events
-- (suspend, bury, reset) and a key/value table for settings.

CREATE TABLE item (
    id              INTEGER PRIMARY KEY,
    deck            TEXT    NOT NULL,
    card            TEXT    NOT NULL,
    ord             INTEGER NOT NULL,
    exam            TEXT,
    domain          TEXT,
    content_hash    TEXT    NOT NULL,
    position        INTEGER NOT NULL,      -- order of new items (library order)
    edited          INTEGER NOT NULL DEFAULT 0,
    removed         INTEGER NOT NULL DEFAULT 0,
    added_ms        INTEGER NOT NULL,
    -- Cache, rebuilt from the review log and item events:
    phase           INTEGER NOT NULL DEFAULT 0,
    step            INTEGER NOT NULL DEFAULT 0,
    due_ms          INTEGER,
    last_review_ms  INTEGER,
    stability       REAL,
    difficulty      REAL,
    interval_days   INTEGER NOT NULL DEFAULT 0,
    reps            INTEGER NOT NULL DEFAULT 0,
    lapses          INTEGER NOT NULL DEFAULT 0,
    leech           INTEGER NOT NULL DEFAULT 0,
    suspended       INTEGER NOT NULL DEFAULT 0,
    buried_until_ms INTEGER,
    introduced_ms   INTEGER,
    -- Until when predicted recall stays ≥ 0.9 (FSRS: stability days after the last review);
    -- written with the state (a plain column so that the mastery count is index-covered).
    stable_until_ms INTEGER,
    UNIQUE (deck, card, ord)
) STRICT;

-- Queue and due counts: (re)learning items and reviews by due time. The flags are part of the
-- keys (not a partial-index condition) so that the count queries are covered by the index.
CREATE INDEX item_due ON item (phase, due_ms, deck, buried_until_ms, removed, suspended);
-- New items in library order, and counted per deck.
CREATE INDEX item_new ON item (position) WHERE phase = 0 AND removed = 0 AND suspended = 0;
CREATE INDEX item_new_deck ON item (deck, buried_until_ms)
    WHERE phase = 0 AND removed = 0 AND suspended = 0;
-- Items per deck, mastered items per deck, items introduced per day.
CREATE INDEX item_deck ON item (removed, deck, suspended);
CREATE INDEX item_mastered ON item (removed, stable_until_ms, deck);
CREATE INDEX item_introduced ON item (introduced_ms, deck);

-- One row per answer. Never updated; a row is only deleted by undoing that very answer.
CREATE TABLE review (
    id          INTEGER PRIMARY KEY,
    uid         TEXT    NOT NULL UNIQUE,   -- globally unique id
    item_id     INTEGER NOT NULL REFERENCES item (id),
    at_ms       INTEGER NOT NULL,          -- UTC milliseconds
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),
    time_ms     INTEGER NOT NULL,          -- time taken to answer
    response    TEXT                       -- the answer given to a question (JSON)
) STRICT;

CREATE INDEX review_item ON review (item_id, id);
CREATE INDEX review_at ON review (at_ms);

-- Suspend (0), unsuspend (1), bury (2), reset (3): replayed after review `after_review`.
CREATE TABLE item_event (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES item (id),
    at_ms        INTEGER NOT NULL,
    kind         INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),
    until_ms     INTEGER,                  -- bury: buried until
    after_review INTEGER NOT NULL
) STRICT;

CREATE INDEX item_event_item ON item_event (item_id, id);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
