//! A mock exam being sat: drawing the paper, answering, the timer, submitting, scoring, and
//! feeding every answer into the review log so the scheduler learns from mock exams too.

use super::core::AppCore;
use super::session::card_of;
use crate::app::question::QuestionInput;
use crate::deck::ItemKey;
use crate::exam::{self, Attempt, Forecast, Mode, PaperSpec, Report};
use crate::learner::Answer;
use crate::schedule::Rating;
use crate::schedule::ReviewKind;

/// How to set up an attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct MockSetup {
    /// Blueprint id.
    pub exam: String,
    /// Timed exam or practice.
    pub mode: Mode,
    /// Number of questions (the blueprint's for a full exam).
    pub questions: usize,
    /// Limit to one domain.
    pub domain: Option<String>,
    /// Seed; the same seed and decks give the same paper.
    pub seed: u64,
}

/// An attempt on screen.
pub struct MockSession {
    /// Row id in the learner's database.
    pub id: i64,
    /// The attempt (paper, answers, flags, timer).
    pub attempt: Attempt,
    /// The learner's choices per question, in display form.
    pub inputs: Vec<QuestionInput>,
    /// The report, once submitted.
    pub report: Option<Report>,
    /// The forecast made just before the attempt, for calibration.
    pub forecast_before: Option<Forecast>,
}

impl MockSession {
    /// Draws a paper (weakest and unseen cards likelier) and starts the attempt.
    pub fn start(core: &mut AppCore, setup: &MockSetup) -> anyhow::Result<MockSession> {
        let now = core.now();
        let blueprint = core
            .library
            .exam(&setup.exam)
            .ok_or_else(|| exam::ExamError::UnknownExam(setup.exam.clone()))?
            .clone();
        let pool = exam::exam_pool(&core.library, &setup.exam)?;
        let mut weakness = std::collections::HashMap::new();
        for p in &pool {
            let r = core.learner.recall_at(&p.key, now)?;
            weakness.insert(p.key.clone(), r.map_or(1.0, |r| 1.0 - r));
        }
        let spec = PaperSpec {
            questions: setup.questions,
            domain: setup.domain.clone(),
            seed: setup.seed,
        };
        let paper = exam::draw_paper(&pool, &blueprint, &spec, &|k: &ItemKey| {
            weakness.get(k).copied().unwrap_or(1.0)
        })?;
        let limit = match setup.mode {
            Mode::Exam => Some(exam::attempt::exam_time_limit(
                &blueprint,
                paper.questions.len(),
            )),
            Mode::Practice => None,
        };
        let forecast_before = super::readiness::readiness(core, &setup.exam, now).ok();
        let attempt = Attempt::new(paper, setup.mode, limit, now);
        let id = core
            .learner
            .save_attempt(None, &attempt, None, forecast_before.as_ref(), now)?;
        let mut s = MockSession {
            id,
            inputs: Vec::new(),
            attempt,
            report: None,
            forecast_before,
        };
        s.inputs = s.fresh_inputs(core);
        Ok(s)
    }

    /// The unfinished attempt of an earlier run, if any (closing the app keeps it).
    pub fn resume(core: &mut AppCore) -> anyhow::Result<Option<MockSession>> {
        let now = core.now();
        let Some(saved) = core.learner.open_attempt()? else {
            return Ok(None);
        };
        let mut s = MockSession {
            id: saved.id,
            attempt: saved.attempt,
            inputs: Vec::new(),
            report: None,
            forecast_before: saved.forecast,
        };
        s.attempt.resume(now)?;
        s.inputs = s.fresh_inputs(core);
        // Time may have run out while closed? No: closed time does not count. But a tick
        // now settles an attempt that was saved exactly at its limit.
        s.tick(core)?;
        Ok(Some(s))
    }

    fn fresh_inputs(&self, core: &AppCore) -> Vec<QuestionInput> {
        self.attempt
            .paper
            .questions
            .iter()
            .zip(&self.attempt.answers)
            .map(|(q, a)| match card_of(core, &q.key) {
                Some(card) => {
                    let mut input = QuestionInput::new(card, &q.shuffle);
                    if let Some(r) = a {
                        input.restore(r);
                    }
                    input
                }
                None => QuestionInput::None,
            })
            .collect()
    }

    /// Stores the current question's input as its answer (when complete).
    pub fn commit_input(&mut self, core: &AppCore) -> anyhow::Result<()> {
        let i = self.attempt.current;
        if self.attempt.revealed(i) && self.attempt.mode == Mode::Practice {
            return Ok(()); // practice answers are final once explained
        }
        if let Some(input) = self.inputs.get(i)
            && input.is_complete()
            && let Some(r) = input.to_response()
        {
            self.attempt.answer(r, core.now())?;
        }
        Ok(())
    }

    /// Moves to question `index`, keeping the answer of the one left.
    pub fn goto(&mut self, core: &mut AppCore, index: usize) -> anyhow::Result<()> {
        self.commit_input(core)?;
        self.attempt.goto(index, core.now())?;
        self.save(core)
    }

    /// Flags or unflags the current question.
    pub fn toggle_flag(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        let i = self.attempt.current;
        let flagged = !self.attempt.flagged.get(i).copied().unwrap_or(false);
        self.attempt.flag(flagged, core.now())?;
        self.save(core)
    }

    /// Checks the timer; submits when time is up. Returns true if it submitted now.
    pub fn tick(&mut self, core: &mut AppCore) -> anyhow::Result<bool> {
        if self.attempt.is_submitted() {
            return Ok(false);
        }
        if self.attempt.tick(core.now()) {
            self.finish(core)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Submits the attempt, scores it, and records every answer in the review log.
    pub fn submit(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        self.commit_input(core)?;
        self.attempt.submit(core.now())?;
        self.finish(core)
    }

    fn finish(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        let now = core.now();
        let blueprint = core
            .library
            .exam(&self.attempt.paper.exam)
            .ok_or_else(|| exam::ExamError::UnknownExam(self.attempt.paper.exam.clone()))?
            .clone();
        let cards = exam::paper_cards(&core.library, &self.attempt.paper)?;
        let report = self.attempt.report(&blueprint, &cards)?;
        // Every answered question teaches the scheduler: right is Good, wrong is Again.
        for (i, q) in report.per_question.iter().enumerate() {
            if !q.answered {
                continue;
            }
            let answer = Answer {
                rating: if q.correct {
                    Rating::Good
                } else {
                    Rating::Again
                },
                kind: ReviewKind::MockExam,
                time_taken_ms: q.time_ms.unwrap_or(0).min(u64::from(u32::MAX)) as u32,
                response: self.attempt.answers[i]
                    .as_ref()
                    .and_then(|r| serde_json::to_string(r).ok()),
            };
            core.learner.answer(&q.key, &answer, now)?;
        }
        core.learner.save_attempt(
            Some(self.id),
            &self.attempt,
            Some(&report),
            self.forecast_before.as_ref(),
            now,
        )?;
        core.refresh_counts(now)?;
        self.report = Some(report);
        Ok(())
    }

    /// Saves progress (answers, flags, time) so a closed app can resume.
    pub fn save(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        let now = core.now();
        self.attempt.checkpoint(now);
        self.persist(core, now)
    }

    fn persist(
        &self,
        core: &mut AppCore,
        now: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<()> {
        core.learner.save_attempt(
            Some(self.id),
            &self.attempt,
            self.report.as_ref(),
            self.forecast_before.as_ref(),
            now,
        )?;
        Ok(())
    }

    /// Pauses the clock and saves (the app is closing or the learner left the screen).
    pub fn pause(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        let now = core.now();
        self.commit_input(core)?;
        self.attempt.pause(now);
        self.persist(core, now)
    }

    /// The questions answered wrong or not at all, for "study my mistakes".
    pub fn mistakes(&self) -> Vec<ItemKey> {
        self.report
            .as_ref()
            .map(|r| {
                r.per_question
                    .iter()
                    .filter(|q| !q.correct)
                    .map(|q| q.key.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}
