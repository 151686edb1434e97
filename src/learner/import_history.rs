//! Review history imported from another app (Anki): the answers are appended to the review
//! log as imported rows (their uids derived from the source's ids, so a second import adds
//! nothing), then every item's state is rebuilt from the log, so FSRS continues where the
//! other app left off.

use super::{Learner, Result};
use crate::deck::{ItemKey, Library};
use crate::schedule::{Rating, ReviewKind};
use crate::store::reviews::ReviewRow;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// One imported answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedReview {
    /// The item answered.
    pub key: ItemKey,
    /// Unique id derived from the source's row id (see `store::imported::anki_uid`).
    pub uid: String,
    /// When, UTC ms.
    pub at_ms: i64,
    /// The grade.
    pub rating: Rating,
    /// Learn, review, relearn or cram.
    pub kind: ReviewKind,
    /// Time taken, ms.
    pub time_ms: u32,
}

/// What an import of history did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct HistoryReport {
    /// Answers added to the log.
    pub added: usize,
    /// Answers already in the log from an earlier import.
    pub already: usize,
    /// Answers of items the library does not have (not imported).
    pub unknown_items: usize,
}

impl Learner {
    /// Syncs `library` (which must already hold the imported decks), appends `reviews` in one
    /// transaction and rebuilds every item's state from the log.
    ///
    /// The log is replayed in time order, so imported history older than answers given here
    /// takes its place before them.
    pub fn import_history(
        &mut self,
        library: &Library,
        reviews: &[ImportedReview],
        now: DateTime<Utc>,
    ) -> Result<HistoryReport> {
        self.sync_library(library, now)?;
        let ids: HashMap<ItemKey, i64> = self
            .store
            .read()
            .all_items()?
            .into_iter()
            .map(|r| (r.key, r.id))
            .collect();
        let mut sorted: Vec<&ImportedReview> = reviews.iter().collect();
        sorted.sort_by_key(|r| (r.at_ms, r.uid.clone()));
        let report = self.store.write(|tx| {
            let mut report = HistoryReport::default();
            for r in sorted {
                let Some(&item_id) = ids.get(&r.key) else {
                    report.unknown_items += 1;
                    continue;
                };
                let row = ReviewRow {
                    id: 0,
                    uid: r.uid.clone(),
                    item_id,
                    at_ms: r.at_ms,
                    rating: r.rating,
                    kind: r.kind,
                    time_ms: r.time_ms,
                    response: None,
                };
                if tx.import_review(&row)? {
                    report.added += 1;
                } else {
                    report.already += 1;
                }
            }
            Ok(report)
        })?;
        if report.added > 0 {
            self.rebuild_from_log()?;
        }
        Ok(report)
    }
}
