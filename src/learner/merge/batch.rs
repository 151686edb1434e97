//! Merging many peer files in one transaction: a sync that brings several files (a device
//! joining with a long history is split into files of 50,000 records) writes each page of
//! the log's indexes once, not once per file, and commits once. The files are handed over
//! one at a time by the caller (read on another thread), so memory holds one file.

use super::super::LearnerError;
use super::super::merge_attempts::{AttemptMerge, import_attempts};
use super::super::rebuild::{Replayer, within};
use super::{Learner, MergeCounts, Result, import_file, owe_replay};
use crate::store::StoreError;
use crate::store::backup::{BackupInfo, SnapshotBackup};
use crate::store::sync::{ImportMemo, Record};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// One peer file for [`Learner::merge_batch`].
#[derive(Debug)]
pub struct BatchFile {
    /// Its name (remembered as merged).
    pub name: String,
    /// Its records.
    pub records: Vec<Record>,
    /// Records of types this version does not read (from a newer examdeck), skipped: the
    /// file is merged again by a version that reads them (`Learner::forget_partial_merges`).
    pub unknown: usize,
}

/// What [`Learner::merge_batch`] merged.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    /// Every file's records added up.
    pub counts: MergeCounts,
    /// Files merged.
    pub files: usize,
    /// Mock-exam attempts merged.
    pub attempts: usize,
    /// Attempts skipped: (file name, the sentence saying why).
    pub skipped: Vec<(String, String)>,
    /// The backup handed to [`Learner::merge_batch`], finished.
    pub backup: Option<BackupInfo>,
    /// Time spent waiting for that backup after the insert, ms (the rest overlapped it).
    pub backup_wait_ms: f64,
    /// Whether the merge was large enough to drop the log's indexes and build them again.
    pub bulk: bool,
    /// Whether the changed cards were replayed inside the merge's transaction (a bulk merge
    /// that met no tombstone and no setting); else the replay is owed to
    /// [`Learner::finish_replay`].
    pub replayed: bool,
}

/// A bulk merge's replay inside its transaction: the context, and where a scheduler error
/// is reported.
struct Fold<'f, 'a> {
    rp: &'f Replayer<'a>,
    failure: &'f mut Option<LearnerError>,
}

/// When a merge is big enough to drop the log's indexes and build them again after.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BulkWhen {
    /// Fewest answers in the first file.
    min: usize,
    /// Least share of the log's size those answers must bring.
    share: f64,
}

/// At 10,000 answers in a first file that bring a fifth of the log (measured: rebuilding
/// the indexes of a 400,000-answer log costs about as much as inserting 60,000 answers
/// into them one by one).
const BULK: BulkWhen = BulkWhen {
    min: 10_000,
    share: 0.2,
};

/// Whether a merge starting with `records` is big enough to rebuild the log's indexes.
fn bulk(log: u64, records: &[Record], when: BulkWhen) -> bool {
    let n = records
        .iter()
        .filter(|r| matches!(r, Record::Review(_)))
        .count();
    n >= when.min && n as f64 >= when.share * log as f64
}

impl Learner {
    /// Defers the database's checkpoints while a sync merges and replays (see
    /// `store/checkpoint.rs`); [`Learner::checkpoint_behind`] resumes them.
    pub fn defer_checkpoints(&mut self) -> Result<()> {
        Ok(self.store.defer_checkpoints()?)
    }

    /// Checkpoints what a sync wrote on a thread of its own and resumes automatic
    /// checkpoints.
    pub fn checkpoint_behind(&mut self) -> Result<()> {
        Ok(self.store.checkpoint_behind()?)
    }

    /// Starts the backup owed before a first merge with a new device, on a second
    /// connection that already holds the snapshot before the merge (see
    /// [`crate::store::Store::backup_snapshot`]): hand it to [`Learner::merge_batch`], which
    /// inserts meanwhile and joins it before committing. None for a learner without a data
    /// folder. Waits for the automatic backup first (one backup at a time).
    pub fn start_merge_backup(&mut self, now: DateTime<Utc>) -> Result<Option<SnapshotBackup>> {
        self.wait_for_backup()?;
        match &self.data_dir {
            Some(d) => Ok(Some(self.store.backup_snapshot(d, now)?)),
            None => Ok(None),
        }
    }

    /// Merges the peer files `next` hands over (None: no more) in one transaction: attempts,
    /// then the other records of each file, each file remembered as merged. The cards whose
    /// history changed are replayed before the commit by a bulk merge that met no tombstone
    /// and no setting ([`BatchOutcome::replayed`]), else recorded for
    /// [`Learner::finish_replay`] in the same transaction; either way an interrupted merge
    /// leaves the database as it was before. `next` is called once
    /// before the transaction begins (the first file decides whether the merge is a bulk
    /// one), then inside it, and must not use this learner. `backup` (from
    /// [`Learner::start_merge_backup`]) runs while the files are inserted and is joined
    /// before the commit: if it fails, nothing is merged and its error is returned.
    pub fn merge_batch(
        &mut self,
        peer: &str,
        now: DateTime<Utc>,
        backup: Option<SnapshotBackup>,
        next: &mut dyn FnMut() -> Option<BatchFile>,
    ) -> Result<BatchOutcome> {
        self.merge_batch_when(peer, now, backup, next, BULK)
    }

    /// [`Learner::merge_batch`] taking the bulk path `when` says (tests take it for a few
    /// answers).
    pub(crate) fn merge_batch_when(
        &mut self,
        peer: &str,
        now: DateTime<Utc>,
        backup: Option<SnapshotBackup>,
        next: &mut dyn FnMut() -> Option<BatchFile>,
        when: BulkWhen,
    ) -> Result<BatchOutcome> {
        let mut out = BatchOutcome::default();
        let mut backup = backup;
        // The first file decides the path before the transaction begins: a bulk merge runs
        // without foreign-key checks (see `Store::write_trusted_keys`).
        let mut first = next();
        let is_bulk = match &first {
            Some(f) => bulk(self.store.read().review_count()?, &f.records, when),
            None => false,
        };
        out.bulk = is_bulk;
        // Inside a sync, whose checkpoint runs behind it, so do the log's indexes.
        let indexes_behind = self.store.checkpoints_deferred();
        let mut files = || first.take().or_else(&mut *next);
        let rp = Replayer::of(&self.fsrs, &self.params, &self.settings, self.zone.as_ref());
        let mut failure = None;
        let fold = Fold {
            rp: &rp,
            failure: &mut failure,
        };
        let merge = |tx: &crate::store::Tx<'_>| -> Result<(), StoreError> {
            let how = (peer, now, is_bulk, indexes_behind);
            let merged = insert_batch(tx, how, &mut files, &mut out, fold);
            // Joined on every path: a merge that failed leaves no backup thread behind.
            if let Some(b) = backup.take() {
                let t = std::time::Instant::now();
                let joined = b.join();
                out.backup_wait_ms = t.elapsed().as_secs_f64() * 1000.0;
                out.backup = Some(joined?);
            }
            merged
        };
        // Every answer's item is looked up or created by the merge itself, in the same
        // transaction, so checking each row's reference again only costs time (measured
        // with Python's sqlite3 on the bench's log: 0.3 s for 200,000 answers).
        let written = if is_bulk {
            self.store.write_trusted_keys(merge)
        } else {
            self.store.write(merge)
        };
        match (written, failure) {
            (Err(_), Some(e)) => return Err(e),
            (r, _) => r?,
        }
        if out.replayed {
            // As after any replay of a merge: the undo steps' states are out of date.
            self.undo.clear();
        }
        self.after_merge(&out.counts)?;
        Ok(out)
    }
}

/// The body of [`Learner::merge_batch`] inside its transaction: `bulk` drops the log's
/// indexes for the inserts, `indexes_behind` leaves them owed after.
fn insert_batch(
    tx: &crate::store::Tx<'_>,
    (peer, now, bulk, indexes_behind): (&str, DateTime<Utc>, bool, bool),
    next: &mut dyn FnMut() -> Option<BatchFile>,
    out: &mut BatchOutcome,
    fold: Fold<'_, '_>,
) -> Result<(), StoreError> {
    let now_ms = now.timestamp_millis();
    tx.bulk_cache()?;
    let mut changed = BTreeSet::new();
    let mut memo = ImportMemo::default();
    while let Some(file) = next() {
        if out.files == 0 && bulk {
            tx.review_bulk_begin(&mut memo)?;
        }
        let AttemptMerge { merged, skipped } = import_attempts(tx, peer, &file.records)?;
        out.attempts += merged;
        out.skipped
            .extend(skipped.into_iter().map(|why| (file.name.clone(), why)));
        import_file(
            tx,
            &mut memo,
            (peer, &file.name, &file.records),
            now_ms,
            &mut out.counts,
            &mut changed,
        )?;
        if file.unknown > 0 {
            super::partial::remember(tx, peer, &file.name)?;
        }
        out.files += 1;
    }
    // A bulk merge replays here when nothing waits for the uid index (no tombstone) and the
    // scheduler's settings stay as they are: the log is read before its indexes are built
    // (if they are not left behind), and the last cards replay on the other cores while
    // this thread builds them.
    if bulk && !changed.is_empty() && out.counts.settings == 0 && !memo.bulk_owes_tombstones() {
        let cards = tx.cards_of_items(&changed)?;
        let mut end = || tx.review_bulk_end(&mut memo, indexes_behind).map(|_| ());
        let job = within::Job {
            rp: fold.rp,
            cards: Some(&cards),
            progress: &mut |_| {},
            meanwhile: &mut end,
        };
        within::replay_in(tx, job, fold.failure)?;
        out.replayed = true;
        return Ok(());
    }
    // A bulk merge's indexes are built again, then the tombstones it met take effect.
    for item in tx.review_bulk_end(&mut memo, indexes_behind)? {
        out.counts.undone += 1;
        changed.insert(item);
    }
    owe_replay(tx, &changed, out.counts.settings > 0)
}

#[cfg(test)]
mod tests;
