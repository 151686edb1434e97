//! The `review` table: the append-only review log, one row per answer. It is the source of
//! truth: item state can be rebuilt from it (with the item events).

use super::{Result, Tx};
use crate::schedule::{Rating, ReviewKind};
use rusqlite::{OptionalExtension, Row, named_params};

/// One logged answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// Row id (log order).
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The item.
    pub item_id: i64,
    /// When, UTC ms.
    pub at_ms: i64,
    /// The grade.
    pub rating: Rating,
    /// How it was studied.
    pub kind: ReviewKind,
    /// Time taken to answer, ms.
    pub time_ms: u32,
    /// The answer given to a question (JSON text).
    pub response: Option<String>,
}

pub(super) fn map_row(r: &Row<'_>) -> rusqlite::Result<ReviewRow> {
    Ok(ReviewRow {
        id: r.get(0)?,
        uid: r.get(1)?,
        item_id: r.get(2)?,
        at_ms: r.get(3)?,
        rating: r.get(4)?,
        kind: r.get(5)?,
        time_ms: r.get(6)?,
        response: r.get(7)?,
    })
}

/// A new globally unique review id: time, then 64 random bits (hex).
pub fn new_uid(at_ms: i64) -> String {
    format!("{:012x}-{:016x}", at_ms.max(0), rand::random::<u64>())
}

impl Tx<'_> {
    /// Appends an answer; returns its row id.
    pub fn add_review(&self, r: &ReviewRow) -> Result<i64> {
        self.prepare(include_str!("sql/review_add.sql"))?
            .execute(named_params! {
                ":uid": r.uid, ":item": r.item_id, ":at": r.at_ms, ":rating": r.rating,
                ":kind": r.kind, ":time": r.time_ms, ":response": r.response,
            })
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Removes the answer with this row id (only used to undo that answer).
    pub fn delete_review(&self, id: i64) -> Result<()> {
        // An answer already exported leaves a tombstone so other devices drop it too.
        self.tombstone_review(id)?;
        self.prepare(include_str!("sql/review_delete.sql"))?
            .execute([id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// An item's answers, oldest first.
    pub fn reviews_of(&self, item_id: i64) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.prepare(include_str!("sql/review_for_item.sql"))?;
        let rows = stmt
            .query_map([item_id], map_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// The whole log, in order.
    pub fn all_reviews(&self) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.prepare(include_str!("sql/review_all.sql"))?;
        let rows = stmt
            .query_map([], map_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// The answer with this unique id.
    pub fn review_by_uid(&self, uid: &str) -> Result<Option<ReviewRow>> {
        self.prepare(include_str!("sql/review_by_uid.sql"))?
            .query_row([uid], map_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Answers since `since_ms` in 15-minute buckets: (bucket start ms, answers, time taken ms).
    pub fn review_times_since(&self, since_ms: i64) -> Result<Vec<(i64, u32, u64)>> {
        let mut stmt = self.prepare(include_str!("sql/stats_reviews.sql"))?;
        let rows = stmt
            .query_map([since_ms], |r| {
                Ok((
                    r.get::<_, i64>(0)? * 900_000,
                    r.get(1)?,
                    r.get::<_, i64>(2)?.max(0) as u64,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Review outcomes (kind review or mock exam) by (deck, exam, domain): (answers, passed).
    #[allow(clippy::type_complexity)]
    pub fn retention_rows(
        &self,
    ) -> Result<Vec<(String, Option<String>, Option<String>, u32, u32)>> {
        let mut stmt = self.prepare(include_str!("sql/stats_retention.sql"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Drops the log's indexes (the unique uid index too) for a bulk insert of many answers;
    /// the caller builds them again with [`Tx::review_log_indexes_build`] before its
    /// transaction commits, or leaves them owed to the thread behind a sync (inside one
    /// transaction, an interruption leaves them as they were). Only through
    /// [`Tx::review_bulk_begin`], which refuses the uids the index would have refused.
    pub(super) fn review_indexes_drop(&self) -> Result<()> {
        self.uid_index.set(false);
        self.conn
            .execute_batch(include_str!("sql/review_bulk_drop.sql"))
            .map_err(|e| self.err(e))
    }

    /// Builds the log's indexes [`Tx::review_indexes_drop`] dropped or a bulk merge left owed
    /// ([`Tx::review_log_indexes_missing`] says so until then); none missing: nothing happens.
    pub(super) fn review_log_indexes_build(&self) -> Result<()> {
        self.conn
            .execute_batch(include_str!("sql/review_log_indexes.sql"))
            .map_err(|e| self.err(e))?;
        self.uid_index.set(true);
        Ok(())
    }

    /// Builds the log's unique uid index if a bulk merge left it owed, before anything adds
    /// a uid from elsewhere (a peer's, an imported log's, a recovered one) or looks one up:
    /// while it is owed nothing else refuses a duplicate. Once per transaction; nothing to
    /// do when it exists.
    pub(super) fn need_uid_index(&self) -> Result<()> {
        if self.uid_index.get() {
            return Ok(());
        }
        self.conn
            .execute_batch(include_str!("sql/review_bulk_create.sql"))
            .map_err(|e| self.err(e))?;
        self.uid_index.set(true);
        Ok(())
    }

    /// Whether an index of the log is missing: a bulk merge's, owed until built behind it
    /// (or at the next open if the process ended first). Queries still answer without
    /// them, by reading the whole log.
    pub fn review_log_indexes_missing(&self) -> Result<bool> {
        let n: i64 = self
            .prepare(include_str!("sql/review_log_indexes_count.sql"))?
            .query_row([], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(n < 3)
    }

    /// (number of answers, total time taken in ms).
    pub fn review_totals(&self) -> Result<(u64, u64)> {
        self.prepare(include_str!("sql/stats_totals.sql"))?
            .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .map(|(n, t)| (n.max(0) as u64, t.max(0) as u64))
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::items::CatalogEntry;
    use super::*;
    use crate::deck::ItemKey;

    #[test]
    fn add_read_delete() {
        let mut s = Store::open_in_memory().expect("open");
        let uid = new_uid(1000);
        assert_ne!(uid, new_uid(1000), "unique");
        let id = s
            .write(|tx| {
                let item = tx.insert_item(
                    &CatalogEntry {
                        key: ItemKey {
                            deck: "d".into(),
                            card: "c".into(),
                            ord: 0,
                        },
                        exam: None,
                        domain: None,
                        content_hash: "h".into(),
                    },
                    0,
                    0,
                )?;
                tx.add_review(&ReviewRow {
                    id: 0,
                    uid: uid.clone(),
                    item_id: item,
                    at_ms: 1000,
                    rating: Rating::Good,
                    kind: ReviewKind::Learn,
                    time_ms: 1234,
                    response: Some("[1]".into()),
                })
            })
            .expect("write");
        let got = s.read().review_by_uid(&uid).expect("read").expect("row");
        assert_eq!((got.id, got.rating, got.time_ms), (id, Rating::Good, 1234));
        assert_eq!(s.read().review_totals().expect("totals"), (1, 1234));
        s.write(|tx| tx.delete_review(id)).expect("delete");
        assert!(s.read().all_reviews().expect("all").is_empty());
    }

    #[test]
    fn unknown_item_is_refused_by_foreign_key() {
        let mut s = Store::open_in_memory().expect("open");
        let r = s.write(|tx| {
            tx.add_review(&ReviewRow {
                id: 0,
                uid: "x".into(),
                item_id: 99,
                at_ms: 0,
                rating: Rating::Good,
                kind: ReviewKind::Learn,
                time_ms: 0,
                response: None,
            })
        });
        assert!(r.is_err());
    }

    #[test]
    fn bulk_index_rebuild_restores_the_schema_exactly() {
        let mut s = Store::open_in_memory().expect("open");
        let schema = |s: &Store| -> Vec<(String, Option<String>)> {
            let tx = s.read();
            let mut stmt = tx
                .conn
                .prepare(
                    "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'review' ORDER BY name",
                )
                .expect("prepare");
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect())
                .expect("schema")
        };
        let before = schema(&s);
        assert!(before.iter().any(|(n, _)| n == "review_item"), "{before:?}");
        s.write(|tx| {
            tx.review_indexes_drop()?;
            tx.review_log_indexes_build()
        })
        .expect("drop and rebuild");
        assert_eq!(schema(&s), before);
        // Dropped and not rebuilt: the transaction fails and nothing changes.
        let r: Result<()> = s.write(|tx| {
            tx.review_indexes_drop()?;
            Err(tx.bad("interrupted"))
        });
        assert!(r.is_err());
        assert_eq!(schema(&s), before);
    }
}
