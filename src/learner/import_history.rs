//! Review history imported from another app (Anki): the answers are appended to the review
//! log as imported rows (their uids derived from the source's ids, so a second import adds
//! nothing), then the items whose history changed are replayed from the log, so FSRS
//! continues where the other app left off.

use super::{Learner, Result, WorkProgress};
use crate::deck::{ItemKey, Library};
use crate::schedule::{Rating, ReviewKind};
use crate::store::reviews::ReviewRow;
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};

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

/// Answers inserted between two progress reports.
const REPORT_EVERY: usize = 4096;

impl Learner {
    /// Syncs `library` (which must already hold the imported decks), appends `reviews` in one
    /// transaction and replays the items whose history changed.
    ///
    /// The log is replayed in time order, so imported history older than answers given here
    /// takes its place before them.
    pub fn import_history(
        &mut self,
        library: &Library,
        reviews: &[ImportedReview],
        now: DateTime<Utc>,
    ) -> Result<HistoryReport> {
        self.import_history_with(library, reviews.iter().collect(), now, &mut |_| {})
    }

    /// [`Learner::import_history`] reporting progress every few milliseconds of work: the
    /// answers inserted ("importing history", of all answers given), then the items replayed
    /// ("replaying history", of the cards whose history changed). Counts rise and end at
    /// their total.
    pub fn import_history_with(
        &mut self,
        library: &Library,
        mut reviews: Vec<&ImportedReview>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(WorkProgress),
    ) -> Result<HistoryReport> {
        self.sync_library_with(library, now, progress)?;
        let ids: HashMap<ItemKey, i64> = self
            .store
            .read()
            .catalog()?
            .into_iter()
            .map(|r| (r.entry.key, r.id))
            .collect();
        // In time order, so the log's row order follows the history.
        reviews.sort_by(|a, b| (a.at_ms, &a.uid).cmp(&(b.at_ms, &b.uid)));
        let total = reviews.len() as u64;
        let step = |done: usize| WorkProgress {
            stage: "importing history",
            done: done as u64,
            total,
        };
        progress(step(0));
        let (report, changed) = self.store.write(|tx| {
            let mut out = HistoryReport::default();
            let mut changed = BTreeSet::new();
            tx.bulk_cache()?;
            for (n, r) in reviews.iter().enumerate() {
                if n > 0 && n % REPORT_EVERY == 0 {
                    progress(step(n));
                }
                let Some(&item_id) = ids.get(&r.key) else {
                    out.unknown_items += 1;
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
                    out.added += 1;
                    changed.insert(item_id);
                } else {
                    out.already += 1;
                }
            }
            Ok((out, changed))
        })?;
        progress(step(reviews.len()));
        drop(ids);
        if !changed.is_empty() {
            let cards = self.cards_of(&changed)?;
            self.replay_where(Some(&cards), progress)?;
            self.undo.clear();
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learner::synthetic;

    #[test]
    fn progress_rises_to_the_total_and_states_equal_a_rebuild() {
        let lib = synthetic::library(2, 50, 0);
        let keys: Vec<ItemKey> = lib.items().map(|(k, _, _)| k).collect();
        let t0 = 1_700_000_000_000i64;
        // 10,000 answers over 80 of the 100 items, a few hours apart.
        let reviews: Vec<ImportedReview> = (0..10_000i64)
            .map(|i| ImportedReview {
                key: keys[(i % 80) as usize].clone(),
                uid: crate::store::imported::anki_uid(t0 + i, i % 80),
                at_ms: t0 + (i / 80) * 3 * 3_600_000 + i % 80,
                rating: [Rating::Again, Rating::Good, Rating::Good, Rating::Easy][(i % 4) as usize],
                kind: ReviewKind::Review,
                time_ms: 5_000,
            })
            .collect();
        let mut l = Learner::open_in_memory().expect("open");
        l.set_time_zone(chrono::Utc);
        let now = crate::schedule::day::from_ms(t0 + 400 * 86_400_000);
        let mut seen: Vec<WorkProgress> = Vec::new();
        let report = l
            .import_history_with(&lib, reviews.iter().collect(), now, &mut |p| seen.push(p))
            .expect("import");
        assert_eq!(report.added, 10_000);
        for stage in [
            "registering cards",
            "importing history",
            "replaying history",
        ] {
            let s: Vec<_> = seen.iter().filter(|p| p.stage == stage).collect();
            assert!(s.len() >= 2, "{stage}: {s:?}");
            assert!(
                s.windows(2).all(|w| w[0].done <= w[1].done),
                "{stage}: {s:?}"
            );
            assert_eq!(s.last().map(|p| p.done), s.last().map(|p| p.total));
        }
        let imported: Vec<_> = seen
            .iter()
            .filter(|p| p.stage == "importing history")
            .collect();
        assert!(
            imported.len() > 2,
            "reports during the insert: {imported:?}"
        );
        assert_eq!(imported.last().map(|p| p.total), Some(10_000));
        let registered = seen.iter().rposition(|p| p.stage == "registering cards");
        let first_import = seen.iter().position(|p| p.stage == "importing history");
        assert!(
            registered < first_import,
            "cards registered, then answers inserted"
        );
        let first_replay = seen.iter().position(|p| p.stage == "replaying history");
        let last_import = seen.iter().rposition(|p| p.stage == "importing history");
        assert!(last_import < first_replay, "insert, then replay");
        // Only the 80 answered items were replayed, and they equal a full rebuild.
        let before = l.store().read().all_items().expect("items");
        assert_eq!(before.iter().filter(|r| r.sched.reps > 0).count(), 80);
        l.rebuild_from_log().expect("rebuild");
        assert_eq!(before, l.store().read().all_items().expect("items"));
        // A second import adds nothing and replays nothing.
        let mut again = Vec::new();
        let second = l
            .import_history_with(&lib, reviews.iter().collect(), now, &mut |p| again.push(p))
            .expect("again");
        assert_eq!((second.added, second.already), (0, 10_000));
        assert!(again.iter().all(|p| p.stage == "importing history"));
    }
}
