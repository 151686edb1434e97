//! The store side of syncing finished mock-exam attempts: the attempts not yet exported
//! (given a global id first), marking them exported, and importing a peer's attempt by uid
//! (idempotent: an attempt present on both sides is one attempt). Open attempts never leave
//! their device. Checking that a peer's attempt makes sense is the learner's job.

use super::sync::Record;
use super::{Result, Tx};
use rusqlite::{named_params, params};
use serde::{Deserialize, Serialize};

/// The longest text field of an attempt record (the attempt and report JSON of a long paper).
pub const MAX_ATTEMPT_TEXT: usize = 1 << 20;

/// The most attempt text put in one exported file, so a file stays far below the size a
/// peer reads (`sync::file::MAX_FILE_BYTES`); the rest goes in the next sync's file.
pub const ATTEMPT_BYTES_PER_FILE: usize = 16 << 20;

/// A finished mock-exam attempt as exchanged between devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// Globally unique attempt id (`<device>-<random>`).
    pub uid: String,
    /// Blueprint id.
    pub exam: String,
    /// Start, UTC ms.
    pub started: i64,
    /// Submission, UTC ms.
    pub finished: i64,
    /// Raw score in percent.
    pub percent: f64,
    /// Estimated scaled score.
    pub scaled: i64,
    /// Passed.
    pub passed: bool,
    /// The attempt (paper, responses, clock) as JSON text.
    pub state: String,
    /// The report as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
    /// The forecast made before the attempt, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<String>,
}

impl AttemptRecord {
    /// Bounds every field must keep for the file holding it to be read at all (whether the
    /// attempt itself makes sense is checked when it is merged).
    pub fn check_bounds(&self) -> std::result::Result<(), &'static str> {
        let id_ok = |s: &str| !s.is_empty() && s.len() <= 1024;
        if !(id_ok(&self.uid) && id_ok(&self.exam)) {
            return Err("bad attempt id");
        }
        let texts = [
            Some(&self.state),
            self.report.as_ref(),
            self.forecast.as_ref(),
        ];
        if texts.iter().flatten().any(|t| t.len() > MAX_ATTEMPT_TEXT) {
            return Err("attempt too long");
        }
        Ok(())
    }
}

impl AttemptRecord {
    /// Bytes of its JSON texts.
    fn text_len(&self) -> usize {
        self.state.len()
            + self.report.as_ref().map_or(0, String::len)
            + self.forecast.as_ref().map_or(0, String::len)
    }
}

impl Tx<'_> {
    /// Finished local attempts not yet exported (at most `limit`, and at most
    /// [`ATTEMPT_BYTES_PER_FILE`] of text), giving each a global id first. An attempt out of
    /// bounds (which no peer would read) is never exported: it would fail its whole file.
    pub fn sync_pending_attempts(&self, device: &str, limit: usize) -> Result<Vec<Record>> {
        self.prepare(include_str!("sql/sync_attempt_uids.sql"))?
            .execute([device])
            .map_err(|e| self.err(e))?;
        let mut stmt = self.prepare(include_str!("sql/sync_pending_attempts.sql"))?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(Record::Attempt(AttemptRecord {
                    uid: r.get(0)?,
                    exam: r.get(1)?,
                    started: r.get(2)?,
                    finished: r.get(3)?,
                    percent: r.get::<_, Option<f64>>(4)?.unwrap_or(0.0),
                    scaled: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
                    passed: r.get::<_, Option<bool>>(6)?.unwrap_or(false),
                    state: r.get(7)?,
                    report: r.get(8)?,
                    forecast: r.get(9)?,
                }))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        let mut bytes = 0;
        let mut out = Vec::new();
        for r in rows {
            let Record::Attempt(a) = &r else { continue };
            if a.check_bounds().is_err() {
                continue;
            }
            bytes += a.text_len();
            if bytes > ATTEMPT_BYTES_PER_FILE && !out.is_empty() {
                break;
            }
            out.push(r);
        }
        Ok(out)
    }

    /// Marks the attempts among `records` as exported by `device`.
    pub fn sync_mark_attempts(&self, device: &str, records: &[Record]) -> Result<()> {
        let mut stmt = self.prepare(include_str!("sql/sync_mark_attempt.sql"))?;
        for r in records {
            if let Record::Attempt(a) = r {
                stmt.execute(params![device, a.uid])
                    .map_err(|e| self.err(e))?;
            }
        }
        Ok(())
    }

    /// Imports a peer's finished attempt unless one with its uid is here already; returns
    /// whether it was new.
    pub fn sync_import_attempt(&self, peer: &str, a: &AttemptRecord) -> Result<bool> {
        let n = self
            .prepare(include_str!("sql/sync_import_attempt.sql"))?
            .execute(named_params! {
                ":uid": a.uid, ":origin": peer, ":exam": a.exam, ":started": a.started,
                ":finished": a.finished, ":percent": a.percent, ":scaled": a.scaled,
                ":passed": a.passed, ":state": a.state, ":report": a.report,
                ":forecast": a.forecast,
            })
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::attempts::AttemptRow;
    use super::*;

    fn row(finished: Option<i64>) -> AttemptRow {
        AttemptRow {
            exam: "e".into(),
            started_ms: 1,
            updated_ms: 2,
            finished_ms: finished,
            percent: finished.map(|_| 75.0),
            scaled: finished.map(|_| 780),
            passed: finished.map(|_| true),
            state_json: "{}".into(),
            report_json: Some("{\"r\":1}".into()),
            forecast_json: None,
        }
    }

    fn attempts(r: &[Record]) -> Vec<&AttemptRecord> {
        r.iter()
            .filter_map(|r| match r {
                Record::Attempt(a) => Some(a),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn only_finished_attempts_are_exported_once_and_imports_are_idempotent() {
        let mut s = Store::open_in_memory().expect("open");
        s.write(|tx| {
            tx.attempt_insert(&row(None))?;
            tx.attempt_insert(&row(Some(10)))
        })
        .expect("insert");
        let pending = s
            .write(|tx| tx.sync_pending_attempts("dev", 10))
            .expect("pending");
        let found = attempts(&pending);
        assert_eq!(found.len(), 1, "the open attempt stays: {pending:?}");
        let a = found[0].clone();
        assert!(a.uid.starts_with("dev-"), "{}", a.uid);
        assert_eq!((a.finished, a.scaled, a.passed), (10, 780, true));
        assert_eq!(a.report.as_deref(), Some("{\"r\":1}"));
        // Not exported yet: the same uid is offered again.
        let again = s
            .write(|tx| tx.sync_pending_attempts("dev", 10))
            .expect("pending");
        assert_eq!(attempts(&again)[0].uid, a.uid);
        s.write(|tx| tx.sync_mark_attempts("dev", &pending))
            .expect("mark");
        let none = s
            .write(|tx| tx.sync_pending_attempts("dev", 10))
            .expect("pending");
        assert!(none.is_empty(), "{none:?}");

        let mut peer = Store::open_in_memory().expect("open");
        assert!(
            peer.write(|tx| tx.sync_import_attempt("dev", &a))
                .expect("import")
        );
        assert!(
            !peer
                .write(|tx| tx.sync_import_attempt("dev", &a))
                .expect("again"),
            "one attempt, however often it arrives"
        );
        let h = peer.read().attempt_history("e").expect("history");
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].finished_ms, h[0].scaled), (10, 780));
        assert!(peer.read().attempt_open().expect("open").is_none());
        let out = peer
            .write(|tx| tx.sync_pending_attempts("peer", 10))
            .expect("pending");
        assert!(out.is_empty(), "a merged attempt is not exported again");
    }

    #[test]
    fn an_attempt_no_peer_would_read_is_never_exported() {
        let mut s = Store::open_in_memory().expect("open");
        let mut huge = row(Some(10));
        huge.state_json = "x".repeat(MAX_ATTEMPT_TEXT + 1);
        s.write(|tx| {
            tx.attempt_insert(&huge)?;
            tx.attempt_insert(&row(Some(20)))
        })
        .expect("insert");
        let pending = s
            .write(|tx| tx.sync_pending_attempts("dev", 10))
            .expect("pending");
        let found = attempts(&pending);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].finished, 20);
    }

    #[test]
    fn bounds_refuse_empty_ids_and_huge_texts() {
        let mut a = AttemptRecord {
            uid: "u".into(),
            exam: "e".into(),
            started: 1,
            finished: 2,
            percent: 50.0,
            scaled: 500,
            passed: false,
            state: "{}".into(),
            report: None,
            forecast: None,
        };
        assert!(a.check_bounds().is_ok());
        a.forecast = Some("x".repeat(MAX_ATTEMPT_TEXT + 1));
        assert!(a.check_bounds().is_err());
        a.forecast = None;
        a.uid.clear();
        assert!(a.check_bounds().is_err());
    }
}
