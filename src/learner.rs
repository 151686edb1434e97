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

pub mod import_history;
pub mod synthetic;
#[cfg(test)]
mod tests;

use crate::deck::{ItemKey, Library};
use crate::schedule::exam::ExamPolicy;
use crate::schedule::optimize::{self, History, OptimizeError};
use crate::schedule::queue::{self, Candidate, Limits, Tally};
use crate::schedule::{
    self, Context, DAY_MS, DeckLimits, ItemSched, MINUTE_MS, Phase, Preview, Rating, ReviewKind,
    Settings, SettingsError, Zone, fuzz,
};
use crate::store::events::EventKind;
use crate::store::items::{CatalogEntry, ItemRow, ScopeFilter};
use crate::store::reviews::{ReviewRow, new_uid};
use crate::store::{DB_FILE, Store, StoreError, backup, meta};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

pub use crate::schedule::optimize::OptimizeReport;
pub use crate::store::backup::BackupInfo;

/// Something the learner API could not do.
#[derive(Debug, thiserror::Error)]
pub enum LearnerError {
    /// The store failed (database, file, schema, corruption, busy).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The item is not in the learner's database.
    #[error("unknown item {0}: it is not in the learner's database (sync the library first)")]
    UnknownItem(ItemKey),
    /// Settings out of range.
    #[error("invalid settings: {0}")]
    Settings(#[from] SettingsError),
    /// The FSRS maths refused a state.
    #[error("FSRS could not schedule {key}: {detail}")]
    Fsrs {
        /// The item.
        key: ItemKey,
        /// What the crate said.
        detail: String,
    },
    /// Optimizing failed or had too little data.
    #[error(transparent)]
    Optimize(#[from] OptimizeError),
    /// A backup operation needs a data directory (not an in-memory learner).
    #[error("this learner has no data directory (it lives in memory)")]
    NoDataDir,
}

/// Result with [`LearnerError`].
pub type Result<T, E = LearnerError> = std::result::Result<T, E>;

/// What to study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StudyScope {
    /// Everything.
    All,
    /// A deck and its sub-decks (`aws` includes `aws/kms`).
    Deck(String),
    /// The decks of an exam.
    Exam(String),
    /// One domain of an exam.
    Domain {
        /// Exam id.
        exam: String,
        /// Domain id.
        domain: String,
    },
    /// Exactly these items (custom study: no daily limits).
    Items(Vec<ItemKey>),
}

/// The item to show next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextItem {
    /// Which item.
    pub key: ItemKey,
    /// Its phase.
    pub phase: Phase,
    /// Its content changed since it was last answered.
    pub edited: bool,
    /// What each button (Again, Hard, Good, Easy) would do.
    pub previews: [Preview; 4],
}

/// An answer to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The grade.
    pub rating: Rating,
    /// `Cram` or `MockExam` when studying that way; any other value is replaced by the kind
    /// that follows from the item's phase.
    pub kind: ReviewKind,
    /// Time taken to answer, ms.
    pub time_taken_ms: u32,
    /// The answer given to a question (JSON text).
    pub response: Option<String>,
}

impl Answer {
    /// An ordinary answer with this rating.
    pub fn new(rating: Rating) -> Answer {
        Answer {
            rating,
            kind: ReviewKind::Review,
            time_taken_ms: 0,
            response: None,
        }
    }
}

/// What an answer did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerOutcome {
    /// Unique id of the logged answer (committed durably when this is returned).
    pub review_id: String,
    /// The kind it was logged as.
    pub kind: ReviewKind,
    /// The item's state after it.
    pub state: ItemState,
    /// This answer made the item a leech (and suspended it).
    pub became_leech: bool,
}

/// The state of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemState {
    /// Which item.
    pub key: ItemKey,
    /// Phase.
    pub phase: Phase,
    /// Next due moment.
    pub due: Option<DateTime<Utc>>,
    /// FSRS stability (days).
    pub stability: Option<f32>,
    /// FSRS difficulty (1–10).
    pub difficulty: Option<f32>,
    /// Current interval (days).
    pub interval_days: u32,
    /// Scheduling answers.
    pub reps: u32,
    /// Lapses.
    pub lapses: u32,
    /// Suspended.
    pub suspended: bool,
    /// Tagged a leech.
    pub leech: bool,
    /// Content changed since last answered.
    pub edited: bool,
    /// No longer in the library.
    pub removed: bool,
    /// Buried until.
    pub buried_until: Option<DateTime<Utc>>,
}

/// One logged answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewEntry {
    /// Unique id.
    pub id: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Grade.
    pub rating: Rating,
    /// How it was studied.
    pub kind: ReviewKind,
    /// Time taken, ms.
    pub time_taken_ms: u32,
    /// The answer given (JSON).
    pub response: Option<String>,
}

/// Counts of one deck for the due screen (daily limits applied to `new` and `review`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckCounts {
    /// Deck id.
    pub deck: String,
    /// New items to introduce today.
    pub new: u32,
    /// Learning items due (within the learn-ahead window).
    pub learning: u32,
    /// Reviews due today (daily limit applied), plus exam top-ups in an exam's final days
    /// (not limited).
    pub review: u32,
    /// Items in the deck.
    pub total: u32,
    /// Suspended items.
    pub suspended: u32,
    /// Share of items with predicted recall ≥ 0.9 now.
    pub mastered_fraction: f32,
}

/// What a library sync changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// Items seen for the first time.
    pub added: u32,
    /// Items whose content changed (flagged edited, history kept).
    pub edited: u32,
    /// Items no longer in the library (history kept).
    pub removed: u32,
    /// Removed items that came back.
    pub restored: u32,
    /// Items in the library.
    pub total: u32,
}

/// The pace of one exam with a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamPlan {
    /// Exam id.
    pub exam: String,
    /// Its date.
    pub date: NaiveDate,
    /// Days from today to the exam.
    pub days_left: i64,
    /// New items of its decks not yet introduced.
    pub new_left: u32,
    /// New items introduced per day so that all are in before the final days.
    pub new_per_day: u32,
    /// In the final days: items below the target on exam day are due now.
    pub in_final_days: bool,
}

/// Reviews on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayReviews {
    /// The (scheduler) day.
    pub date: NaiveDate,
    /// Answers.
    pub reviews: u32,
    /// Time spent, ms.
    pub time_ms: u64,
}

/// Share of review answers remembered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retention {
    /// Deck id, or `exam/domain`.
    pub key: String,
    /// Review answers (review and mock exam).
    pub answers: u32,
    /// Of which not Again.
    pub passed: u32,
    /// `passed / answers`.
    pub rate: Option<f32>,
}

/// Items by phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PhaseCounts {
    /// New.
    pub new: u32,
    /// Learning.
    pub learning: u32,
    /// Review.
    pub review: u32,
    /// Relearning.
    pub relearning: u32,
    /// Suspended (any phase).
    pub suspended: u32,
}

/// Statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Reviews per day over the last 365 days (days with reviews only).
    pub reviews_per_day: Vec<DayReviews>,
    /// Reviews due on each of the next 30 days (index 0: today, overdue included).
    pub forecast: Vec<u32>,
    /// Retention per deck.
    pub retention_by_deck: Vec<Retention>,
    /// Retention per exam domain (`exam/domain`).
    pub retention_by_domain: Vec<Retention>,
    /// Items by phase (decks of the library).
    pub phases: PhaseCounts,
    /// All answers ever.
    pub total_reviews: u64,
    /// Time studied, ms.
    pub total_time_ms: u64,
    /// Exams with a date.
    pub exam_plans: Vec<ExamPlan>,
}

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
            StoreError::Corrupt {
                path,
                detail,
                backup: None,
            } => StoreError::Corrupt {
                path,
                detail,
                backup: backup::list(data_dir)
                    .ok()
                    .and_then(|b| b.into_iter().next())
                    .map(|b| b.path),
            },
            other => other,
        };
        let store = Store::open(&path).map_err(with_backup)?;
        let mut l = Learner::with_store(store)?;
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

    fn policy(&self, exam: Option<&str>, today: i64) -> Option<ExamPolicy> {
        let date = self.settings.exam_dates.get(exam?)?;
        ExamPolicy::new(*date, today, &self.settings)
    }

    fn ctx<'a>(&'a self, row: &ItemRow, now_ms: i64) -> Context<'a> {
        let today = self.today(now_ms);
        Context {
            fsrs: &self.fsrs,
            parameters: &self.params,
            settings: &self.settings,
            zone: self.zone.as_ref(),
            retention: self
                .settings
                .retention_for(&row.key.deck, row.exam.as_deref()),
            fuzz_seed: fuzz::seed(&row.key.deck, &row.key.card, row.key.ord),
            exam: self.policy(row.exam.as_deref(), today),
        }
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

    /// Registers every item of the library (new ones, changed content hash → `edited`,
    /// missing → `removed`, never deleting history).
    ///
    /// A library identical to the last one synced (same fingerprint of keys, content hashes,
    /// exams, domains and order) changes nothing and costs no database scan.
    pub fn sync_library(&mut self, library: &Library, now: DateTime<Utc>) -> Result<SyncReport> {
        let now_ms = now.timestamp_millis();
        let (fingerprint, total) = library_fingerprint(library);
        let last: Option<String> = self.store.read().meta_get(meta::LIBRARY)?;
        if last.as_deref() == Some(fingerprint.as_str()) {
            return Ok(SyncReport {
                total,
                ..SyncReport::default()
            });
        }
        self.forget_totals();
        let existing = self.store.read().catalog()?;
        let index: HashMap<(&str, &str, u16), usize> = existing
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let k = &r.entry.key;
                ((k.deck.as_str(), k.card.as_str(), k.ord), i)
            })
            .collect();
        let report = self.store.write(|tx| {
            let mut report = SyncReport::default();
            let mut seen = vec![false; existing.len()];
            for (pos, (key, deck, card)) in library.items().enumerate() {
                let pos = pos as i64;
                report.total += 1;
                let found = index.get(&(key.deck.as_str(), key.card.as_str(), key.ord));
                let entry = || CatalogEntry {
                    key: key.clone(),
                    exam: deck.exam.clone(),
                    domain: card.domain.clone(),
                    content_hash: card.content_hash.clone(),
                };
                match found {
                    None => {
                        tx.insert_item(&entry(), pos, now_ms)?;
                        report.added += 1;
                    }
                    Some(&i) => {
                        seen[i] = true;
                        let row = &existing[i];
                        let changed = row.entry.content_hash != card.content_hash;
                        report.edited += u32::from(changed);
                        report.restored += u32::from(row.removed);
                        if changed
                            || row.removed
                            || row.entry.exam != deck.exam
                            || row.entry.domain != card.domain
                            || row.position != pos
                        {
                            tx.update_catalog(row.id, &entry(), pos, row.edited || changed)?;
                        }
                    }
                }
            }
            for (row, seen) in existing.iter().zip(&seen) {
                if !row.removed && !seen {
                    tx.mark_removed(row.id)?;
                    report.removed += 1;
                }
            }
            tx.meta_set(meta::LIBRARY, &fingerprint)?;
            Ok(report)
        })?;
        Ok(report)
    }

    /// Exam plans: for each exam with a date ahead, the new-item pace.
    pub fn exam_plans(&self, library: &Library, now: DateTime<Utc>) -> Result<Vec<ExamPlan>> {
        let now_ms = now.timestamp_millis();
        let today = self.today(now_ms);
        let day_start = self.day_start(today);
        let mut out = Vec::new();
        if self.settings.exam_dates.is_empty() {
            return Ok(out);
        }
        let new_by_deck: HashMap<String, u32> =
            self.store.read().count_new(now_ms)?.into_iter().collect();
        let introduced: HashMap<String, u32> = self
            .store
            .read()
            .introduced_since(day_start)?
            .into_iter()
            .collect();
        for (exam, date) in &self.settings.exam_dates {
            let Some(p) = ExamPolicy::new(*date, today, &self.settings) else {
                continue;
            };
            let decks: HashSet<&str> = library
                .decks
                .iter()
                .filter(|d| d.deck.exam.as_deref() == Some(exam.as_str()))
                .map(|d| d.deck.id.as_str())
                .collect();
            let new_left: u32 = decks
                .iter()
                .map(|d| new_by_deck.get(*d).copied().unwrap_or(0))
                .sum();
            let done: u32 = decks
                .iter()
                .map(|d| introduced.get(*d).copied().unwrap_or(0))
                .sum();
            out.push(ExamPlan {
                exam: exam.clone(),
                date: *date,
                days_left: p.exam_day - today,
                new_left,
                new_per_day: p.new_pace(today, new_left + done, self.settings.new_per_day),
                in_final_days: p.in_final_days(today),
            });
        }
        Ok(out)
    }

    /// Today's limits (exam pace included) and tally.
    fn limits_and_tally(
        &self,
        library: &Library,
        now: DateTime<Utc>,
    ) -> Result<(HashMap<String, DeckLimits>, DeckLimits, Tally)> {
        let now_ms = now.timestamp_millis();
        let start = self.day_start(self.today(now_ms));
        let read = self.store.read();
        let mut tally = Tally::default();
        for (deck, n) in read.introduced_since(start)? {
            tally.new += n;
            tally.new_by_deck.insert(deck, n);
        }
        for (deck, n) in read.reviewed_since(start)? {
            tally.reviews += n;
            tally.reviews_by_deck.insert(deck, n);
        }
        let mut per_deck: HashMap<String, DeckLimits> = library
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), self.settings.limits_for(&d.deck.id)))
            .collect();
        let mut overall = DeckLimits {
            new_per_day: self.settings.new_per_day,
            reviews_per_day: self.settings.reviews_per_day,
        };
        let mut paces = 0u32;
        for plan in self.exam_plans(library, now)? {
            paces = paces.saturating_add(plan.new_per_day);
            for d in &library.decks {
                if d.deck.exam.as_deref() == Some(plan.exam.as_str())
                    && let Some(l) = per_deck.get_mut(&d.deck.id)
                {
                    l.new_per_day = l.new_per_day.max(plan.new_per_day);
                }
            }
        }
        overall.new_per_day = overall.new_per_day.max(paces);
        Ok((per_deck, overall, tally))
    }

    /// Exams in their final days: (exam id, exam day start ms, final days start ms).
    fn final_days_exams(&self, now_ms: i64) -> Vec<(String, i64, i64)> {
        let today = self.today(now_ms);
        self.settings
            .exam_dates
            .iter()
            .filter_map(|(exam, date)| {
                let p = ExamPolicy::new(*date, today, &self.settings)?;
                p.in_final_days(today).then(|| {
                    (
                        exam.clone(),
                        self.day_start(p.exam_day),
                        self.day_start(p.final_start()),
                    )
                })
            })
            .collect()
    }

    /// Due counts per deck of the library, daily limits applied.
    pub fn due_counts(&self, library: &Library, now: DateTime<Utc>) -> Result<Vec<DeckCounts>> {
        let now_ms = now.timestamp_millis();
        let learn_until = now_ms + i64::from(self.settings.learn_ahead_mins) * MINUTE_MS;
        let read = self.store.read();
        let new: HashMap<String, u32> = read.count_new(now_ms)?.into_iter().collect();
        let due: HashMap<String, (u32, u32)> = read
            .count_due(now_ms, learn_until)?
            .into_iter()
            .map(|(d, r, l)| (d, (r, l)))
            .collect();
        let mastered: HashMap<String, u32> = read.count_mastered(now_ms)?.into_iter().collect();
        let totals = self.totals()?;
        let mut top_ups: HashMap<String, u32> = HashMap::new();
        let factor = schedule::stability_factor_for(self.settings.exam_target_recall, &self.params);
        for (exam, exam_start, final_start) in self.final_days_exams(now_ms) {
            for (deck, n) in read.count_top_ups(&exam, now_ms, exam_start, final_start, factor)? {
                *top_ups.entry(deck).or_default() += n;
            }
        }
        let (limits, overall, tally) = self.limits_and_tally(library, now)?;
        let new_left_all = overall.new_per_day.saturating_sub(tally.new);
        let rev_left_all = overall.reviews_per_day.saturating_sub(tally.reviews);
        let mut out = Vec::new();
        for d in &library.decks {
            let id = &d.deck.id;
            let (total, suspended) = totals.get(id).copied().unwrap_or((0, 0));
            let (review, learning) = due.get(id).copied().unwrap_or((0, 0));
            let mastered = mastered.get(id).copied().unwrap_or(0);
            let lim = limits.get(id).copied().unwrap_or(overall);
            let new_left = lim
                .new_per_day
                .saturating_sub(tally.new_by_deck.get(id).copied().unwrap_or(0))
                .min(new_left_all);
            let rev_left = lim
                .reviews_per_day
                .saturating_sub(tally.reviews_by_deck.get(id).copied().unwrap_or(0))
                .min(rev_left_all);
            out.push(DeckCounts {
                deck: id.clone(),
                new: new.get(id).copied().unwrap_or(0).min(new_left),
                learning,
                review: review.min(rev_left) + top_ups.get(id).copied().unwrap_or(0),
                total,
                suspended,
                mastered_fraction: if total == 0 {
                    0.0
                } else {
                    mastered as f32 / total as f32
                },
            });
        }
        Ok(out)
    }

    /// The next item to study in `scope`, or None when nothing is left today.
    pub fn next_item(
        &mut self,
        scope: &StudyScope,
        library: &Library,
        now: DateTime<Utc>,
    ) -> Result<Option<NextItem>> {
        let now_ms = now.timestamp_millis();
        let learn_until = now_ms + i64::from(self.settings.learn_ahead_mins) * MINUTE_MS;
        let mut top_ups = Vec::new();
        let (learning, reviews, news, limited) = match scope {
            StudyScope::Items(keys) => {
                let (mut l, mut r, mut n) = (Vec::new(), Vec::new(), Vec::new());
                for key in keys {
                    let Some(row) = self.store.read().item_by_key(key)? else {
                        continue;
                    };
                    if row.removed || row.sched.suspended {
                        continue;
                    }
                    let c = Candidate {
                        id: row.id,
                        deck: row.key.deck.clone(),
                        due_ms: row.sched.due_ms.unwrap_or(row.position),
                        phase: row.sched.phase,
                    };
                    match row.sched.phase {
                        Phase::New => n.push(c),
                        Phase::Review if c.due_ms <= now_ms => r.push(c),
                        Phase::Learning | Phase::Relearning if c.due_ms <= learn_until => l.push(c),
                        _ => {}
                    }
                }
                l.sort_by_key(|c| (c.due_ms, c.id));
                r.sort_by_key(|c| (c.due_ms, c.id));
                (l, r, n, false)
            }
            other => {
                let filter = match other {
                    StudyScope::Deck(d) => ScopeFilter {
                        deck: Some(d.clone()),
                        ..ScopeFilter::default()
                    },
                    StudyScope::Exam(e) => ScopeFilter {
                        exam: Some(e.clone()),
                        ..ScopeFilter::default()
                    },
                    StudyScope::Domain { exam, domain } => ScopeFilter {
                        exam: Some(exam.clone()),
                        domain: Some(domain.clone()),
                        ..ScopeFilter::default()
                    },
                    _ => ScopeFilter::default(),
                };
                let read = self.store.read();
                let fetch = self.settings.reviews_per_day.clamp(50, 2000);
                let learning = read.learning_due(&filter, learn_until, 50)?;
                let reviews = read.reviews_due(&filter, now_ms, fetch)?;
                let factor =
                    schedule::stability_factor_for(self.settings.exam_target_recall, &self.params);
                for (exam, exam_start, final_start) in self.final_days_exams(now_ms) {
                    top_ups.extend(read.top_ups(
                        &filter,
                        &exam,
                        now_ms,
                        exam_start,
                        final_start,
                        factor,
                        fetch,
                    )?);
                }
                let news = read.new_items(&filter, now_ms, fetch)?;
                (learning, reviews, news, true)
            }
        };
        let picked = if limited {
            let (limits, overall, tally) = self.limits_and_tally(library, now)?;
            let deck_limit = |d: &str| limits.get(d).copied().unwrap_or(overall);
            let lim = Limits {
                deck: &deck_limit,
                overall,
            };
            queue::pick(&learning, &reviews, &news, &tally, &lim, now_ms)
        } else {
            let unlimited = |_: &str| DeckLimits {
                new_per_day: u32::MAX,
                reviews_per_day: u32::MAX,
            };
            let lim = Limits {
                deck: &unlimited,
                overall: unlimited(""),
            };
            queue::pick(&learning, &reviews, &news, &Tally::default(), &lim, now_ms)
        };
        // Exam top-ups are not bound by the daily limits: they come once the day's due items
        // are done (before learning items that are not yet due).
        let id = match picked {
            Some(c) if !(c.phase.is_learning() && c.due_ms > now_ms) => Some(c.id),
            other => top_ups.first().or(other).map(|c| c.id),
        };
        let Some(id) = id else { return Ok(None) };
        let Some(row) = self.store.read().item_by_id(id)? else {
            return Ok(None);
        };
        let ctx = self.ctx(&row, now_ms);
        let previews = schedule::previews(&row.sched, now_ms, &ctx)
            .map_err(|e| Self::fsrs_err(&row.key, e))?;
        Ok(Some(NextItem {
            key: row.key,
            phase: row.sched.phase,
            edited: row.edited,
            previews,
        }))
    }

    /// Records an answer in one durable transaction and returns what it did.
    pub fn answer(
        &mut self,
        key: &ItemKey,
        answer: &Answer,
        now: DateTime<Utc>,
    ) -> Result<AnswerOutcome> {
        let now_ms = now.timestamp_millis();
        let row = self.row(key)?;
        let kind = match answer.kind {
            ReviewKind::Cram | ReviewKind::MockExam => answer.kind,
            _ => ReviewKind::for_phase(row.sched.phase),
        };
        let (sched, introduced) = if kind.schedules() {
            let ctx = self.ctx(&row, now_ms);
            let next = schedule::apply(&row.sched, answer.rating, now_ms, &ctx)
                .map_err(|e| Self::fsrs_err(key, e))?;
            let introduced = row
                .introduced_ms
                .or(Some(now_ms).filter(|_| row.sched.phase == Phase::New));
            (next, introduced)
        } else {
            (row.sched.clone(), row.introduced_ms)
        };
        let bury_until = self.day_start(self.today(now_ms) + 1);
        let uid = new_uid(now_ms);
        let review = ReviewRow {
            id: 0,
            uid: uid.clone(),
            item_id: row.id,
            at_ms: now_ms,
            rating: answer.rating,
            kind,
            time_ms: answer.time_taken_ms,
            response: answer.response.clone(),
        };
        let (review_id, siblings) = self.store.write(|tx| {
            let review_id = tx.add_review(&review)?;
            tx.set_item_state(row.id, &sched, row.buried_until_ms, introduced, false)?;
            let mut siblings = Vec::new();
            if kind.schedules() {
                for (sid, prev) in tx.siblings(key)? {
                    if prev.is_none_or(|p| p < bury_until) {
                        tx.set_buried(sid, Some(bury_until))?;
                        siblings.push((sid, prev));
                    }
                }
            }
            Ok((review_id, siblings))
        })?;
        if sched.suspended != row.sched.suspended {
            self.forget_totals();
        }
        self.undo.push(Undo::Answer {
            review_id,
            before: Snapshot::of(&row),
            siblings,
        });
        let became_leech = sched.leech && !row.sched.leech;
        let mut after = row;
        after.sched = sched;
        after.introduced_ms = introduced;
        after.edited = false;
        Ok(AnswerOutcome {
            review_id: uid,
            kind,
            state: state_of(&after),
            became_leech,
        })
    }

    /// Undoes the last answer or item action of this session, restoring the exact previous
    /// state; returns the item, or None when there is nothing to undo. Any number of steps.
    pub fn undo(&mut self) -> Result<Option<ItemKey>> {
        let Some(step) = self.undo.pop() else {
            return Ok(None);
        };
        self.forget_totals();
        let restore = |tx: &crate::store::Tx<'_>, b: &Snapshot| {
            tx.set_item_state(b.id, &b.sched, b.buried, b.introduced, b.edited)
        };
        let res = match &step {
            Undo::Answer {
                review_id,
                before,
                siblings,
            } => self.store.write(|tx| {
                tx.delete_review(*review_id)?;
                restore(tx, before)?;
                for (sid, prev) in siblings {
                    tx.set_buried(*sid, *prev)?;
                }
                Ok(before.key.clone())
            }),
            Undo::Event { event_id, before } => self.store.write(|tx| {
                tx.delete_event(*event_id)?;
                restore(tx, before)?;
                Ok(before.key.clone())
            }),
        };
        match res {
            Ok(key) => Ok(Some(key)),
            Err(e) => {
                self.undo.push(step);
                Err(e.into())
            }
        }
    }

    /// Steps that [`Learner::undo`] can take.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    fn event(&mut self, key: &ItemKey, kind: EventKind, now: DateTime<Utc>) -> Result<()> {
        let now_ms = now.timestamp_millis();
        let row = self.row(key)?;
        let mut sched = row.sched.clone();
        let mut buried = row.buried_until_ms;
        let mut introduced = row.introduced_ms;
        let until = match kind {
            EventKind::Suspend => {
                sched.suspended = true;
                None
            }
            EventKind::Unsuspend => {
                sched.suspended = false;
                None
            }
            EventKind::Bury => {
                let u = self.day_start(self.today(now_ms) + 1);
                buried = Some(u);
                Some(u)
            }
            EventKind::Reset => {
                sched = ItemSched {
                    suspended: sched.suspended,
                    ..ItemSched::default()
                };
                buried = None;
                introduced = None;
                None
            }
        };
        self.forget_totals();
        let event_id = self.store.write(|tx| {
            let id = tx.add_event(row.id, now_ms, kind, until)?;
            tx.set_item_state(row.id, &sched, buried, introduced, row.edited)?;
            Ok(id)
        })?;
        self.undo.push(Undo::Event {
            event_id,
            before: Snapshot::of(&row),
        });
        Ok(())
    }

    /// Keeps an item out of the queue.
    pub fn suspend(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Suspend, now)
    }

    /// Puts a suspended item (a leech too) back in the queue; a leech keeps its tag.
    pub fn unsuspend(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Unsuspend, now)
    }

    /// Keeps an item out of the queue until the next day starts.
    pub fn bury(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Bury, now)
    }

    /// Makes an item new again (its history is kept).
    pub fn reset(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Reset, now)
    }

    /// Every answer to an item, oldest first.
    pub fn history(&self, key: &ItemKey) -> Result<Vec<ReviewEntry>> {
        let row = self.row(key)?;
        Ok(self
            .store
            .read()
            .reviews_of(row.id)?
            .into_iter()
            .map(|r| ReviewEntry {
                id: r.uid,
                at: at(r.at_ms),
                rating: r.rating,
                kind: r.kind,
                time_taken_ms: r.time_ms,
                response: r.response,
            })
            .collect())
    }

    /// An item's state, None if unknown.
    pub fn item_state(&self, key: &ItemKey) -> Result<Option<ItemState>> {
        Ok(self.store.read().item_by_key(key)?.map(|r| state_of(&r)))
    }

    /// Predicted probability of recall of an item at a moment (None if never studied).
    pub fn recall_at(&self, key: &ItemKey, at: DateTime<Utc>) -> Result<Option<f64>> {
        let row = self.row(key)?;
        Ok(match (row.sched.stability, row.sched.last_review_ms) {
            (Some(s), Some(last)) => Some(schedule::recall(
                s,
                (at.timestamp_millis() - last) as f64 / DAY_MS as f64,
                &self.params,
            )),
            _ => None,
        })
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Checks, saves and applies new settings (existing due dates are kept; a rebuild from
    /// the log recomputes them with the new settings).
    pub fn set_settings(&mut self, s: Settings) -> Result<()> {
        s.validate()?;
        let fsrs = s.fsrs()?;
        self.store.write(|tx| tx.meta_set(meta::SETTINGS, &s))?;
        self.params = s.parameters();
        self.fsrs = fsrs;
        self.settings = s;
        Ok(())
    }

    /// Statistics for the decks of the library.
    pub fn stats(&self, library: &Library, now: DateTime<Utc>) -> Result<Stats> {
        let now_ms = now.timestamp_millis();
        let today = self.today(now_ms);
        let read = self.store.read();
        let decks: HashSet<&str> = library.decks.iter().map(|d| d.deck.id.as_str()).collect();

        // Day boundaries once, then a binary search per answer (no time-zone maths per row).
        let first = today - 364;
        let starts: Vec<i64> = (first..=today + 31).map(|d| self.day_start(d)).collect();
        let day_of = |t: i64| first + starts.partition_point(|&s| s <= t) as i64 - 1;
        let mut per_day: BTreeMap<i64, (u32, u64)> = BTreeMap::new();
        for (t, n, time) in read.review_times_since(starts[0])? {
            let e = per_day.entry(day_of(t)).or_default();
            e.0 += n;
            e.1 += time;
        }
        let reviews_per_day = per_day
            .into_iter()
            .map(|(day, (reviews, time_ms))| DayReviews {
                date: i32::try_from(day)
                    .ok()
                    .and_then(NaiveDate::from_num_days_from_ce_opt)
                    .unwrap_or_default(),
                reviews,
                time_ms,
            })
            .collect();

        let mut forecast = vec![0u32; 30];
        for due in read.due_before(self.day_start(today + 30))? {
            let i = (day_of(due) - today).clamp(0, 29) as usize;
            forecast[i] += 1;
        }

        let mut by_deck: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        let mut by_domain: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        for (deck, exam, domain, n, passed) in read.retention_rows()? {
            if !decks.contains(deck.as_str()) {
                continue;
            }
            let e = by_deck.entry(deck).or_default();
            e.0 += n;
            e.1 += passed;
            if let (Some(x), Some(d)) = (exam, domain) {
                let e = by_domain.entry(format!("{x}/{d}")).or_default();
                e.0 += n;
                e.1 += passed;
            }
        }
        let ret = |m: BTreeMap<String, (u32, u32)>| {
            m.into_iter()
                .map(|(key, (answers, passed))| Retention {
                    key,
                    answers,
                    passed,
                    rate: (answers > 0).then(|| passed as f32 / answers as f32),
                })
                .collect()
        };

        let mut phases = PhaseCounts::default();
        for (deck, phase, suspended, n) in read.phase_counts()? {
            if !decks.contains(deck.as_str()) {
                continue;
            }
            if suspended {
                phases.suspended += n;
            }
            match phase {
                Phase::New => phases.new += n,
                Phase::Learning => phases.learning += n,
                Phase::Review => phases.review += n,
                Phase::Relearning => phases.relearning += n,
            }
        }
        let (total_reviews, total_time_ms) = read.review_totals()?;
        Ok(Stats {
            reviews_per_day,
            forecast,
            retention_by_deck: ret(by_deck),
            retention_by_domain: ret(by_domain),
            phases,
            total_reviews,
            total_time_ms,
            exam_plans: self.exam_plans(library, now)?,
        })
    }

    /// Trains FSRS parameters on this learner's history; keeps them (and recomputes all
    /// states from the log) only if they predict the held-out reviews better.
    pub fn optimize(&mut self, progress: &mut dyn FnMut(f32)) -> Result<OptimizeReport> {
        let (histories, params) = self.optimizer_input()?;
        let report = optimize::optimize(&histories, &params, progress)?;
        self.adopt_parameters(&report)?;
        Ok(report)
    }

    /// What the optimizer needs, as plain data (so a window can run it on another thread and
    /// show progress): every item's scheduling answers since its last reset, and the current
    /// parameters. Run [`optimize::optimize`] on it, then [`Learner::adopt_parameters`].
    pub fn optimizer_input(&self) -> Result<(Vec<History>, Vec<f32>)> {
        let mut by_item: BTreeMap<i64, Vec<(u8, i64, i64)>> = BTreeMap::new();
        let mut resets: HashMap<i64, i64> = HashMap::new();
        for e in self.store.read().all_events()? {
            if e.kind == EventKind::Reset {
                resets.insert(e.item_id, e.after_review);
            }
        }
        for r in self.store.read().all_reviews()? {
            if !r.kind.schedules() {
                continue;
            }
            // History before the last reset belongs to an earlier life of the item.
            if resets.get(&r.item_id).is_some_and(|&after| r.id <= after) {
                continue;
            }
            by_item.entry(r.item_id).or_default().push((
                r.rating.as_u8(),
                self.today(r.at_ms),
                r.at_ms,
            ));
        }
        let histories: Vec<History> = by_item
            .into_iter()
            .map(|(item, answers)| History { item, answers })
            .collect();
        Ok((histories, self.params.clone()))
    }

    /// Keeps an optimizer result's parameters if it was accepted (they predict the held-out
    /// reviews better), and reschedules every item with them.
    pub fn adopt_parameters(&mut self, report: &OptimizeReport) -> Result<()> {
        if report.accepted {
            let s = Settings {
                fsrs_parameters: report.parameters.clone(),
                ..self.settings.clone()
            };
            self.set_settings(s)?;
            self.rebuild_from_log()?;
        }
        Ok(())
    }

    /// Recomputes every item's state from the review log and item events alone (with the
    /// current settings), in one transaction. Clears the undo stack.
    pub fn rebuild_from_log(&mut self) -> Result<()> {
        let read = self.store.read();
        let items = read.all_items()?;
        let reviews = read.all_reviews()?;
        let events = read.all_events()?;
        let mut index: HashMap<i64, usize> = HashMap::new();
        let mut states: Vec<(ItemSched, Option<i64>, Option<i64>)> =
            Vec::with_capacity(items.len());
        let mut groups: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, row) in items.iter().enumerate() {
            index.insert(row.id, i);
            states.push((ItemSched::default(), None, None));
            groups
                .entry((row.key.deck.as_str(), row.key.card.as_str()))
                .or_default()
                .push(i);
        }
        let bad = |what: String| StoreError::BadData {
            path: self.store.path().to_string(),
            detail: what,
        };
        let mut ev = events.iter().peekable();
        let apply_event = |e: &crate::store::events::EventRow,
                           states: &mut Vec<(ItemSched, Option<i64>, Option<i64>)>|
         -> Result<()> {
            let i = *index
                .get(&e.item_id)
                .ok_or_else(|| bad(format!("event {} names unknown item {}", e.id, e.item_id)))?;
            let st = &mut states[i];
            match e.kind {
                EventKind::Suspend => st.0.suspended = true,
                EventKind::Unsuspend => st.0.suspended = false,
                EventKind::Bury => st.1 = e.until_ms,
                EventKind::Reset => {
                    st.0 = ItemSched {
                        suspended: st.0.suspended,
                        ..ItemSched::default()
                    };
                    st.1 = None;
                    st.2 = None;
                }
            }
            Ok(())
        };
        for r in &reviews {
            while let Some(e) = ev.next_if(|e| e.after_review < r.id) {
                apply_event(e, &mut states)?;
            }
            let i = *index
                .get(&r.item_id)
                .ok_or_else(|| bad(format!("review {} names unknown item {}", r.uid, r.item_id)))?;
            if !r.kind.schedules() {
                continue;
            }
            let row = &items[i];
            let ctx = self.ctx(row, r.at_ms);
            let prev = &states[i].0;
            let next = schedule::apply(prev, r.rating, r.at_ms, &ctx)
                .map_err(|e| Self::fsrs_err(&row.key, e))?;
            if prev.phase == Phase::New && states[i].2.is_none() {
                states[i].2 = Some(r.at_ms);
            }
            states[i].0 = next;
            let bury_until = self.day_start(self.today(r.at_ms) + 1);
            if let Some(sibs) = groups.get(&(row.key.deck.as_str(), row.key.card.as_str())) {
                for &j in sibs {
                    let s = &mut states[j];
                    if j != i
                        && matches!(s.0.phase, Phase::New | Phase::Review)
                        && s.1.is_none_or(|p| p < bury_until)
                    {
                        s.1 = Some(bury_until);
                    }
                }
            }
        }
        for e in ev {
            apply_event(e, &mut states)?;
        }
        self.store.write(|tx| {
            for (row, (sched, buried, introduced)) in items.iter().zip(&states) {
                tx.set_item_state(row.id, sched, *buried, *introduced, row.edited)?;
            }
            Ok(())
        })?;
        self.undo.clear();
        self.forget_totals();
        Ok(())
    }

    /// This learner's backups, newest first (none for an in-memory learner).
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        match &self.data_dir {
            Some(d) => Ok(backup::list(d)?),
            None => Ok(Vec::new()),
        }
    }

    /// Takes a backup now (after `quick_check`), once the automatic one has finished.
    pub fn backup_now(&mut self, now: DateTime<Utc>) -> Result<BackupInfo> {
        self.wait_for_backup()?;
        let d = self.data_dir.as_ref().ok_or(LearnerError::NoDataDir)?;
        Ok(self.store.backup_now(d, now)?)
    }

    /// Replaces the database in `data_dir` with a backup (checked first; the current database
    /// is saved beside the backups). Call with no learner open on that directory.
    pub fn restore(data_dir: &Path, backup_file: &Path, now: DateTime<Utc>) -> Result<()> {
        Ok(backup::restore(data_dir, backup_file, now)?)
    }
}

/// SHA-256 over every item's key, exam, domain and content hash in library order, and the
/// number of items.
fn library_fingerprint(library: &Library) -> (String, u32) {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut n = 0u32;
    for (key, deck, card) in library.items() {
        n += 1;
        for part in [
            key.deck.as_str(),
            key.card.as_str(),
            deck.exam.as_deref().unwrap_or("\u{1}"),
            card.domain.as_deref().unwrap_or("\u{1}"),
            card.content_hash.as_str(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.update(key.ord.to_le_bytes());
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    (hex, n)
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

mod attempts;
pub use attempts::{AttemptSummary, SavedAttempt, TodayTotals};
