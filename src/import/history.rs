//! Anki's review log → our imported answers. Ratings 1–4 keep their meaning; Anki's kinds
//! learn (0), review (1), relearn (2) and filtered-deck cram (3) map to ours; manual
//! reschedules (kind 4 and 5, or button 0) set no grade and are skipped with a count.

use super::anki::collection::Revlog;
use crate::deck::ItemKey;
use crate::learner::import_history::ImportedReview;
use crate::schedule::{Rating, ReviewKind};
use crate::store::imported::anki_uid;
use std::collections::HashMap;

/// What the review log held.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct History {
    /// Answers to import.
    pub reviews: Vec<ImportedReview>,
    /// Manual reschedules and other rows without a grade.
    pub skipped_manual: usize,
    /// Rows of cards that were not imported.
    pub skipped_unknown: usize,
}

/// Maps the rows of cards in `items` (Anki card id → our item).
pub fn from_revlog(revlog: &[Revlog], items: &HashMap<i64, ItemKey>) -> History {
    let mut out = History::default();
    for r in revlog {
        let kind = match r.kind {
            0 => ReviewKind::Learn,
            1 => ReviewKind::Review,
            2 => ReviewKind::Relearn,
            3 => ReviewKind::Cram,
            _ => {
                out.skipped_manual += 1;
                continue;
            }
        };
        let rating = match r.ease {
            1 => Rating::Again,
            2 => Rating::Hard,
            3 => Rating::Good,
            4 => Rating::Easy,
            _ => {
                out.skipped_manual += 1;
                continue;
            }
        };
        let Some(key) = items.get(&r.card) else {
            out.skipped_unknown += 1;
            continue;
        };
        out.reviews.push(ImportedReview {
            key: key.clone(),
            uid: anki_uid(r.id, r.card),
            at_ms: r.id,
            rating,
            kind,
            time_ms: r.time_ms.clamp(0, i64::from(u32::MAX)) as u32,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_manual_rows() {
        let key = ItemKey {
            deck: "d".into(),
            card: "c".into(),
            ord: 0,
        };
        let items = HashMap::from([(7, key.clone())]);
        let row = |id, ease, kind, card| Revlog {
            id,
            card,
            ease,
            time_ms: 5000,
            kind,
        };
        let h = from_revlog(
            &[
                row(1, 3, 0, 7),
                row(2, 1, 1, 7),
                row(3, 2, 2, 7),
                row(4, 4, 3, 7),
                row(5, 0, 4, 7),
                row(6, 0, 5, 7),
                row(7, 3, 1, 8),
            ],
            &items,
        );
        let kinds: Vec<_> = h.reviews.iter().map(|r| (r.kind, r.rating)).collect();
        assert_eq!(
            kinds,
            vec![
                (ReviewKind::Learn, Rating::Good),
                (ReviewKind::Review, Rating::Again),
                (ReviewKind::Relearn, Rating::Hard),
                (ReviewKind::Cram, Rating::Easy),
            ]
        );
        assert_eq!((h.skipped_manual, h.skipped_unknown), (2, 1));
        assert_eq!(h.reviews[0].uid, "anki-1-7");
    }
}
