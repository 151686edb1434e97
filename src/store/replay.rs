//! Reading the log for a replay, one card at a time: items streamed in card order (so a
//! rebuild never holds the whole review log in memory), the items of one card, and an item's
//! answers without their responses.

use super::items::{ItemRow, map_row as item_row};
use super::reviews::{ReviewRow, map_row as review_row};
use super::{Result, Tx};

impl Tx<'_> {
    /// Calls `f` with the items of each card (all ordinals, by ordinal), card after card in
    /// (deck, card) order. `f` may run other statements of this transaction; it must not
    /// change item keys.
    pub fn for_each_card(&self, f: &mut dyn FnMut(&[ItemRow]) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(include_str!("sql/replay_items_by_card.sql"))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut group: Vec<ItemRow> = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let item = item_row(row).map_err(|e| self.err(e))?;
            let same = group
                .first()
                .is_some_and(|g| g.key.deck == item.key.deck && g.key.card == item.key.card);
            if !same && !group.is_empty() {
                f(&group)?;
                group.clear();
            }
            group.push(item);
        }
        if !group.is_empty() {
            f(&group)?;
        }
        Ok(())
    }

    /// The items (every ordinal) of one card, by ordinal.
    pub fn card_items(&self, deck: &str, card: &str) -> Result<Vec<ItemRow>> {
        let mut stmt = self.prepare(include_str!("sql/replay_card_items.sql"))?;
        let rows = stmt
            .query_map([deck, card], item_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// An item's answers in no particular order, without their responses (`response` is
    /// None): what a replay needs.
    pub fn replay_reviews_of(&self, item_id: i64) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.prepare(include_str!("sql/replay_reviews_of.sql"))?;
        let rows = stmt
            .query_map([item_id], review_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Number of items (removed ones and placeholders included).
    pub fn item_count(&self) -> Result<u64> {
        self.prepare(include_str!("sql/item_count.sql"))?
            .query_row([], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::items::CatalogEntry;
    use crate::deck::ItemKey;

    fn entry(deck: &str, card: &str, ord: u16) -> CatalogEntry {
        CatalogEntry {
            key: ItemKey {
                deck: deck.into(),
                card: card.into(),
                ord,
            },
            exam: None,
            domain: None,
            content_hash: "h".into(),
        }
    }

    #[test]
    fn cards_are_streamed_whole_and_in_order() {
        let mut s = Store::open_in_memory().expect("open");
        s.write(|tx| {
            // Inserted out of order: the stream still groups by card.
            for (i, (d, c, o)) in [("b", "x", 0), ("a", "y", 1), ("a", "y", 0), ("a", "z", 0)]
                .into_iter()
                .enumerate()
            {
                tx.insert_item(&entry(d, c, o), i as i64, 0)?;
            }
            Ok(())
        })
        .expect("write");
        let mut seen = Vec::new();
        s.read()
            .for_each_card(&mut |g| {
                seen.push(
                    g.iter()
                        .map(|r| format!("{}/{}/{}", r.key.deck, r.key.card, r.key.ord))
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                Ok(())
            })
            .expect("stream");
        assert_eq!(seen, ["a/y/0 a/y/1", "a/z/0", "b/x/0"]);
        assert_eq!(s.read().item_count().expect("count"), 4);
        assert_eq!(s.read().card_items("a", "y").expect("card").len(), 2);
    }
}
