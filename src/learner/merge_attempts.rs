//! Merging a peer's finished mock-exam attempts: each is checked (its attempt, report and
//! forecast must read as this version's types and agree with the record), then inserted by
//! uid — an attempt present on both sides is one attempt. A damaged attempt is skipped with
//! a sentence; the rest of its file (answers, events) still merges. Export is the store's
//! [`crate::store::Tx::sync_pending_attempts`].

use super::{Learner, Result};
use crate::exam::{Attempt, Forecast, Report};
use crate::store::sync::Record;
use crate::store::sync_attempts::AttemptRecord;
use crate::store::{StoreError, Tx};
use serde::Serialize;

/// The highest scaled score accepted (scales run to 1,000; leave room for other exams).
const MAX_SCALED: i64 = 100_000;

/// What merging the attempts of one peer file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AttemptMerge {
    /// Attempts new on this device.
    pub merged: usize,
    /// Attempts skipped, each with the sentence saying why.
    pub skipped: Vec<String>,
}

impl Learner {
    /// Merges the attempts among a peer file's `records` (other records are left to
    /// [`Learner::merge_file`]). Idempotent: merging the same file again adds nothing.
    pub fn merge_attempts(&mut self, peer: &str, records: &[Record]) -> Result<AttemptMerge> {
        if !records.iter().any(|r| matches!(r, Record::Attempt(_))) {
            return Ok(AttemptMerge::default());
        }
        Ok(self.store.write(|tx| import_attempts(tx, peer, records))?)
    }
}

/// Checks and inserts the attempts among `records` in the caller's transaction.
pub(super) fn import_attempts(
    tx: &Tx<'_>,
    peer: &str,
    records: &[Record],
) -> Result<AttemptMerge, StoreError> {
    let mut out = AttemptMerge::default();
    for r in records {
        let Record::Attempt(a) = r else { continue };
        match check(a) {
            Ok(()) => out.merged += usize::from(tx.sync_import_attempt(peer, a)?),
            Err(why) => out
                .skipped
                .push(format!("mock-exam attempt {} {why}", shown(&a.uid))),
        }
    }
    Ok(out)
}

/// A peer's uid as shown in a message: short, no control characters.
fn shown(uid: &str) -> String {
    uid.chars().filter(|c| !c.is_control()).take(48).collect()
}

/// Whether a peer's attempt makes sense; the sentence (after "mock-exam attempt <uid>")
/// saying why not.
fn check(a: &AttemptRecord) -> Result<(), String> {
    let attempt: Attempt =
        serde_json::from_str(&a.state).map_err(|e| format!("cannot be read (its answers: {e})"))?;
    if !attempt.is_submitted() {
        return Err("is not finished".into());
    }
    if attempt.paper.exam != a.exam {
        return Err(format!(
            "names exam {} but its paper is for {}",
            shown(&a.exam),
            shown(&attempt.paper.exam)
        ));
    }
    let n = attempt.paper.questions.len();
    if attempt.answers.len() != n || attempt.flagged.len() != n || attempt.time_spent_ms.len() != n
    {
        return Err("has answers that do not match its paper".into());
    }
    if attempt.started_at.timestamp_millis() != a.started || a.finished < a.started {
        return Err("has impossible start and finish times".into());
    }
    let score_ok = a.percent.is_finite()
        && (0.0..=100.0).contains(&a.percent)
        && (0..=MAX_SCALED).contains(&a.scaled);
    if !score_ok {
        return Err("has an impossible score".into());
    }
    if let Some(text) = &a.report {
        let report: Report =
            serde_json::from_str(text).map_err(|e| format!("cannot be read (its report: {e})"))?;
        if report.exam != a.exam {
            return Err("has a report of another exam".into());
        }
    }
    if let Some(text) = &a.forecast {
        serde_json::from_str::<Forecast>(text)
            .map_err(|e| format!("cannot be read (its forecast: {e})"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::Paper;
    use chrono::{TimeZone, Utc};

    fn record(submitted: bool) -> AttemptRecord {
        let paper = Paper {
            seed: 1,
            exam: "e".into(),
            domain: None,
            requested: 0,
            questions: Vec::new(),
            shortfalls: Vec::new(),
            kind_shortfalls: Vec::new(),
        };
        let start = Utc.timestamp_opt(1_800_000_000, 0).single().expect("time");
        let mut attempt = Attempt::new(paper, crate::exam::Mode::Exam, None, start);
        if submitted {
            attempt.submit(start).expect("submit");
        }
        AttemptRecord {
            uid: "dev-1".into(),
            exam: "e".into(),
            started: start.timestamp_millis(),
            finished: start.timestamp_millis() + 1,
            percent: 50.0,
            scaled: 600,
            passed: false,
            state: serde_json::to_string(&attempt).expect("json"),
            report: None,
            forecast: None,
        }
    }

    #[test]
    fn only_sound_finished_attempts_merge_and_each_refusal_says_why() {
        let mut l = Learner::open_in_memory().expect("open");
        let good = record(true);
        let open = AttemptRecord {
            uid: "dev-2".into(),
            ..record(false)
        };
        let bad_score = AttemptRecord {
            uid: "dev-3".into(),
            percent: f64::NAN,
            ..record(true)
        };
        let backwards = AttemptRecord {
            uid: "dev-4".into(),
            finished: good.started - 1,
            ..record(true)
        };
        let bad_forecast = AttemptRecord {
            uid: "dev-5".into(),
            forecast: Some("[]".into()),
            ..record(true)
        };
        let records: Vec<Record> = [good, open, bad_score, backwards, bad_forecast]
            .into_iter()
            .map(Record::Attempt)
            .collect();
        let m = l.merge_attempts("dev", &records).expect("merge");
        assert_eq!(m.merged, 1);
        let why: Vec<&str> = m.skipped.iter().map(String::as_str).take(3).collect();
        assert_eq!(
            why,
            vec![
                "mock-exam attempt dev-2 is not finished",
                "mock-exam attempt dev-3 has an impossible score",
                "mock-exam attempt dev-4 has impossible start and finish times",
            ],
            "{:?}",
            m.skipped
        );
        assert_eq!(m.skipped.len(), 4);
        assert!(
            m.skipped[3].starts_with("mock-exam attempt dev-5 cannot be read (its forecast:"),
            "{}",
            m.skipped[3]
        );
        let again = l.merge_attempts("dev", &records[..1]).expect("again");
        assert_eq!(again.merged, 0, "idempotent by uid");
        assert_eq!(l.attempt_history("e").expect("history").len(), 1);
    }
}
