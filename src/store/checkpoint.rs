//! A large write's checkpoint, and a bulk merge's log indexes, moved off the writer's
//! path. In WAL mode the connection that commits past the automatic-checkpoint threshold
//! copies the log back into the database file before its commit returns: after a merge of
//! 200,000 answers that copy (tens of MiB, then an fsync) was half of the commit's time. The
//! merge defers it, and once its work is committed a second connection checkpoints on a
//! thread of its own while the app goes on. Nothing durable depends on it: every commit is
//! already in the fsynced log, which a later open (or the next automatic checkpoint) copies
//! back if this one is cut short.
//!
//! A bulk merge inside that stretch leaves the log's three indexes (by uid, by item, by time)
//! to the same thread: building them is a sort of the whole log each (0.7–0.9 s together at
//! 400,000 answers), and nothing in the merge or the replay after it needs them (the replay
//! reads the log in one scan). The lookup indexes enforce nothing, so until they are back a
//! query only reads more. The unique uid index is what refuses a uid already in the log, so
//! until it is back whatever adds or looks up a uid from elsewhere (a sync, an import, a
//! recovery) builds it first, inside its own write (`Tx::need_uid_index`). The thread
//! builds what is owed in a transaction of its own before it checkpoints, and an open finds
//! and builds any a process left owed when it ended first.

use super::{Result, Store, classify};
use std::thread::JoinHandle;

/// SQLite's default `wal_autocheckpoint` (pages), restored after a deferred checkpoint.
const AUTO_CHECKPOINT_PAGES: i64 = 1000;

/// Fewest rows a deferred stretch must have changed for its checkpoint to run behind; a
/// smaller one is left to the next automatic checkpoint (a thread and a connection cost more
/// than copying a few pages).
const BEHIND_FROM_CHANGES: u64 = 1000;

/// A checkpoint running behind the writer (joined when the store is dropped, so a
/// process that ends normally leaves the log copied back), and the connection's count of
/// changed rows when checkpoints were deferred.
#[derive(Default)]
pub(super) struct Behind {
    job: Option<JoinHandle<()>>,
    deferred_at: Option<u64>,
}

impl Behind {
    fn join(&mut self) {
        if let Some(job) = self.job.take() {
            // A failed checkpoint leaves the log as it was: nothing to report.
            let _ = job.join();
        }
    }
}

impl Drop for Behind {
    fn drop(&mut self) {
        self.join();
    }
}

impl Store {
    /// Whether this connection's checkpoints are deferred (by [`Store::defer_checkpoints`])
    /// and will run behind it: a bulk merge then leaves the log's indexes to that
    /// thread too. Never for an in-memory store (it has no second connection).
    pub fn checkpoints_deferred(&self) -> bool {
        self.checkpoint.deferred_at.is_some() && self.path != ":memory:"
    }

    /// Stops this connection's automatic checkpoints until [`Store::checkpoint_behind`].
    pub fn defer_checkpoints(&mut self) -> Result<()> {
        self.checkpoint.join();
        self.checkpoint.deferred_at = Some(self.conn.total_changes());
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| classify(&self.path, e))
    }

    /// Starts, on a second connection and thread, the build of the log's indexes a
    /// bulk merge left owed (in a write transaction of its own), then a checkpoint (it waits
    /// for no reader or writer: a `PASSIVE` one); turns this connection's automatic
    /// checkpoints back on. No thread starts if no index is owed and fewer than
    /// [`BEHIND_FROM_CHANGES`] rows changed since [`Store::defer_checkpoints`], nor for an
    /// in-memory store (it has no log).
    pub fn checkpoint_behind(&mut self) -> Result<()> {
        self.checkpoint.join();
        self.conn
            .pragma_update(None, "wal_autocheckpoint", AUTO_CHECKPOINT_PAGES)
            .map_err(|e| classify(&self.path, e))?;
        let changed = self
            .checkpoint
            .deferred_at
            .take()
            .map_or(0, |at| self.conn.total_changes().saturating_sub(at));
        if self.path == ":memory:" {
            return Ok(());
        }
        let owed = self.read().review_log_indexes_missing()?;
        if !owed && changed < BEHIND_FROM_CHANGES {
            return Ok(());
        }
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&self.path, e))?;
        conn.busy_timeout(super::BUSY_TIMEOUT)
            .map_err(|e| classify(&self.path, e))?;
        let mut behind = Store {
            conn,
            path: self.path.clone(),
            checkpoint: Behind::default(),
        };
        self.checkpoint.job = Some(std::thread::spawn(move || {
            // A failed build leaves the indexes owed (the next open builds them) and a failed
            // checkpoint leaves the log as it was: nothing to report either way. The build's
            // sorts stay in memory with the merge's page cache.
            if owed {
                let _ = behind.write(|tx| {
                    tx.bulk_cache()?;
                    tx.review_log_indexes_build()
                });
            }
            let _ = behind.conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)");
        }));
        Ok(())
    }
}

/// Builds at open any index of the log a bulk merge left owed (its process ended
/// before the thread behind it built them). A database busy past the timeout (another
/// process's thread building them, on a very large log) is left to that process and the
/// open goes on without them: the lookup indexes are an optimisation, and the uid index is
/// built by whatever needs it first (`Tx::need_uid_index`).
pub(super) fn build_owed_at_open(store: &mut Store) -> Result<()> {
    if !store.read().review_log_indexes_missing()? {
        return Ok(());
    }
    match store.write(|tx| tx.review_log_indexes_build()) {
        Err(super::StoreError::Busy { .. }) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store in a new folder (kept while the folder lives), and its database file.
    fn on_disk() -> (tempfile::TempDir, std::path::PathBuf, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(super::super::DB_FILE);
        let s = Store::open(&path).expect("open");
        (dir, path, s)
    }

    #[test]
    fn a_deferred_checkpoint_runs_behind_and_the_writes_stay_whole() {
        let (_dir, path, mut s) = on_disk();
        let file_len = || std::fs::metadata(&path).map(|m| m.len()).expect("size");
        s.defer_checkpoints().expect("defer");
        s.write(|tx| {
            tx.conn
                .execute_batch(
                    "CREATE TABLE t (v TEXT);
                     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
                     INSERT INTO t SELECT printf('%0100d', i) FROM n;",
                )
                .map_err(|e| tx.err(e))
        })
        .expect("write");
        // Over 5 MiB committed (well past the automatic threshold), none of it copied back
        // into the database file yet.
        let before = file_len();
        assert!(before < 1 << 20, "{before} bytes");
        s.checkpoint_behind().expect("behind");
        s.checkpoint.join();
        let auto: i64 = s
            .conn
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
            .expect("pragma");
        assert_eq!(auto, AUTO_CHECKPOINT_PAGES);
        let after = file_len();
        assert!(after > 5 << 20, "copied back by the thread: {after} bytes");
        drop(s);
        let s = Store::open(&path).expect("reopen");
        let n: i64 = s
            .conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(n, 50_000);
        assert_eq!(s.integrity_check().expect("check"), Ok(()));
    }

    #[test]
    fn a_small_deferred_stretch_leaves_its_checkpoint_to_the_next_commit() {
        let (_dir, _path, mut s) = on_disk();
        s.defer_checkpoints().expect("defer");
        s.write(|tx| {
            tx.conn
                .execute_batch("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a');")
                .map_err(|e| tx.err(e))
        })
        .expect("write");
        s.checkpoint_behind().expect("behind");
        assert!(s.checkpoint.job.is_none(), "no thread for one row");
        let auto: i64 = s
            .conn
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
            .expect("pragma");
        assert_eq!(auto, AUTO_CHECKPOINT_PAGES);
    }

    /// The log's indexes as SQLite keeps them: (name, SQL).
    fn log_indexes(s: &Store) -> Vec<(String, Option<String>)> {
        let mut stmt = s
            .conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'review' ORDER BY name")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .expect("schema")
    }

    /// Answer number `i` of a peer, with a uid of examdeck's form.
    fn answer(i: usize) -> super::super::sync::Record {
        super::super::sync::Record::Review(super::super::sync::ReviewRecord {
            uid: format!("0199ad610240-{i:016x}"),
            deck: "d".into(),
            card: format!("c{}", i % 50),
            ord: 0,
            at: 1_000 + i as i64,
            rating: 3,
            kind: 1,
            time_ms: 500,
            response: None,
        })
    }

    /// A bulk merge of answers `from..to` in `s`, its indexes left owed if `behind`; how
    /// many it added.
    fn bulk_merge_range(s: &mut Store, from: usize, to: usize, behind: bool) -> usize {
        use super::super::sync::{ImportMemo, Imported};
        s.write(|tx| {
            let mut memo = ImportMemo::default();
            tx.review_bulk_begin(&mut memo)?;
            let mut added = 0;
            for i in from..to {
                let got = tx.sync_import_with(&mut memo, "peer", &answer(i), 0)?;
                added += usize::from(matches!(got, Imported::Item(_)));
            }
            tx.review_bulk_end(&mut memo, behind)?;
            Ok(added)
        })
        .expect("bulk merge")
    }

    /// A bulk merge of `n` answers in `s`, its indexes left owed if `behind`.
    fn bulk_merge(s: &mut Store, n: usize, behind: bool) {
        bulk_merge_range(s, 0, n, behind);
    }

    #[test]
    fn a_bulk_merge_in_a_deferred_stretch_leaves_its_lookup_indexes_to_the_thread_behind() {
        let (_dir, _path, mut s) = on_disk();
        let schema = log_indexes(&s);
        s.defer_checkpoints().expect("defer");
        assert!(s.checkpoints_deferred());
        bulk_merge(&mut s, 300, true);
        assert!(s.read().review_log_indexes_missing().expect("count"));
        let names: Vec<String> = log_indexes(&s).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["review", "review_unexported"], "all three owed");
        // Queries answer meanwhile (by reading the whole log).
        assert_eq!(s.read().review_totals().expect("totals").0, 300);
        // Fewer changed rows than a checkpoint alone would need a thread for: the owed
        // indexes start one anyway.
        s.checkpoint_behind().expect("behind");
        assert!(s.checkpoint.job.is_some());
        assert!(!s.checkpoints_deferred());
        s.checkpoint.join();
        assert_eq!(
            log_indexes(&s),
            schema,
            "built exactly as the migration builds them"
        );
        assert_eq!(s.integrity_check().expect("check"), Ok(()));
    }

    #[test]
    fn while_the_uid_index_is_owed_whatever_adds_a_known_uid_builds_it_first() {
        use super::super::reviews::ReviewRow;
        use super::super::sync::{Imported, Record};
        let (_dir, _path, mut s) = on_disk();
        let schema = log_indexes(&s);
        s.defer_checkpoints().expect("defer");
        bulk_merge(&mut s, 200, true);
        let has_uid_index = |s: &Store| log_indexes(s).iter().any(|(n, _)| n == "review_uid");
        assert!(!has_uid_index(&s));
        // A second bulk merge of the same sync, overlapping the first: the log's uids are
        // read without the index, and only the new answers go in.
        assert_eq!(bulk_merge_range(&mut s, 150, 260, true), 60);
        assert!(!has_uid_index(&s));
        // A peer's known answer, one at a time: refused, the index built first.
        let got = s
            .write(|tx| tx.sync_import("peer", &answer(7), 0))
            .expect("import");
        assert_eq!(got, Imported::Nothing);
        assert!(has_uid_index(&s), "built by the import");
        assert_eq!(s.read().review_totals().expect("totals").0, 260);

        // Owed again: an imported log's answer with a known uid, and a tombstone.
        bulk_merge_range(&mut s, 260, 300, true);
        assert!(!has_uid_index(&s));
        let row = s
            .read()
            .review_by_uid("0199ad610240-0000000000000009")
            .expect("read")
            .expect("answer 9 is in the log");
        let again = ReviewRow { id: 0, ..row };
        assert!(!s.write(|tx| tx.import_review(&again)).expect("import"));
        assert!(has_uid_index(&s));
        bulk_merge_range(&mut s, 300, 310, true);
        let tomb = Record::Tomb {
            uid: "0199ad610240-0000000000000009".into(),
        };
        s.write(|tx| tx.sync_import("peer", &tomb, 0))
            .expect("tombstone");
        assert_eq!(s.read().review_totals().expect("totals").0, 309);
        s.checkpoint_behind().expect("behind");
        s.checkpoint.join();
        assert_eq!(log_indexes(&s), schema);
        assert_eq!(s.integrity_check().expect("check"), Ok(()));
    }

    #[test]
    fn indexes_a_process_left_owed_are_built_at_the_next_open() {
        let (_dir, path, mut s) = on_disk();
        let schema = log_indexes(&s);
        bulk_merge(&mut s, 120, true);
        assert!(s.read().review_log_indexes_missing().expect("count"));
        // The process ends before any thread built them.
        drop(s);
        let s = Store::open(&path).expect("reopen");
        assert!(!s.read().review_log_indexes_missing().expect("count"));
        assert_eq!(log_indexes(&s), schema);
        assert_eq!(s.read().review_totals().expect("totals").0, 120);
        // Outside a deferred stretch (and in memory) a bulk merge builds them itself.
        let mut m = Store::open_in_memory().expect("memory");
        m.defer_checkpoints().expect("defer");
        assert!(
            !m.checkpoints_deferred(),
            "no thread behind an in-memory store"
        );
    }
}
