//! Mock exams and the readiness forecast: the pure core (no SQL, no egui).
//!
//! - [`blueprint`]: which cards serve an exam blueprint, and per-domain question quotas.
//! - [`mix`]: the question kinds a paper holds and their counts.
//! - [`paper`]: drawing a paper for a seed, stable across platforms and releases.
//! - [`response`]: a learner's answer to each question kind, and grading.
//! - [`scoring`]: raw, scaled and per-domain scores of a sat paper.
//! - [`forecast`](mod@forecast): the predicted exam score from each item's predicted recall.
//! - [`attempt`]: the in-progress attempt (navigator, flags, timer, pause and resume).
//! - [`simulate`]: the forecast checked on learners simulated with the FSRS model.
//!
//! Everything here takes plain data: "now" and seeds come in as arguments, nothing reads a
//! clock, a file or a database.

pub mod attempt;
pub mod blueprint;
pub mod forecast;
pub mod mix;
pub mod paper;
pub mod response;
pub(crate) mod rng;
pub mod scoring;
pub mod simulate;

pub use attempt::{Attempt, Mode, QuestionState, SubmitReason, exam_time_limit};
pub use blueprint::{
    Allocation, DomainQuota, PoolItem, QuestionKind, Shortfall, allocate, card_domain, exam_pool,
    quotas,
};
pub use forecast::{
    DomainForecast, Forecast, ForecastItem, chance_level, forecast, weakest_domains,
};
pub use mix::{KindShortfall, PaperKinds};
pub use paper::{Paper, PaperQuestion, PaperSpec, draw_paper, weakness_from_recall};
pub use response::{Response, grade};
pub use scoring::{DomainScore, QuestionResult, Report, Scale, paper_cards, score};

use crate::deck::ItemKey;
use serde::{Deserialize, Serialize};

/// Everything that can go wrong in the mock-exam core. Each variant names the input at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExamError {
    /// No blueprint with this id is loaded.
    #[error("no exam blueprint `{0}` is loaded (see `examdeck check` for the loaded ones)")]
    UnknownExam(String),
    /// The blueprint has no domain with this id.
    #[error("exam `{exam}` has no domain `{domain}`")]
    UnknownDomain {
        /// The exam's id.
        exam: String,
        /// The domain asked for.
        domain: String,
    },
    /// No question serves the exam (or the domain asked for).
    #[error("no exam-style question serves exam `{exam}`{}", .domain.as_ref().map(|d| format!(" domain `{d}`")).unwrap_or_default())]
    EmptyPool {
        /// The exam's id.
        exam: String,
        /// The domain asked for, if any.
        domain: Option<String>,
    },
    /// A paper of zero questions was asked for.
    #[error("a paper needs at least one question")]
    NoQuestions,
    /// A question of the paper is not in the library any more.
    #[error("question {0} is not in the loaded decks (was its deck changed?)")]
    MissingCard(String),
    /// Two lists that must match the paper's questions one to one do not.
    #[error("{what}: expected {expected} entries (one per question), got {got}")]
    LengthMismatch {
        /// Which list.
        what: &'static str,
        /// The paper's number of questions.
        expected: usize,
        /// The list's length.
        got: usize,
    },
    /// An answer of one kind given to a question of another.
    #[error("question {question} is a {expected} question, the answer is for a {got} question")]
    WrongKind {
        /// Question index (0-based).
        question: usize,
        /// The question's kind.
        expected: &'static str,
        /// The answer's kind.
        got: &'static str,
    },
    /// A question index past the end of the paper.
    #[error("question {index} does not exist (the paper has {len})")]
    OutOfRange {
        /// The index asked for.
        index: usize,
        /// The paper's number of questions.
        len: usize,
    },
    /// The attempt is submitted (by the learner or because time ran out): no more changes.
    #[error("the attempt is already submitted")]
    Submitted,
    /// In practice mode an answer is final once its explanation has been shown.
    #[error("question {0} is already answered and its explanation shown")]
    Locked(usize),
}

/// Result with [`ExamError`] by default.
pub type Result<T, E = ExamError> = std::result::Result<T, E>;

/// Serde shape of [`ItemKey`] (the deck model only serialises it); use with
/// `#[serde(with = "ItemKeyDef")]`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "ItemKey")]
pub(crate) struct ItemKeyDef {
    deck: String,
    card: String,
    ord: u16,
}
