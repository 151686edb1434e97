//! Reading the log for a replay, one card at a time: items streamed in card order (so a
//! rebuild never holds the whole review log in memory), the items of one card, and an item's
//! answers without their responses.

use super::events::{EventKind, EventRow};
use super::items::{ItemRow, map_row as item_row};
use super::reviews::{ReviewRow, map_row as review_row};
use super::{Result, Tx};
use rusqlite::Row;

/// One card's whole history, as [`Tx::for_each_card_log`] passes it.
pub struct CardLog<'a> {
    /// The card's items, by ordinal.
    pub items: &'a [ItemRow],
    /// Their answers (no responses), in no particular order.
    pub reviews: Vec<ReviewRow>,
    /// Their events, in no particular order.
    pub events: Vec<EventRow>,
}

/// A row of a by-card stream: its (deck, card) and the value.
type Keyed<T> = (String, String, T);

fn keyed_review(r: &Row<'_>) -> rusqlite::Result<Keyed<ReviewRow>> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        ReviewRow {
            id: r.get(2)?,
            uid: r.get(3)?,
            item_id: r.get(4)?,
            at_ms: r.get(5)?,
            rating: r.get(6)?,
            kind: r.get(7)?,
            time_ms: r.get(8)?,
            response: None,
        },
    ))
}

/// Takes from `rows` (sorted by deck, card) every row of `(deck, card)` into `out`, keeping
/// the first row of a later card in `next`.
fn take_card<T>(
    rows: &mut rusqlite::Rows<'_>,
    next: &mut Option<Keyed<T>>,
    map: &dyn Fn(&Row<'_>) -> rusqlite::Result<Option<Keyed<T>>>,
    deck: &str,
    card: &str,
    out: &mut Vec<T>,
) -> rusqlite::Result<()> {
    loop {
        if next.is_none() {
            match rows.next()? {
                Some(row) => *next = map(row)?,
                None => return Ok(()),
            }
            if next.is_none() {
                continue;
            }
        }
        let Some((d, c, _)) = next.as_ref() else {
            return Ok(());
        };
        match (d.as_str(), c.as_str()).cmp(&(deck, card)) {
            // Cannot happen (every row has an item); skipped rather than trusted.
            std::cmp::Ordering::Less => *next = None,
            std::cmp::Ordering::Equal => {
                if let Some((_, _, v)) = next.take() {
                    out.push(v);
                }
            }
            std::cmp::Ordering::Greater => return Ok(()),
        }
    }
}

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

    /// Calls `f` with each card's items and whole history, card after card in (deck, card)
    /// order, reading the log in one sequential, sorted pass (memory: one card's history).
    /// `wanted` filters cards before their history is handed over.
    pub fn for_each_card_log(
        &self,
        wanted: &dyn Fn(&str, &str) -> bool,
        f: &mut dyn FnMut(CardLog<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut review_stmt = self.prepare(include_str!("sql/replay_reviews_by_card.sql"))?;
        let mut reviews = review_stmt.query([]).map_err(|e| self.err(e))?;
        let mut event_stmt = self.prepare(include_str!("sql/replay_events_by_card.sql"))?;
        let mut events = event_stmt.query([]).map_err(|e| self.err(e))?;
        let (mut next_review, mut next_event) = (None, None);
        let review_map = |r: &Row<'_>| keyed_review(r).map(Some);
        let event_map = |r: &Row<'_>| -> rusqlite::Result<Option<Keyed<EventRow>>> {
            let kind: i64 = r.get(5)?;
            let kind = EventKind::from_i64(kind)
                .ok_or(rusqlite::Error::IntegralValueOutOfRange(5, kind))?;
            Ok(Some((
                r.get(0)?,
                r.get(1)?,
                EventRow {
                    id: r.get(2)?,
                    item_id: r.get(3)?,
                    at_ms: r.get(4)?,
                    kind,
                    until_ms: r.get(6)?,
                    after_review: r.get(7)?,
                    uid: r.get(8)?,
                },
            )))
        };
        self.for_each_card(&mut |items| {
            let Some(first) = items.first() else {
                return Ok(());
            };
            let (deck, card) = (&first.key.deck, &first.key.card);
            let mut log = CardLog {
                items,
                reviews: Vec::new(),
                events: Vec::new(),
            };
            take_card(
                &mut reviews,
                &mut next_review,
                &review_map,
                deck,
                card,
                &mut log.reviews,
            )
            .map_err(|e| self.err(e))?;
            take_card(
                &mut events,
                &mut next_event,
                &event_map,
                deck,
                card,
                &mut log.events,
            )
            .map_err(|e| self.err(e))?;
            if wanted(deck, card) {
                f(log)?;
            }
            Ok(())
        })
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
