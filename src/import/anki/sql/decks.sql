-- Modern deck names separate levels with U+001F instead of '::'.
SELECT id, name FROM decks;
