//! The learner API's error and plain data types.

use crate::deck::ItemKey;
use crate::schedule::optimize::OptimizeError;
use crate::schedule::{Phase, Preview, Rating, ReviewKind, SettingsError};
use crate::store::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

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

/// What the home screen shows of the learner: [`Learner::due_counts`],
/// [`Learner::today_totals`] and [`Learner::exam_plans`] from one [`Learner::overview`].
///
/// [`Learner::due_counts`]: super::Learner::due_counts
/// [`Learner::today_totals`]: super::Learner::today_totals
/// [`Learner::exam_plans`]: super::Learner::exam_plans
/// [`Learner::overview`]: super::Learner::overview
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Counts per deck of the library, daily limits applied.
    pub counts: Vec<DeckCounts>,
    /// Today's totals under the overall limits.
    pub today: super::TodayTotals,
    /// Exam plans (exams with a date ahead).
    pub plans: Vec<ExamPlan>,
}
