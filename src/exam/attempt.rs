//! An attempt in progress: answers, flags, the navigator, the timer, pause and resume.
//!
//! Pure: every method that depends on time takes `now`. The whole value is serde-serialisable
//! so the app can save it (e.g. as JSON in SQLite) and resume it later.
//!
//! # Time accounting
//! The time that counts is the time the attempt was *open*, not wall-clock time since the
//! start: closing the app does not eat into the time limit. The attempt keeps `elapsed_ms`,
//! the open time already counted, and `open_since`, the instant from which open time has not
//! been counted yet (`None` while paused). Every method taking `now` first adds
//! `now − open_since` to `elapsed_ms` and to the current question's `time_spent_ms`, then
//! moves `open_since` to `now`. So:
//! - closing cleanly: call [`Attempt::pause`], then save;
//! - saving while open (autosave): call [`Attempt::checkpoint`], then save;
//! - reopening: load, then call [`Attempt::resume`]. If the saved attempt was still open (the
//!   app crashed), the time between the last checkpoint and the crash is not counted: the
//!   learner loses nothing, the attempt gains at most one autosave interval.
//!
//! Time past the limit is never counted; [`Attempt::tick`] (call it every frame or second)
//! submits the attempt when the time is up, and so does any other method called after it.

use super::blueprint::QuestionKind;
use super::paper::Paper;
use super::response::Response;
use super::scoring::{Report, score};
use super::{ExamError, Result};
use crate::deck::{Card, ExamBlueprint};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How the attempt is sat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Timed, answers revealed only after submitting, answers can be changed until then.
    Exam,
    /// Untimed (unless a limit is given), each answer final and explained once given.
    Practice,
}

/// Why an attempt was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmitReason {
    /// The learner submitted it.
    Learner,
    /// The time limit was reached.
    TimeUp,
}

/// An attempt at a paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// The paper being sat.
    pub paper: Paper,
    /// Exam or practice.
    pub mode: Mode,
    /// When the attempt was started.
    pub started_at: DateTime<Utc>,
    /// Open time allowed, `None` for untimed.
    pub time_limit: Option<Duration>,
    /// The answer to each question, `None` if unanswered.
    pub answers: Vec<Option<Response>>,
    /// Whether each question is flagged for review.
    pub flagged: Vec<bool>,
    /// Open time spent on each question, in milliseconds.
    pub time_spent_ms: Vec<u64>,
    /// Index of the question shown.
    pub current: usize,
    /// Open time counted so far, in milliseconds (see the module docs).
    pub elapsed_ms: u64,
    /// Since when open time has not been counted yet; `None` while paused.
    pub open_since: Option<DateTime<Utc>>,
    /// When it was submitted, if it was.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Why it was submitted, if it was.
    pub submit_reason: Option<SubmitReason>,
}

/// A question's state for the navigator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuestionState {
    /// Has an answer.
    pub answered: bool,
    /// Flagged for review.
    pub flagged: bool,
    /// Is the question shown.
    pub current: bool,
}

/// The time limit of an exam-mode paper of `questions` questions: the blueprint's minutes,
/// in proportion for a shorter or longer paper (a full paper gets exactly `minutes`).
pub fn exam_time_limit(blueprint: &ExamBlueprint, questions: usize) -> Duration {
    let full = blueprint.questions.max(1) as u64;
    Duration::from_millis(blueprint.minutes as u64 * 60_000 * questions as u64 / full)
}

fn ms_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
    (to - from).num_milliseconds().max(0) as u64
}

impl Attempt {
    /// Starts an attempt at `now`, open, on the first question.
    pub fn new(
        paper: Paper,
        mode: Mode,
        time_limit: Option<Duration>,
        now: DateTime<Utc>,
    ) -> Attempt {
        let n = paper.questions.len();
        Attempt {
            paper,
            mode,
            started_at: now,
            time_limit,
            answers: vec![None; n],
            flagged: vec![false; n],
            time_spent_ms: vec![0; n],
            current: 0,
            elapsed_ms: 0,
            open_since: Some(now),
            submitted_at: None,
            submit_reason: None,
        }
    }

    /// Number of questions.
    pub fn len(&self) -> usize {
        self.paper.questions.len()
    }

    /// True for a paper without questions.
    pub fn is_empty(&self) -> bool {
        self.paper.questions.is_empty()
    }

    /// Whether the attempt is submitted (by the learner or the timer).
    pub fn is_submitted(&self) -> bool {
        self.submitted_at.is_some()
    }

    /// Whether the attempt is open (not paused, not submitted).
    pub fn is_open(&self) -> bool {
        self.open_since.is_some() && !self.is_submitted()
    }

    fn limit_ms(&self) -> Option<u64> {
        self.time_limit
            .map(|d| d.as_millis().min(u64::MAX as u128) as u64)
    }

    /// Open time counted at `now`, in milliseconds, never more than the limit.
    pub fn elapsed_ms_at(&self, now: DateTime<Utc>) -> u64 {
        let open = match (self.open_since, self.is_submitted()) {
            (Some(t), false) => ms_between(t, now),
            _ => 0,
        };
        let e = self.elapsed_ms.saturating_add(open);
        self.limit_ms().map_or(e, |l| e.min(l))
    }

    /// Time left at `now`, `None` if untimed.
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.limit_ms()
            .map(|l| Duration::from_millis(l.saturating_sub(self.elapsed_ms_at(now))))
    }

    /// Counts the open time up to `now` (see the module docs).
    fn settle(&mut self, now: DateTime<Utc>) {
        if self.is_submitted() {
            return;
        }
        if let Some(t) = self.open_since {
            let before = self.elapsed_ms;
            let after = self.elapsed_ms_at(now);
            let added = after.saturating_sub(before);
            self.elapsed_ms = after;
            if let Some(slot) = self.time_spent_ms.get_mut(self.current) {
                *slot += added;
            }
            self.open_since = Some(if now > t { now } else { t });
        }
    }

    /// Submits the attempt if its time is up at `now`; returns true if it did.
    pub fn tick(&mut self, now: DateTime<Utc>) -> bool {
        if self.is_submitted() {
            return false;
        }
        let Some(limit) = self.limit_ms() else {
            return false;
        };
        if self.elapsed_ms_at(now) < limit {
            return false;
        }
        // The instant the time ran out (or now, if it ran out while paused).
        let at = match self.open_since {
            Some(t) => {
                t + chrono::Duration::milliseconds(limit.saturating_sub(self.elapsed_ms) as i64)
            }
            None => now,
        };
        self.settle(now);
        self.submitted_at = Some(at.min(now));
        self.submit_reason = Some(SubmitReason::TimeUp);
        self.open_since = None;
        true
    }

    /// Counts time and auto-submits, then refuses changes to a submitted attempt.
    fn touch(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.tick(now);
        if self.is_submitted() {
            return Err(ExamError::Submitted);
        }
        self.settle(now);
        Ok(())
    }

    fn check_index(&self, index: usize) -> Result<()> {
        if index < self.len() {
            Ok(())
        } else {
            Err(ExamError::OutOfRange {
                index,
                len: self.len(),
            })
        }
    }

    /// Answers the current question (replacing an earlier answer in exam mode).
    ///
    /// Fails if the attempt is submitted (or the time ran out at `now`), if the answer is for
    /// another kind of question, or, in practice mode, if the question is already answered.
    pub fn answer(&mut self, response: Response, now: DateTime<Utc>) -> Result<()> {
        self.touch(now)?;
        let i = self.current;
        self.check_index(i)?;
        let expected: QuestionKind = self.paper.questions[i].kind;
        if response.kind() != expected {
            return Err(ExamError::WrongKind {
                question: i,
                expected: expected.as_str(),
                got: response.kind().as_str(),
            });
        }
        if self.mode == Mode::Practice && self.answers[i].is_some() {
            return Err(ExamError::Locked(i));
        }
        self.answers[i] = Some(response);
        Ok(())
    }

    /// Removes the current question's answer (exam mode only).
    pub fn clear_answer(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.touch(now)?;
        let i = self.current;
        self.check_index(i)?;
        if self.mode == Mode::Practice && self.answers[i].is_some() {
            return Err(ExamError::Locked(i));
        }
        self.answers[i] = None;
        Ok(())
    }

    /// Sets or clears the review flag of the current question.
    pub fn flag(&mut self, flagged: bool, now: DateTime<Utc>) -> Result<()> {
        self.touch(now)?;
        self.check_index(self.current)?;
        self.flagged[self.current] = flagged;
        Ok(())
    }

    /// Shows question `index`.
    pub fn goto(&mut self, index: usize, now: DateTime<Utc>) -> Result<()> {
        self.touch(now)?;
        self.check_index(index)?;
        self.current = index;
        Ok(())
    }

    /// Shows the next question; `Ok(false)` on the last one.
    pub fn next(&mut self, now: DateTime<Utc>) -> Result<bool> {
        if self.current + 1 >= self.len() {
            self.touch(now)?;
            return Ok(false);
        }
        self.goto(self.current + 1, now).map(|_| true)
    }

    /// Shows the previous question; `Ok(false)` on the first one.
    pub fn prev(&mut self, now: DateTime<Utc>) -> Result<bool> {
        if self.current == 0 {
            self.touch(now)?;
            return Ok(false);
        }
        self.goto(self.current - 1, now).map(|_| true)
    }

    /// Submits the attempt. Fails if already submitted (including by the timer at `now`).
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.touch(now)?;
        self.submitted_at = Some(now);
        self.submit_reason = Some(SubmitReason::Learner);
        self.open_since = None;
        Ok(())
    }

    /// Counts the open time so far, for saving an open attempt (autosave).
    pub fn checkpoint(&mut self, now: DateTime<Utc>) {
        self.tick(now);
        self.settle(now);
    }

    /// Stops the clock (closing the app or the exam screen). Submits instead if the time ran
    /// out before `now`.
    pub fn pause(&mut self, now: DateTime<Utc>) {
        self.tick(now);
        self.settle(now);
        self.open_since = None;
    }

    /// Restarts the clock at `now` after loading a saved attempt (see the module docs).
    pub fn resume(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self.is_submitted() {
            return Err(ExamError::Submitted);
        }
        self.open_since = Some(now);
        Ok(())
    }

    /// Indexes of the unanswered questions.
    pub fn unanswered(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.answers[i].is_none())
            .collect()
    }

    /// Indexes of the flagged questions.
    pub fn flagged(&self) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.flagged[i]).collect()
    }

    /// Every question's state, for the navigator.
    pub fn navigator(&self) -> Vec<QuestionState> {
        (0..self.len())
            .map(|i| QuestionState {
                answered: self.answers[i].is_some(),
                flagged: self.flagged[i],
                current: i == self.current,
            })
            .collect()
    }

    /// Whether question `index`'s right answer may be shown: after submitting, or in practice
    /// mode once it is answered.
    pub fn revealed(&self, index: usize) -> bool {
        self.is_submitted()
            || (self.mode == Mode::Practice && self.answers.get(index).is_some_and(|a| a.is_some()))
    }

    /// The report (see [`score`]) with the time spent per question; `cards[i]` is question
    /// `i`'s card (see [`super::paper_cards`]).
    pub fn report(&self, blueprint: &ExamBlueprint, cards: &[&Card]) -> Result<Report> {
        score(
            &self.paper,
            blueprint,
            cards,
            &self.answers,
            Some(&self.time_spent_ms),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::blueprint::testutil::blueprint;
    use super::super::paper::PaperQuestion;
    use super::*;
    use crate::deck::ItemKey;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    fn paper(kinds: &[QuestionKind]) -> Paper {
        Paper {
            seed: 1,
            exam: "x".into(),
            domain: None,
            requested: kinds.len(),
            questions: kinds
                .iter()
                .enumerate()
                .map(|(i, k)| PaperQuestion {
                    key: ItemKey {
                        deck: "d".into(),
                        card: format!("q{i}"),
                        ord: 0,
                    },
                    domain: "a".into(),
                    kind: *k,
                    shuffle: Vec::new(),
                })
                .collect(),
            shortfalls: Vec::new(),
            kind_shortfalls: Vec::new(),
        }
    }

    fn three() -> Paper {
        paper(&[
            QuestionKind::Single,
            QuestionKind::TrueFalse,
            QuestionKind::Order,
        ])
    }

    #[test]
    fn navigate_answer_flag() {
        let mut a = Attempt::new(three(), Mode::Exam, None, t(0));
        a.answer(Response::Single { choice: 2 }, t(10))
            .expect("answer");
        assert_eq!(a.next(t(20)), Ok(true));
        a.flag(true, t(25)).expect("flag");
        assert_eq!(
            a.answer(Response::Single { choice: 0 }, t(26)),
            Err(ExamError::WrongKind {
                question: 1,
                expected: "truefalse",
                got: "single"
            })
        );
        assert_eq!(a.next(t(30)), Ok(true));
        assert_eq!(a.next(t(31)), Ok(false));
        assert_eq!(
            a.goto(7, t(32)),
            Err(ExamError::OutOfRange { index: 7, len: 3 })
        );
        a.goto(0, t(40)).expect("goto");
        assert_eq!(a.prev(t(41)), Ok(false));
        // Exam mode: answers can change.
        a.answer(Response::Single { choice: 1 }, t(42))
            .expect("change");
        assert_eq!(a.answers[0], Some(Response::Single { choice: 1 }));
        assert_eq!(a.unanswered(), vec![1, 2]);
        assert_eq!(a.flagged(), vec![1]);
        let nav = a.navigator();
        assert!(nav[0].answered && nav[0].current && !nav[0].flagged);
        assert!(nav[1].flagged && !nav[1].answered);
        // Time per question: q0 0–20 and 40–42, q1 20–30, q2 30–40.
        assert_eq!(a.time_spent_ms, vec![22_000, 10_000, 10_000]);
        assert!(!a.revealed(0));
        a.submit(t(50)).expect("submit");
        assert_eq!(a.submit_reason, Some(SubmitReason::Learner));
        assert!(a.revealed(1));
        assert_eq!(
            a.answer(Response::TrueFalse { answer: true }, t(51)),
            Err(ExamError::Submitted)
        );
        assert_eq!(a.submit(t(52)), Err(ExamError::Submitted));
        assert_eq!(a.elapsed_ms, 50_000);
    }

    #[test]
    fn practice_answers_are_final_and_revealed() {
        let mut a = Attempt::new(three(), Mode::Practice, None, t(0));
        assert!(!a.revealed(0));
        a.answer(Response::Single { choice: 2 }, t(1))
            .expect("answer");
        assert!(a.revealed(0));
        assert_eq!(
            a.answer(Response::Single { choice: 1 }, t(2)),
            Err(ExamError::Locked(0))
        );
        assert_eq!(a.remaining(t(1000)), None);
        assert!(!a.tick(t(1_000_000)));
    }

    #[test]
    fn timer_expiry_submits() {
        let mut a = Attempt::new(three(), Mode::Exam, Some(Duration::from_secs(60)), t(0));
        a.answer(Response::Single { choice: 0 }, t(10))
            .expect("answer");
        assert_eq!(a.remaining(t(45)), Some(Duration::from_secs(15)));
        assert!(!a.tick(t(59)));
        assert!(a.tick(t(75)));
        assert!(a.is_submitted());
        assert_eq!(a.submit_reason, Some(SubmitReason::TimeUp));
        // Submitted at the deadline, not when the tick came.
        assert_eq!(a.submitted_at, Some(t(60)));
        assert_eq!(a.elapsed_ms, 60_000);
        assert_eq!(a.time_spent_ms.iter().sum::<u64>(), 60_000);
        assert_eq!(a.remaining(t(80)), Some(Duration::ZERO));
        assert!(!a.tick(t(90)), "only once");
        // The answer given in time stays.
        assert_eq!(a.answers[0], Some(Response::Single { choice: 0 }));
    }

    #[test]
    fn late_answer_is_refused_and_submits() {
        let mut a = Attempt::new(three(), Mode::Exam, Some(Duration::from_secs(60)), t(0));
        assert_eq!(
            a.answer(Response::Single { choice: 0 }, t(61)),
            Err(ExamError::Submitted)
        );
        assert_eq!(a.answers[0], None);
        assert_eq!(a.submit_reason, Some(SubmitReason::TimeUp));
    }

    #[test]
    fn resumed_attempt_keeps_answers_and_remaining_time() {
        let bp = blueprint("x", 3, &[("a", 1.0)]);
        let limit = exam_time_limit(&bp, 3);
        assert_eq!(limit, Duration::from_secs(130 * 60));
        let mut a = Attempt::new(three(), Mode::Exam, Some(limit), t(0));
        a.answer(Response::Single { choice: 1 }, t(600))
            .expect("answer");
        a.next(t(700)).expect("next");
        a.flag(true, t(710)).expect("flag");
        a.pause(t(1000));
        let left = a.remaining(t(1000));
        let saved = serde_json::to_string(&a).expect("save");

        // Three days later.
        let mut b: Attempt = serde_json::from_str(&saved).expect("load");
        assert_eq!(
            b.remaining(t(3 * 86_400)),
            left,
            "paused: the clock does not run"
        );
        b.resume(t(3 * 86_400)).expect("resume");
        assert_eq!(b.answers, a.answers);
        assert_eq!(b.flagged(), vec![1]);
        assert_eq!(b.current, 1);
        assert_eq!(
            b.remaining(t(3 * 86_400 + 100)),
            Some(limit - Duration::from_secs(1100))
        );
        assert!(!b.tick(t(3 * 86_400 + 100)));
        // Timer still ends after the open time, not the wall-clock time.
        assert!(b.tick(t(3 * 86_400 + limit.as_secs() as i64 - 1000)));
        assert_eq!(b.elapsed_ms, limit.as_millis() as u64);
    }

    #[test]
    fn crash_loses_only_time_since_the_last_checkpoint() {
        let mut a = Attempt::new(three(), Mode::Exam, Some(Duration::from_secs(3600)), t(0));
        a.checkpoint(t(300));
        let saved = serde_json::to_string(&a).expect("save");
        // The app crashes at t=400 without saving; reopened at t=5000.
        let mut b: Attempt = serde_json::from_str(&saved).expect("load");
        b.resume(t(5000)).expect("resume");
        assert_eq!(b.remaining(t(5000)), Some(Duration::from_secs(3300)));
        assert_eq!(b.time_spent_ms[0], 300_000);
    }

    #[test]
    fn report_uses_answers_and_times() {
        use super::super::response::testutil::*;
        let bp = blueprint("x", 3, &[("a", 1.0)]);
        let cards = [single("q0", 4, 1), truefalse("q1", true), order("q2", 3)];
        let refs: Vec<&Card> = cards.iter().collect();
        let mut a = Attempt::new(three(), Mode::Exam, None, t(0));
        a.answer(Response::Single { choice: 1 }, t(5))
            .expect("answer");
        a.next(t(6)).expect("next");
        a.answer(Response::TrueFalse { answer: false }, t(9))
            .expect("answer");
        a.submit(t(10)).expect("submit");
        let r = a.report(&bp, &refs).expect("report");
        assert_eq!((r.raw_correct, r.answered, r.total), (1, 2, 3));
        assert_eq!(r.time_ms, Some(10_000));
        assert_eq!(r.per_question[1].time_ms, Some(4_000));
    }
}
