//! The scheduler: a pure wrapper around the `fsrs` crate (FSRS-6) with Anki-style learning
//! steps, interval fuzz, daily limits, day rollover, exam-date pacing and the optimizer.
//!
//! Nothing here reads the clock, touches a database or draws random numbers: "now" is passed
//! in, and fuzz comes from a hash of the item and its review count, so every result can be
//! reproduced — which is what lets the store rebuild all card state from the review log.

pub mod answer;
pub mod day;
pub mod exam;
pub mod fuzz;
pub mod optimize;
pub mod queue;
pub mod settings;
pub mod simulate;

pub use answer::{Context, ItemSched, Preview, apply, previews};
pub use day::Zone;
pub use settings::{DeckLimits, Settings, SettingsError};

use serde::{Deserialize, Serialize};

/// Milliseconds in a minute.
pub const MINUTE_MS: i64 = 60_000;
/// Milliseconds in a day (24 hours; scheduler days may be 23 or 25 hours around DST).
pub const DAY_MS: i64 = 86_400_000;

/// How well the learner remembered: the four answer buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Forgot (a wrong answer to a question).
    Again = 1,
    /// Remembered with difficulty.
    Hard = 2,
    /// Remembered (a right answer to a question).
    Good = 3,
    /// Remembered easily.
    Easy = 4,
}

impl Rating {
    /// All four, in button order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// From 1–4.
    pub fn from_u8(v: u8) -> Option<Rating> {
        match v {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    /// 1–4.
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// The automatic grade of a question: wrong is Again, right is Good (the learner may then
    /// change a right answer to Hard or Easy).
    pub fn for_question(correct: bool) -> Rating {
        if correct { Rating::Good } else { Rating::Again }
    }

    /// Index 0–3 in [`Rating::ALL`].
    pub fn index(self) -> usize {
        self as usize - 1
    }
}

/// How an item was studied when it was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewKind {
    /// A new or learning item on its learning steps.
    Learn = 0,
    /// A graduated item answered when due.
    Review = 1,
    /// A lapsed item on its relearning steps.
    Relearn = 2,
    /// Extra practice outside the schedule: logged, does not change the schedule.
    Cram = 3,
    /// Answered in a mock exam: logged, and counts as a review (changes the schedule).
    MockExam = 4,
}

impl ReviewKind {
    /// From the stored number.
    pub fn from_u8(v: u8) -> Option<ReviewKind> {
        match v {
            0 => Some(ReviewKind::Learn),
            1 => Some(ReviewKind::Review),
            2 => Some(ReviewKind::Relearn),
            3 => Some(ReviewKind::Cram),
            4 => Some(ReviewKind::MockExam),
            _ => None,
        }
    }

    /// The kind of an ordinary answer to an item in `phase`.
    pub fn for_phase(phase: Phase) -> ReviewKind {
        match phase {
            Phase::New | Phase::Learning => ReviewKind::Learn,
            Phase::Review => ReviewKind::Review,
            Phase::Relearning => ReviewKind::Relearn,
        }
    }

    /// Whether answers of this kind change the schedule.
    pub fn schedules(self) -> bool {
        self != ReviewKind::Cram
    }
}

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Never studied.
    New = 0,
    /// On its learning steps (minutes apart).
    Learning = 1,
    /// Graduated: intervals in days from FSRS.
    Review = 2,
    /// Forgotten after graduating: on its relearning steps.
    Relearning = 3,
}

impl Phase {
    /// From the stored number.
    pub fn from_u8(v: u8) -> Option<Phase> {
        match v {
            0 => Some(Phase::New),
            1 => Some(Phase::Learning),
            2 => Some(Phase::Review),
            3 => Some(Phase::Relearning),
            _ => None,
        }
    }

    /// Learning or relearning: due in minutes rather than days.
    pub fn is_learning(self) -> bool {
        matches!(self, Phase::Learning | Phase::Relearning)
    }
}

/// Predicted probability of recall `elapsed_days` after the last review of an item with this
/// stability, with the forgetting curve of the given FSRS parameters (decay is parameter 21).
pub fn recall(stability: f32, elapsed_days: f64, parameters: &[f32]) -> f64 {
    let decay = parameters
        .get(20)
        .copied()
        .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
    let state = fsrs::MemoryState {
        stability,
        difficulty: 5.0,
    };
    f64::from(fsrs::current_retrievability(
        state,
        elapsed_days.max(0.0) as f32,
        decay,
    ))
}

/// The factor `c` such that recall falls to `target` after `c × stability` days (c = 1 for 0.9,
/// by FSRS's definition of stability).
pub fn stability_factor_for(target: f32, parameters: &[f32]) -> f64 {
    let decay = f64::from(
        parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY),
    );
    let t = f64::from(target.clamp(0.01, 0.999));
    (t.powf(-1.0 / decay) - 1.0) / (0.9f64.powf(-1.0 / decay) - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_grading() {
        assert_eq!(Rating::for_question(false), Rating::Again);
        assert_eq!(Rating::for_question(true), Rating::Good);
    }

    #[test]
    fn numbers_round_trip() {
        for r in Rating::ALL {
            assert_eq!(Rating::from_u8(r.as_u8()), Some(r));
        }
        assert_eq!(Rating::from_u8(0), None);
        for k in 0..5 {
            assert_eq!(ReviewKind::from_u8(k).map(|k| k as u8), Some(k));
        }
        for p in 0..4 {
            assert_eq!(Phase::from_u8(p).map(|p| p as u8), Some(p));
        }
    }

    #[test]
    fn recall_is_point_nine_at_stability() {
        let p = fsrs::DEFAULT_PARAMETERS;
        assert!((recall(10.0, 10.0, &p) - 0.9).abs() < 1e-5);
        assert!((stability_factor_for(0.9, &p) - 1.0).abs() < 1e-5);
        let c = stability_factor_for(0.95, &p);
        assert!((recall(10.0, 10.0 * c, &p) - 0.95).abs() < 1e-4);
    }
}
