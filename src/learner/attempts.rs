//! Mock-exam attempts and bulk item states for the app: the learner side of the `attempt`
//! table (see [`crate::store::attempts`]).

use super::{ItemState, Learner, Result, state_of};
use crate::deck::ItemKey;
use crate::exam::{Attempt, Forecast, Report};
use crate::store::StoreError;
use crate::store::attempts::AttemptRow;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// An attempt left open by an earlier run.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedAttempt {
    /// Row id.
    pub id: i64,
    /// The attempt as saved (paused).
    pub attempt: Attempt,
    /// The forecast made before it started.
    pub forecast: Option<Forecast>,
}

/// A finished attempt, for the history chart and calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptSummary {
    /// Row id.
    pub id: i64,
    /// When it was submitted.
    pub finished_at: DateTime<Utc>,
    /// Raw score, percent.
    pub percent: f64,
    /// Estimated scaled score.
    pub scaled: u32,
    /// Passed.
    pub passed: bool,
    /// Percent correct per domain id (domains on the paper).
    pub per_domain: Vec<(String, f64)>,
    /// The forecast made just before the attempt.
    pub forecast: Option<Forecast>,
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| {
        StoreError::BadData {
            path: "attempt".into(),
            detail: e.to_string(),
        }
        .into()
    })
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        StoreError::BadData {
            path: "attempt".into(),
            detail: format!("{what}: {e}"),
        }
        .into()
    })
}

impl Learner {
    /// Saves an attempt (a new row when `id` is `None`) in one transaction; returns its id.
    pub fn save_attempt(
        &mut self,
        id: Option<i64>,
        attempt: &Attempt,
        report: Option<&Report>,
        forecast: Option<&Forecast>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let row = AttemptRow {
            exam: attempt.paper.exam.clone(),
            started_ms: attempt.started_at.timestamp_millis(),
            updated_ms: now.timestamp_millis(),
            finished_ms: report
                .and(attempt.submitted_at)
                .map(|t| t.timestamp_millis()),
            percent: report.map(|r| r.percent),
            scaled: report.map(|r| i64::from(r.scaled)),
            passed: report.map(|r| r.passed),
            state_json: to_json(attempt)?,
            report_json: report.map(to_json).transpose()?,
            forecast_json: forecast.map(to_json).transpose()?,
        };
        Ok(self.store.write(|tx| match id {
            Some(id) => tx.attempt_update(id, &row).map(|()| id),
            None => tx.attempt_insert(&row),
        })?)
    }

    /// The open (unsubmitted) attempt saved last, if any.
    pub fn open_attempt(&self) -> Result<Option<SavedAttempt>> {
        let Some((id, state, forecast)) = self.store.read().attempt_open()? else {
            return Ok(None);
        };
        Ok(Some(SavedAttempt {
            id,
            attempt: from_json(&state, "attempt")?,
            forecast: forecast
                .as_deref()
                .map(|f| from_json(f, "forecast"))
                .transpose()?,
        }))
    }

    /// Finished attempts at `exam`, oldest first.
    pub fn attempt_history(&self, exam: &str) -> Result<Vec<AttemptSummary>> {
        self.store
            .read()
            .attempt_history(exam)?
            .into_iter()
            .map(|r| {
                let report: Option<Report> = r
                    .report_json
                    .as_deref()
                    .map(|t| from_json(t, "report"))
                    .transpose()?;
                Ok(AttemptSummary {
                    id: r.id,
                    finished_at: super::at(r.finished_ms),
                    percent: r.percent,
                    scaled: u32::try_from(r.scaled).unwrap_or(0),
                    passed: r.passed,
                    per_domain: report
                        .map(|rep| {
                            rep.per_domain
                                .iter()
                                .map(|d| (d.domain.clone(), d.percent))
                                .collect()
                        })
                        .unwrap_or_default(),
                    forecast: r
                        .forecast_json
                        .as_deref()
                        .map(|f| from_json(f, "forecast"))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// The state of every item the learner's database knows, by key.
    pub fn item_states(&self) -> Result<HashMap<ItemKey, ItemState>> {
        Ok(self
            .store
            .read()
            .all_items()?
            .iter()
            .map(|r| (r.key.clone(), state_of(r)))
            .collect())
    }
}

/// What "Study now" would show today over all decks, with the overall daily limits applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct TodayTotals {
    /// New items still to introduce today.
    pub new: u32,
    /// Learning items due now or within the learn-ahead window.
    pub learning: u32,
    /// Reviews still to do today.
    pub review: u32,
}

impl Learner {
    /// Sums per-deck counts (see [`Learner::due_counts`]) under the overall limits: twenty
    /// decks with 20 new cards each still make 20 new cards a day when the limit is 20.
    pub fn today_totals(
        &self,
        library: &crate::deck::Library,
        counts: &[super::DeckCounts],
        now: DateTime<Utc>,
    ) -> Result<TodayTotals> {
        let (_, overall, tally) = self.limits_and_tally(library, now)?;
        Ok(totals_under(counts, overall, &tally))
    }
}

/// Per-deck counts summed under the overall limits, less what today's tally already used.
pub(super) fn totals_under(
    counts: &[super::DeckCounts],
    overall: crate::schedule::DeckLimits,
    tally: &crate::schedule::queue::Tally,
) -> TodayTotals {
    let sum = |f: fn(&super::DeckCounts) -> u32| counts.iter().map(f).sum::<u32>();
    TodayTotals {
        new: sum(|c| c.new).min(overall.new_per_day.saturating_sub(tally.new)),
        learning: sum(|c| c.learning),
        review: sum(|c| c.review).min(overall.reviews_per_day.saturating_sub(tally.reviews)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{DeckSource, Library};

    fn two_decks_of(n: usize) -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().expect("tempdir");
        for deck in ["a", "b"] {
            let mut text = format!("examdeck: 1\nid: {deck}\ntitle: {deck}\ncards:\n");
            for i in 0..n {
                text.push_str(&format!(
                    "  - {{id: c{i}, kind: basic, prompt: p{i}, answer: a, source: s}}\n"
                ));
            }
            std::fs::write(dir.path().join(format!("{deck}.yaml")), text).expect("write");
        }
        let lib = Library::load(&[DeckSource::Path(dir.path().to_path_buf())]);
        (dir, lib)
    }

    #[test]
    fn today_totals_respect_the_overall_new_limit() {
        let (_dir, lib) = two_decks_of(15);
        let now = chrono::Utc::now();
        let mut learner = Learner::open_in_memory().expect("open");
        learner.sync_library(&lib, now).expect("sync");
        let counts = learner.due_counts(&lib, now).expect("counts");
        assert_eq!(
            counts.iter().map(|c| c.new).sum::<u32>(),
            30,
            "each deck alone could give 15"
        );
        let today = learner.today_totals(&lib, &counts, now).expect("totals");
        assert_eq!(today.new, learner.settings().new_per_day.min(30));
        assert_eq!(today.new, 20);
    }

    #[test]
    fn an_open_attempt_is_saved_and_found_again() {
        let mut learner = Learner::open_in_memory().expect("open");
        assert!(learner.open_attempt().expect("none").is_none());
        let paper = crate::exam::Paper {
            seed: 1,
            exam: "e".into(),
            domain: None,
            requested: 0,
            questions: Vec::new(),
            shortfalls: Vec::new(),
            kind_shortfalls: Vec::new(),
        };
        let now = chrono::Utc::now();
        let attempt = Attempt::new(paper, crate::exam::Mode::Exam, None, now);
        let id = learner
            .save_attempt(None, &attempt, None, None, now)
            .expect("save");
        let open = learner.open_attempt().expect("read").expect("open attempt");
        assert_eq!((open.id, &open.attempt), (id, &attempt));
        assert!(
            learner.attempt_history("e").expect("history").is_empty(),
            "not finished yet"
        );
    }
}
