//! The learner store: one SQLite database per learner. The only module that uses SQL.
//!
//! - WAL journal, `synchronous=FULL` (an answer the UI showed as committed survives a crash or
//!   power cut), foreign keys on, a 5 s busy timeout so a second process waits politely.
//! - Schema migrations with `rusqlite_migration` ([`migrations`]); a database newer than this
//!   app is refused before anything is written.
//! - The review log ([`reviews`]) is the source of truth; item state ([`items`]) is a cache
//!   the learner can rebuild from the log and the item events ([`events`]).
//! - SQL lives in `src/store/sql/*.sql`, loaded with `include_str!`.

pub mod attempts;
pub mod backup;
mod checkpoint;
pub mod events;
pub mod imported;
pub mod items;
pub mod meta;
pub mod migrations;
pub mod queue;
pub mod recover;
pub mod replay;
pub mod restore;
pub mod reviews;
pub mod salvage;
pub mod sync;
pub mod sync_attempts;
pub mod sync_bulk;
mod types;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the learner database inside the data directory.
pub const DB_FILE: &str = "examdeck.sqlite3";

/// How long a second process waits for the database before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Something went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database error in {path}: {error}")]
    Sqlite {
        /// The database.
        path: String,
        /// What SQLite said (shown in the message, so not a `source()`).
        error: rusqlite::Error,
    },
    /// The database was written by a newer examdeck.
    #[error(
        "{path} has schema version {found}, but this examdeck knows only up to {known}: \
         it was written by a newer examdeck. Nothing was changed; update examdeck to open it"
    )]
    SchemaTooNew {
        /// The database.
        path: String,
        /// Its version.
        found: i64,
        /// The newest this app knows.
        known: i64,
    },
    /// The database file is damaged.
    #[error("{path} is damaged ({detail}). {}", damaged_advice(backups))]
    Corrupt {
        /// The database.
        path: String,
        /// What the check said.
        detail: String,
        /// The good backups that exist, newest first.
        backups: Vec<PathBuf>,
    },
    /// A file offered as a backup cannot replace the database.
    #[error("{path} cannot be restored: {reason}. Nothing was changed")]
    NotRestorable {
        /// The file.
        path: String,
        /// Why (a sentence fragment).
        reason: String,
    },
    /// The byte copy of the database that must precede a restore or a recovery failed.
    #[error(
        "could not save a copy of the current database as {path} ({error}); nothing was \
         changed. Free some disk space or check the folder's permissions, then try again"
    )]
    SafetyCopy {
        /// The copy that could not be written.
        path: String,
        /// The error.
        error: std::io::Error,
    },
    /// Another process holds the database.
    #[error("{path} is in use by another examdeck process; close it and try again")]
    Busy {
        /// The database.
        path: String,
    },
    /// A migration failed.
    #[error("could not upgrade {path}: {detail}")]
    Migration {
        /// The database.
        path: String,
        /// What failed.
        detail: String,
    },
    /// A file operation failed.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The error (shown in the message).
        error: std::io::Error,
    },
    /// A row holds a value this app cannot read.
    #[error("unexpected data in {path}: {detail}")]
    BadData {
        /// The database.
        path: String,
        /// What was wrong.
        detail: String,
    },
}

/// What to do about a damaged database: `recover` first, then the good backups by name.
fn damaged_advice(backups: &[PathBuf]) -> String {
    let recover = "Run `examdeck recover` to salvage what can still be read and merge it with \
                   the newest good backup (add --dry-run to see what it would do first)";
    match backups {
        [] => format!("{recover}; no good backup was found in the backups folder"),
        [newest, ..] => {
            let names: Vec<String> = backups.iter().map(|b| b.display().to_string()).collect();
            format!(
                "{recover}. Good backups: {}. To go back to a backup and lose what came \
                 after it, run `examdeck restore {}`",
                names.join(", "),
                newest.display()
            )
        }
    }
}

/// Result with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open learner database.
pub struct Store {
    conn: Connection,
    path: String,
    /// A checkpoint running behind this connection's writes (see `checkpoint.rs`).
    checkpoint: checkpoint::Behind,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating and migrating) the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let display = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|error| StoreError::Io {
                path: dir.display().to_string(),
                error,
            })?;
        }
        // Refuse a newer schema before anything (even the WAL switch) is written.
        if path.exists() {
            let ro = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| classify(&display, e))?;
            ro.busy_timeout(BUSY_TIMEOUT)
                .map_err(|e| classify(&display, e))?;
            let found: i64 = ro
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(|e| classify(&display, e))?;
            let known = migrations::LATEST;
            if found > known {
                return Err(StoreError::SchemaTooNew {
                    path: display,
                    found,
                    known,
                });
            }
        }
        let conn = Connection::open(path).map_err(|e| classify(&display, e))?;
        Store::setup(conn, display)
    }

    /// A fresh database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| classify(":memory:", e))?;
        Store::setup(conn, ":memory:".into())
    }

    fn setup(mut conn: Connection, path: String) -> Result<Store> {
        let err = |e| classify(&path, e);
        // Every statement of the store stays prepared (the default cache holds 16).
        conn.set_prepared_statement_cache_capacity(64);
        // Plans that never depend on bound values: without this, a bound parameter compared
        // with a partial index's condition marks the statement to be recompiled after every
        // rebind (the queue queries were parsed again on every `next_item`).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .map_err(err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        migrations::migrate(&mut conn, &path)?;
        let mut store = Store {
            conn,
            path,
            checkpoint: checkpoint::Behind::default(),
        };
        checkpoint::build_owed_at_open(&mut store)?;
        Ok(store)
    }

    /// The database file as shown in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`): committed if it returns Ok,
    /// rolled back otherwise.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let out = f(&Tx {
            conn: &tx,
            path: &path,
            uid_index: std::cell::Cell::new(false),
        })?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(out)
    }

    /// [`Store::write`] without foreign-key checks, for a bulk insert whose every reference
    /// is looked up or created by the caller in the same transaction (a check per row would
    /// only cost time). The checks are back on afterwards, whatever the outcome. (They
    /// cannot be turned off inside a transaction, hence a method of its own.)
    pub fn write_trusted_keys<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        self.conn
            .pragma_update(None, "foreign_keys", false)
            .map_err(|e| classify(&path, e))?;
        let out = self.write(f);
        let on = self
            .conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| classify(&path, e));
        let out = out?;
        on?;
        Ok(out)
    }

    /// Read access (each statement sees a consistent snapshot).
    pub fn read(&self) -> Tx<'_> {
        Tx {
            conn: &self.conn,
            path: &self.path,
            uid_index: std::cell::Cell::new(false),
        }
    }

    /// `PRAGMA quick_check`: Ok, or what it found.
    pub fn quick_check(&self) -> Result<std::result::Result<(), String>> {
        check(&self.conn, "quick_check", &self.path)
    }

    /// `PRAGMA integrity_check`: Ok, or what it found.
    pub fn integrity_check(&self) -> Result<std::result::Result<(), String>> {
        check(&self.conn, "integrity_check", &self.path)
    }
}

fn check(conn: &Connection, pragma: &str, path: &str) -> Result<std::result::Result<(), String>> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA {pragma}"))
        .map_err(|e| classify(path, e))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| classify(path, e))?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(Ok(()))
    } else {
        Ok(Err(rows.join("; ")))
    }
}

/// A connection inside a transaction (or a read snapshot), with the path for messages.
pub struct Tx<'a> {
    conn: &'a Connection,
    path: &'a str,
    /// Whether the log's unique uid index is known to exist in this transaction (see
    /// [`Tx::need_uid_index`]).
    uid_index: std::cell::Cell<bool>,
}

impl Tx<'_> {
    /// The database file as shown in messages.
    pub fn path(&self) -> &str {
        self.path
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(self.path, e)
    }

    pub(crate) fn bad(&self, detail: impl Into<String>) -> StoreError {
        StoreError::BadData {
            path: self.path.to_string(),
            detail: detail.into(),
        }
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<rusqlite::CachedStatement<'_>> {
        self.conn.prepare_cached(sql).map_err(|e| self.err(e))
    }
}

/// Turns a SQLite error into the store error a user can act on.
pub(crate) fn classify(path: &str, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
            path: path.to_string(),
        },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
            path: path.to_string(),
            detail: e.to_string(),
            backups: Vec::new(),
        },
        _ => StoreError::Sqlite {
            path: path.to_string(),
            error: e,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_in_memory_with_pragmas() {
        let s = Store::open_in_memory().expect("open");
        let fk: i64 = s
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("pragma");
        assert_eq!(fk, 1);
        assert_eq!(s.quick_check().expect("check"), Ok(()));
    }

    #[test]
    fn trusted_keys_are_unchecked_only_inside_their_transaction() {
        let mut s = Store::open_in_memory().expect("open");
        let fk = |c: &Connection| -> i64 {
            c.pragma_query_value(None, "foreign_keys", |r| r.get(0))
                .expect("pragma")
        };
        let inside = s.write_trusted_keys(|tx| Ok(fk(tx.conn))).expect("write");
        assert_eq!((inside, fk(&s.conn)), (0, 1));
        let failed: Result<()> = s.write_trusted_keys(|tx| Err(tx.bad("stop")));
        assert!(failed.is_err());
        assert_eq!(fk(&s.conn), 1, "back on after a failure");
    }

    #[test]
    fn file_database_uses_wal_and_full_sync() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Store::open(&dir.path().join(DB_FILE)).expect("open");
        let mode: String = s
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("pragma");
        let sync: i64 = s
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("pragma");
        assert_eq!((mode.as_str(), sync), ("wal", 2));
    }

    #[test]
    fn newer_schema_is_refused_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        {
            let c = Connection::open(&path).expect("open");
            c.pragma_update(None, "user_version", 99).expect("pragma");
        }
        let before = std::fs::read(&path).expect("read");
        let err = Store::open(&path).expect_err("too new");
        assert!(
            matches!(err, StoreError::SchemaTooNew { found: 99, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("newer examdeck"));
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "nothing touched"
        );
        assert!(!dir.path().join("examdeck.sqlite3-wal").exists());
    }

    #[test]
    fn garbage_file_is_reported_corrupt() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        std::fs::write(&path, vec![0x42u8; 8192]).expect("write");
        let err = Store::open(&path).expect_err("corrupt");
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    }

    #[test]
    fn second_writer_waits_then_gets_a_clear_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        let mut a = Store::open(&path).expect("open a");
        let mut b = Store::open(&path).expect("open b");
        b.conn
            .busy_timeout(Duration::from_millis(50))
            .expect("timeout");
        let res = a.write(|_| {
            // While a holds the write lock, b cannot write.
            let e = b.write(|_| Ok(())).expect_err("busy");
            assert!(matches!(e, StoreError::Busy { .. }), "{e}");
            assert!(e.to_string().contains("another examdeck"));
            Ok(())
        });
        assert!(res.is_ok());
        b.write(|_| Ok(())).expect("free again");
    }
}
