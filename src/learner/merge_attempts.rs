//! Merging a peer's finished mock-exam attempts: each is checked (its attempt, report and
//! forecast must read as this version's types and agree with the record), then inserted by
//! uid — an attempt present on both sides is one attempt. A damaged attempt is skipped with
//! a sentence; the rest of its file (answers, events) still merges. Export is the store's
//! [`crate::store::Tx::sync_pending_attempts`].

use super::{Learner, Result};
use crate::exam::{Attempt, Forecast, Report};
use crate::store::sync::Record;
use crate::store::sync_attempts::AttemptRecord;
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
        let mut out = AttemptMerge::default();
        let mut valid = Vec::new();
        for r in records {
            let Record::Attempt(a) = r else { continue };
            match check(a) {
                Ok(()) => valid.push(a),
                Err(why) => out
                    .skipped
                    .push(format!("mock-exam attempt {} {why}", shown(&a.uid))),
            }
        }
        if valid.is_empty() {
            return Ok(out);
        }
        out.merged = self.store.write(|tx| {
            let mut n = 0;
            for a in &valid {
                n += usize::from(tx.sync_import_attempt(peer, a)?);
            }
            Ok(n)
        })?;
        Ok(out)
    }
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
