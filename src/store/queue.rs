//! Queue queries over the `item` table: the candidates the next item is chosen from, and the
//! per-deck counts the learner's in-memory queue keeps instead of fetching every candidate.

use super::{Result, Tx};
use crate::schedule::queue::Candidate;
use rusqlite::{OptionalExtension, Row, named_params};

/// Which items a queue query looks at (`None` = no condition).
#[derive(Debug, Clone, Default)]
pub struct ScopeFilter {
    /// A deck and its sub-decks.
    pub deck: Option<String>,
    /// An exam.
    pub exam: Option<String>,
    /// A domain (with `exam`).
    pub domain: Option<String>,
}

fn candidate(r: &Row<'_>) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        id: r.get(0)?,
        deck: r.get(1)?,
        due_ms: r.get(2)?,
        phase: r.get(3)?,
    })
}

impl Tx<'_> {
    fn candidates(
        &self,
        sql: &str,
        scope: &ScopeFilter,
        extra: &[(&str, &dyn rusqlite::ToSql)],
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        let mut stmt = self.prepare(sql)?;
        let mut p: Vec<(&str, &dyn rusqlite::ToSql)> = vec![
            (":deck", &scope.deck),
            (":exam", &scope.exam),
            (":domain", &scope.domain),
            (":limit", &limit),
        ];
        p.extend_from_slice(extra);
        let rows = stmt
            .query_map(p.as_slice(), candidate)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// (Re)learning items due by `until_ms`, earliest first.
    pub fn learning_due(
        &self,
        scope: &ScopeFilter,
        until_ms: i64,
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        self.candidates(
            include_str!("sql/queue_learning.sql"),
            scope,
            &[(":until", &until_ms)],
            limit,
        )
    }

    /// Reviews due by `now_ms`, earliest first.
    pub fn reviews_due(
        &self,
        scope: &ScopeFilter,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        self.candidates(
            include_str!("sql/queue_review.sql"),
            scope,
            &[(":now", &now_ms)],
            limit,
        )
    }

    /// Exam top-ups: review items of `exam` not due before the exam whose recall at
    /// `exam_start_ms` would fall below the target (`factor` × stability days elapsed).
    #[allow(clippy::too_many_arguments)]
    pub fn top_ups(
        &self,
        scope: &ScopeFilter,
        exam: &str,
        now_ms: i64,
        exam_start_ms: i64,
        final_start_ms: i64,
        factor: f64,
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        self.candidates(
            include_str!("sql/queue_top_up.sql"),
            scope,
            &[
                (":now", &now_ms),
                (":top_exam", &exam),
                (":exam_start", &exam_start_ms),
                (":final_start", &final_start_ms),
                (":factor", &factor),
            ],
            limit,
        )
    }

    /// New items in library order.
    pub fn new_items(
        &self,
        scope: &ScopeFilter,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        self.candidates(
            include_str!("sql/queue_new.sql"),
            scope,
            &[(":now", &now_ms)],
            limit,
        )
    }

    fn deck_counts(
        &self,
        sql: &str,
        scope: &ScopeFilter,
        extra: &[(&str, &dyn rusqlite::ToSql)],
    ) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.prepare(sql)?;
        let mut p: Vec<(&str, &dyn rusqlite::ToSql)> = vec![
            (":deck", &scope.deck),
            (":exam", &scope.exam),
            (":domain", &scope.domain),
        ];
        p.extend_from_slice(extra);
        let rows = stmt
            .query_map(p.as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Per deck of `scope`: reviews that fell due after `from_ms` and by `now_ms`, not buried.
    pub fn count_reviews_due_between(
        &self,
        scope: &ScopeFilter,
        from_ms: i64,
        now_ms: i64,
    ) -> Result<Vec<(String, u32)>> {
        self.deck_counts(
            include_str!("sql/queue_review_counts.sql"),
            scope,
            &[(":from", &from_ms), (":now", &now_ms)],
        )
    }

    /// Per deck of `scope`: new items not buried at `now_ms`.
    pub fn count_new_in(&self, scope: &ScopeFilter, now_ms: i64) -> Result<Vec<(String, u32)>> {
        self.deck_counts(
            include_str!("sql/queue_new_counts.sql"),
            scope,
            &[(":now", &now_ms)],
        )
    }

    /// The earliest end of a burial after `now_ms` (None: nothing buried past it).
    pub fn next_burial_end(&self, now_ms: i64) -> Result<Option<i64>> {
        self.prepare(include_str!("sql/queue_next_burial_end.sql"))?
            .query_row(named_params! {":now": now_ms}, |r| r.get(0))
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    /// A stamp that changes with every write: (changes made on this connection, the
    /// database's `data_version`, which changes with every commit of another connection).
    /// The learner's in-memory queue is valid only while it stays the same.
    pub fn change_stamp(&self) -> Result<(u64, i64)> {
        let version: i64 = self
            .prepare("PRAGMA data_version")?
            .query_row([], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok((self.conn.total_changes(), version))
    }
}
