//! Answers imported from another app's review log (Anki). They are ordinary review rows whose
//! uid marks them as imported (`anki-…`) and makes a second import of the same log a no-op.

use super::reviews::ReviewRow;
use super::{Result, Tx};
use rusqlite::named_params;

/// Uid prefix of answers imported from Anki.
pub const ANKI_UID_PREFIX: &str = "anki-";

/// The uid of an answer imported from Anki's review log row `revlog_id` of card `card_id`.
pub fn anki_uid(revlog_id: i64, card_id: i64) -> String {
    format!("{ANKI_UID_PREFIX}{revlog_id}-{card_id}")
}

impl Tx<'_> {
    /// Adds an imported answer unless one with its uid exists; true if it was added.
    pub fn import_review(&self, r: &ReviewRow) -> Result<bool> {
        self.need_uid_index()?;
        let n = self
            .prepare(include_str!("sql/review_import.sql"))?
            .execute(named_params! {
                ":uid": r.uid, ":item": r.item_id, ":at": r.at_ms, ":rating": r.rating,
                ":kind": r.kind, ":time": r.time_ms,
            })
            .map_err(|e| self.err(e))?;
        Ok(n == 1)
    }

    /// How many answers with uid prefix `prefix` the log holds.
    pub fn count_imported(&self, prefix: &str) -> Result<u64> {
        self.prepare(include_str!("sql/review_count_imported.sql"))?
            .query_row(named_params! {":prefix": prefix}, |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::items::CatalogEntry;
    use super::*;
    use crate::deck::ItemKey;
    use crate::schedule::{Rating, ReviewKind};

    #[test]
    fn importing_the_same_answer_twice_adds_it_once() {
        let mut s = Store::open_in_memory().expect("open");
        let (first, second, count) = s
            .write(|tx| {
                let item = tx.insert_item(
                    &CatalogEntry {
                        key: ItemKey {
                            deck: "d".into(),
                            card: "c".into(),
                            ord: 0,
                        },
                        exam: None,
                        domain: None,
                        content_hash: "h".into(),
                    },
                    0,
                    0,
                )?;
                let row = ReviewRow {
                    id: 0,
                    uid: anki_uid(1_767_225_600_000, 42),
                    item_id: item,
                    at_ms: 1_767_225_600_000,
                    rating: Rating::Good,
                    kind: ReviewKind::Learn,
                    time_ms: 8000,
                    response: None,
                };
                let first = tx.import_review(&row)?;
                let second = tx.import_review(&row)?;
                Ok((first, second, tx.count_imported(ANKI_UID_PREFIX)?))
            })
            .expect("write");
        assert!(first && !second);
        assert_eq!(count, 1);
        assert_eq!(s.read().all_reviews().expect("read").len(), 1);
    }
}
