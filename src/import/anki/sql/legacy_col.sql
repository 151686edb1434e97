-- Legacy collections keep note types and decks as JSON in the one row of col.
SELECT models, decks FROM col LIMIT 1;
