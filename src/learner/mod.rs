//! The learner facade: everything the UI and the command line need about a learner's
//! progress — syncing the library, due counts, the next item, answering, undo, suspending,
//! history, statistics, optimizing and backups. It owns the [`Store`] (all SQL) and the
//! scheduler settings, and passes "now" into the pure scheduler.
//!
//! ```
//! use examdeck::learner::{Answer, Learner, StudyScope};
//! use examdeck::schedule::Rating;
//! use examdeck::deck::Library;
//! let mut learner = Learner::open_in_memory()?;
//! let library = Library::default();
//! let now = chrono::Utc::now();
//! learner.sync_library(&library, now)?;
//! assert!(learner.next_item(&StudyScope::All, &library, now)?.is_none());
//! # Ok::<(), examdeck::learner::LearnerError>(())
//! ```

mod answer;
mod attempts;
mod deck_runs;
mod due;
pub mod import_history;
mod library;
mod merge;
mod merge_attempts;
mod queue;
mod rebuild;
mod recover;
mod stats;
pub mod synthetic;
#[cfg(test)]
mod tests;
mod types;

use crate::deck::ItemKey;
use crate::schedule::{self, Context, ItemSched, Settings, Zone};
use crate::store::items::ItemRow;
use crate::store::{DB_FILE, Store, StoreError, backup, meta};
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

pub use crate::schedule::optimize::OptimizeReport;
pub use crate::store::backup::BackupInfo;
pub use attempts::{AttemptSummary, SavedAttempt, TodayTotals};
pub use merge::{
    BatchFile, BatchOutcome, Device, MergeCounts, flatten_settings, unflatten_settings,
};
pub use merge_attempts::AttemptMerge;
pub use rebuild::WorkProgress;
pub use recover::RecoverReport;
pub use types::*;

enum Undo {
    Answer {
        review_id: i64,
        before: Snapshot,
        siblings: Vec<(i64, Option<i64>)>,
    },
    Event {
        event_id: i64,
        before: Snapshot,
    },
}

#[derive(Clone)]
struct Snapshot {
    id: i64,
    key: ItemKey,
    sched: ItemSched,
    buried: Option<i64>,
    introduced: Option<i64>,
    edited: bool,
}

impl Snapshot {
    fn of(row: &ItemRow) -> Snapshot {
        Snapshot {
            id: row.id,
            key: row.key.clone(),
            sched: row.sched.clone(),
            buried: row.buried_until_ms,
            introduced: row.introduced_ms,
            edited: row.edited,
        }
    }
}

/// A learner: the store, the scheduler settings and this session's undo stack.
pub struct Learner {
    store: Store,
    settings: Settings,
    fsrs: fsrs::FSRS,
    params: Vec<f32>,
    zone: Box<dyn Zone>,
    undo: Vec<Undo>,
    data_dir: Option<PathBuf>,
    /// Items and suspended items per deck; cleared by every write that can change them.
    totals: RefCell<Option<HashMap<String, (u32, u32)>>>,
    /// The study queue's counts (`queue.rs`), valid while nothing else writes.
    queue: Option<queue::QueueCache>,
    /// The automatic backup running in the background.
    backup_job: Option<JoinHandle<Result<Option<BackupInfo>, StoreError>>>,
}

impl Drop for Learner {
    fn drop(&mut self) {
        // Never leave a backup half-written behind.
        if let Some(job) = self.backup_job.take() {
            let _ = job.join();
        }
    }
}

impl std::fmt::Debug for Learner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Learner")
            .field("store", &self.store)
            .field("undo_steps", &self.undo.len())
            .finish()
    }
}

fn at(ms: i64) -> DateTime<Utc> {
    schedule::day::from_ms(ms)
}

impl Learner {
    /// Opens (creating, migrating, backing up at most once a day) `<data_dir>/examdeck.sqlite3`.
    pub fn open(data_dir: &Path, now: DateTime<Utc>) -> Result<Learner> {
        let path = data_dir.join(DB_FILE);
        let with_backup = |e: StoreError| match e {
            StoreError::Corrupt { path, detail, .. } => StoreError::Corrupt {
                path,
                detail,
                backups: backup::good_backups(data_dir),
            },
            other => other,
        };
        let store = Store::open(&path).map_err(with_backup)?;
        let mut l = Learner::with_store(store)?;
        // A replay interrupted by a crash (after a merge or an out-of-order answer).
        l.finish_replay()?;
        l.data_dir = Some(data_dir.to_path_buf());
        if backup::backup_due(data_dir, now)? {
            // quick_check + backup of a large collection takes longer than showing the first
            // card: it runs on its own connection in the background (WAL lets it read while
            // answers are written). `wait_for_backup` reports its outcome.
            let dir = data_dir.to_path_buf();
            l.backup_job = Some(std::thread::spawn(move || {
                Store::open(&dir.join(DB_FILE))?.daily_backup(&dir, now)
            }));
        }
        Ok(l)
    }

    /// Waits for the automatic backup started by [`Learner::open`] and returns what it did:
    /// the backup taken, None if none was due, or the error — a damaged database
    /// (`quick_check` failed) comes with the path of the newest good backup.
    pub fn wait_for_backup(&mut self) -> Result<Option<BackupInfo>> {
        let Some(job) = self.backup_job.take() else {
            return Ok(None);
        };
        match job.join() {
            Ok(r) => Ok(r?),
            Err(_) => Err(LearnerError::Store(StoreError::BadData {
                path: self.store.path().to_string(),
                detail: "the backup thread panicked".into(),
            })),
        }
    }

    /// A learner in memory (tests).
    pub fn open_in_memory() -> Result<Learner> {
        Learner::with_store(Store::open_in_memory()?)
    }

    fn with_store(store: Store) -> Result<Learner> {
        let settings: Settings = store.read().meta_get(meta::SETTINGS)?.unwrap_or_default();
        // Stored settings are validated when set; fall back to defaults if they no longer are.
        let settings = if settings.validate().is_ok() {
            settings
        } else {
            Settings::default()
        };
        let fsrs = settings.fsrs()?;
        Ok(Learner {
            params: settings.parameters(),
            fsrs,
            settings,
            store,
            zone: Box::new(chrono::Local),
            undo: Vec::new(),
            data_dir: None,
            totals: RefCell::new(None),
            queue: None,
            backup_job: None,
        })
    }

    /// Counts days in `tz` instead of the system's local time zone.
    pub fn set_time_zone<Tz>(&mut self, tz: Tz)
    where
        Tz: chrono::TimeZone + Send + Sync + 'static,
        Tz::Offset: Send + Sync,
    {
        self.zone = Box::new(tz);
    }

    /// The store (for checks and tools).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn today(&self, now_ms: i64) -> i64 {
        self.zone.day_of(now_ms, self.settings.day_start_hour)
    }

    fn day_start(&self, day: i64) -> i64 {
        self.zone.day_start(day, self.settings.day_start_hour)
    }

    fn ctx<'a>(&'a self, row: &ItemRow, now_ms: i64) -> Context<'a> {
        rebuild::Replayer::of(&self.fsrs, &self.params, &self.settings, self.zone.as_ref())
            .ctx(row, now_ms)
    }

    fn totals(&self) -> Result<HashMap<String, (u32, u32)>> {
        if let Some(t) = self.totals.borrow().as_ref() {
            return Ok(t.clone());
        }
        let t: HashMap<String, (u32, u32)> = self
            .store
            .read()
            .count_totals()?
            .into_iter()
            .map(|(d, n, s)| (d, (n, s)))
            .collect();
        *self.totals.borrow_mut() = Some(t.clone());
        Ok(t)
    }

    /// Counts `decks` again in the kept totals (if any are kept).
    fn recount_totals(&self, decks: &[String]) -> Result<()> {
        let mut kept = self.totals.borrow_mut();
        let Some(totals) = kept.as_mut() else {
            return Ok(());
        };
        let read = self.store.read();
        for deck in decks {
            match read.count_totals_of(deck) {
                // The full count lists only decks with items.
                Ok((0, _)) => {
                    totals.remove(deck);
                }
                Ok(t) => {
                    totals.insert(deck.clone(), t);
                }
                Err(e) => {
                    *kept = None;
                    return Err(e.into());
                }
            }
        }
        Ok(())
    }

    fn forget_totals(&self) {
        *self.totals.borrow_mut() = None;
    }

    fn row(&self, key: &ItemKey) -> Result<ItemRow> {
        self.store
            .read()
            .item_by_key(key)?
            .ok_or_else(|| LearnerError::UnknownItem(key.clone()))
    }

    fn fsrs_err(key: &ItemKey, e: fsrs::FSRSError) -> LearnerError {
        LearnerError::Fsrs {
            key: key.clone(),
            detail: e.to_string(),
        }
    }
}

fn state_of(r: &ItemRow) -> ItemState {
    ItemState {
        key: r.key.clone(),
        phase: r.sched.phase,
        due: r.sched.due_ms.map(at),
        stability: r.sched.stability,
        difficulty: r.sched.difficulty,
        interval_days: r.sched.interval_days,
        reps: r.sched.reps,
        lapses: r.sched.lapses,
        suspended: r.sched.suspended,
        leech: r.sched.leech,
        edited: r.edited,
        removed: r.removed,
        buried_until: r.buried_until_ms.map(at),
    }
}
