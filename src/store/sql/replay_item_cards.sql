-- Every item's card, in the order of replay_items_by_card.sql (the unique index on deck,
-- card, ord), so a replay can number cards before it reads the log.
SELECT id, deck, card FROM item ORDER BY deck, card, ord
