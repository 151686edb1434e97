//! A large write's checkpoint moved off the writer's path. In WAL mode the connection that
//! commits past the automatic-checkpoint threshold copies the log back into the database
//! file before its commit returns: after a merge of 200,000 answers that copy (tens of MiB,
//! then an fsync) was half of the commit's time. The merge defers it, and once its work is
//! committed a second connection checkpoints on a thread of its own while the app goes on.
//! Nothing durable depends on it: every commit is already in the fsynced log, which a
//! later open (or the next automatic checkpoint) copies back if this one is cut short.

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
    /// Stops this connection's automatic checkpoints until [`Store::checkpoint_behind`].
    pub fn defer_checkpoints(&mut self) -> Result<()> {
        self.checkpoint.join();
        self.checkpoint.deferred_at = Some(self.conn.total_changes());
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| classify(&self.path, e))
    }

    /// Starts a checkpoint on a second connection and thread (it waits for no reader or
    /// writer: a `PASSIVE` one), and turns this connection's automatic checkpoints back on.
    /// Only the setting is restored if fewer than [`BEHIND_FROM_CHANGES`] rows changed
    /// since [`Store::defer_checkpoints`], and for an in-memory store (it has no log).
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
        if self.path == ":memory:" || changed < BEHIND_FROM_CHANGES {
            return Ok(());
        }
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&self.path, e))?;
        self.checkpoint.job = Some(std::thread::spawn(move || {
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)");
        }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deferred_checkpoint_runs_behind_and_the_writes_stay_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(super::super::DB_FILE);
        let mut s = Store::open(&path).expect("open");
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
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(super::super::DB_FILE);
        let mut s = Store::open(&path).expect("open");
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
}
