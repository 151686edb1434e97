//! The `attempt` table: mock-exam attempts, open (resumable) and finished (history and
//! forecast calibration).

use super::{Result, Tx};
use rusqlite::{OptionalExtension, params};

/// An attempt row as stored; the JSON columns hold the exam module's serde types.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRow {
    /// Blueprint id.
    pub exam: String,
    /// Start, UTC ms.
    pub started_ms: i64,
    /// Last save, UTC ms.
    pub updated_ms: i64,
    /// Submission, UTC ms; `None` while open.
    pub finished_ms: Option<i64>,
    /// Raw score in percent.
    pub percent: Option<f64>,
    /// Estimated scaled score.
    pub scaled: Option<i64>,
    /// Passed.
    pub passed: Option<bool>,
    /// The attempt.
    pub state_json: String,
    /// The report, once finished.
    pub report_json: Option<String>,
    /// The forecast made before the attempt.
    pub forecast_json: Option<String>,
}

/// A finished attempt for the history chart.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedRow {
    /// Row id.
    pub id: i64,
    /// Submission, UTC ms.
    pub finished_ms: i64,
    /// Raw score in percent.
    pub percent: f64,
    /// Estimated scaled score.
    pub scaled: i64,
    /// Passed.
    pub passed: bool,
    /// The report.
    pub report_json: Option<String>,
    /// The forecast made before the attempt.
    pub forecast_json: Option<String>,
}

impl Tx<'_> {
    /// Inserts an attempt and returns its id.
    pub fn attempt_insert(&self, a: &AttemptRow) -> Result<i64> {
        self.prepare(include_str!("sql/attempt_insert.sql"))?
            .execute(params![
                a.exam,
                a.started_ms,
                a.updated_ms,
                a.finished_ms,
                a.percent,
                a.scaled,
                a.passed,
                a.state_json,
                a.report_json,
                a.forecast_json
            ])
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Rewrites attempt `id`.
    pub fn attempt_update(&self, id: i64, a: &AttemptRow) -> Result<()> {
        let n = self
            .prepare(include_str!("sql/attempt_update.sql"))?
            .execute(params![
                id,
                a.updated_ms,
                a.finished_ms,
                a.percent,
                a.scaled,
                a.passed,
                a.state_json,
                a.report_json,
                a.forecast_json
            ])
            .map_err(|e| self.err(e))?;
        if n == 1 {
            Ok(())
        } else {
            Err(self.bad(format!("no attempt with id {id}")))
        }
    }

    /// The most recently saved open attempt: (id, state JSON, forecast JSON).
    pub fn attempt_open(&self) -> Result<Option<(i64, String, Option<String>)>> {
        self.prepare(include_str!("sql/attempt_open.sql"))?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Finished attempts of an exam, oldest first.
    pub fn attempt_history(&self, exam: &str) -> Result<Vec<FinishedRow>> {
        let mut stmt = self.prepare(include_str!("sql/attempt_history.sql"))?;
        let rows = stmt
            .query_map([exam], |r| {
                Ok(FinishedRow {
                    id: r.get(0)?,
                    finished_ms: r.get(1)?,
                    percent: r.get::<_, Option<f64>>(2)?.unwrap_or(0.0),
                    scaled: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                    passed: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                    report_json: r.get(5)?,
                    forecast_json: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
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
            report_json: None,
            forecast_json: None,
        }
    }

    #[test]
    fn open_attempt_is_found_until_finished() {
        let mut s = Store::open_in_memory().expect("open");
        let id = s.write(|tx| tx.attempt_insert(&row(None))).expect("insert");
        assert_eq!(
            s.read().attempt_open().expect("open").map(|r| r.0),
            Some(id)
        );
        s.write(|tx| tx.attempt_update(id, &row(Some(10))))
            .expect("update");
        assert_eq!(s.read().attempt_open().expect("open"), None);
        let h = s.read().attempt_history("e").expect("history");
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].percent, h[0].scaled, h[0].passed), (75.0, 780, true));
        assert!(s.write(|tx| tx.attempt_update(999, &row(None))).is_err());
    }
}
