//! Restoring a backup without ever losing the database it replaces.
//!
//! 1. The offered file is checked before anything changes: not empty, a SQLite header, and
//!    — on a staged copy, so nothing is ever written next to the user's file — it opens,
//!    passes `quick_check`, has our tables and a schema version this app knows.
//! 2. The live database (with its `-wal`/`-shm`) is copied byte for byte and fsync'd into the
//!    backups folder as `examdeck-before-restore-….sqlite3`. A byte copy works on a damaged
//!    file too (the SQLite backup API does not); if it fails, nothing is touched.
//! 3. The staged copy is renamed into place.

use super::backup::{self, BackupKind, io};
use super::{DB_FILE, Result, StoreError, check, classify, migrations};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The first 16 bytes of every SQLite database file.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Tables every examdeck database has (schema version 1 on).
const OUR_TABLES: [&str; 4] = ["item", "review", "item_event", "meta"];

/// What `restore` did.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreOutcome {
    /// The byte copy of the replaced database (None when there was none).
    pub safety_copy: Option<PathBuf>,
}

/// What an examdeck database file holds, read without changing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    /// Its schema version.
    pub version: i64,
    /// Answers in its review log.
    pub reviews: u64,
    /// When the newest answer was given, UTC ms.
    pub last_review_ms: Option<i64>,
}

fn refuse(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::NotRestorable {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Checks what can be checked without opening: a non-empty regular file with a SQLite header.
fn check_header(path: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(path).map_err(|e| refuse(path, format!("it cannot be read ({e})")))?;
    if !meta.is_file() {
        return Err(refuse(path, "it is not a regular file"));
    }
    if meta.len() == 0 {
        return Err(refuse(path, "it is empty (0 bytes)"));
    }
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok();
    if !read || &head != MAGIC {
        return Err(refuse(
            path,
            "it is not a SQLite database (its first bytes are not the SQLite header)",
        ));
    }
    Ok(())
}

/// Our tables present, a version we know, and the answers it holds.
fn inspect_conn(conn: &Connection, path: &Path) -> Result<Inspection> {
    let shown = path.display().to_string();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| classify(&shown, e))?;
    let missing: Vec<&str> = OUR_TABLES
        .into_iter()
        .filter(|t| !names.iter().any(|n| n == t))
        .collect();
    if !missing.is_empty() {
        return Err(refuse(
            path,
            format!(
                "it is a SQLite database but not an examdeck one (it has no `{}` table)",
                missing.join("`, `")
            ),
        ));
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(&shown, e))?;
    if version > migrations::LATEST {
        return Err(StoreError::SchemaTooNew {
            path: shown,
            found: version,
            known: migrations::LATEST,
        });
    }
    if version < 1 {
        return Err(refuse(path, "it has no examdeck schema version"));
    }
    let (reviews, last_review_ms): (i64, Option<i64>) = conn
        .query_row("SELECT count(*), max(at_ms) FROM review", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| classify(&shown, e))?;
    Ok(Inspection {
        version,
        reviews: reviews.max(0) as u64,
        last_review_ms,
    })
}

/// Reads a backup without writing anything, not even a `-shm` beside it (the file is opened
/// immutable): header, our tables, version, answers. No `quick_check` — see [`validate`].
pub fn inspect(path: &Path) -> Result<Inspection> {
    check_header(path)?;
    let shown = path.display().to_string();
    let abs = std::path::absolute(path).map_err(|e| io(path, e))?;
    // `immutable=1`: no locks, no journal, no -shm; a URI needs `?`, `#` and `%` escaped.
    let escaped: String = abs
        .to_string_lossy()
        .chars()
        .map(|c| match c {
            '?' => "%3f".to_string(),
            '#' => "%23".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    let conn = Connection::open_with_flags(
        format!("file:{escaped}?immutable=1"),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| classify(&shown, e))?;
    inspect_conn(&conn, path)
}

/// Full check of a database file before it may become the learner's database: everything
/// [`inspect`] checks plus `quick_check`. Opens `path` read-write: call it on a staged copy.
fn validate_staged(staged: &Path, shown: &Path) -> Result<Inspection> {
    let conn = Connection::open_with_flags(staged, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| refuse(shown, format!("SQLite cannot open it ({e})")))?;
    let shown_s = shown.display().to_string();
    match check(&conn, "quick_check", &shown_s) {
        Ok(Ok(())) => {}
        Ok(Err(detail)) => return Err(refuse(shown, format!("it is damaged ({detail})"))),
        Err(e) => return Err(refuse(shown, format!("it cannot be checked ({e})"))),
    }
    let found = inspect_conn(&conn, shown)?;
    // Fold a copied -wal into the file so the rename moves everything.
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .map_err(|e| classify(&shown_s, e))?;
    drop(conn);
    remove_sidecars(staged)?;
    Ok(found)
}

/// `path` with a suffix appended to its file name (`x.sqlite3` → `x.sqlite3-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_sidecars(db: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let p = with_suffix(db, suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&p, e)),
        }
    }
    Ok(())
}

/// Copies `from` to a new file `to` and fsyncs it; the byte count.
pub(crate) fn copy_synced(from: &Path, to: &Path) -> std::io::Result<u64> {
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    let n = std::io::copy(&mut src, &mut dst)?;
    dst.flush()?;
    dst.sync_all()?;
    if n != src.metadata()?.len() {
        return Err(std::io::Error::other(
            "the file changed while it was copied",
        ));
    }
    Ok(n)
}

/// Makes a rename or a new file in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) {
    // Directories cannot be opened for syncing on every platform; the files are synced.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Copies the live database (and its `-wal`/`-shm`) byte for byte into the backups folder
/// as a `kind` safety copy, fsync'd. None if there is no database. On failure the partial
/// copy is removed and the error says nothing was changed.
pub fn safety_copy(
    data_dir: &Path,
    kind: BackupKind,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>> {
    let db = data_dir.join(DB_FILE);
    if !db.exists() {
        return Ok(None);
    }
    let d = backup::dir(data_dir);
    let fail = |path: &Path, error: std::io::Error| StoreError::SafetyCopy {
        path: path.display().to_string(),
        error,
    };
    std::fs::create_dir_all(&d).map_err(|e| fail(&d, e))?;
    let dest = backup::free_name(data_dir, kind, now);
    let mut made = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let src = with_suffix(&db, suffix);
        if suffix.is_empty() || src.exists() {
            let to = with_suffix(&dest, suffix);
            let copied = copy_synced(&src, &to);
            made.push(to.clone());
            if let Err(e) = copied {
                for p in &made {
                    let _ = std::fs::remove_file(p);
                }
                return Err(fail(&to, e));
            }
        }
    }
    sync_dir(&d);
    Ok(Some(dest))
}

/// Replaces `<data_dir>/examdeck.sqlite3` with `staged` (a checked database in `data_dir`):
/// the old `-wal`/`-shm` go first (an old log must never be replayed into the new file),
/// then the rename, then the folder is synced.
pub(crate) fn put_in_place(data_dir: &Path, staged: &Path) -> Result<()> {
    let db = data_dir.join(DB_FILE);
    remove_sidecars(&db)?;
    std::fs::rename(staged, &db).map_err(|e| io(&db, e))?;
    sync_dir(data_dir);
    Ok(())
}

/// A staging file name in `data_dir` (same file system as the database, so the rename is
/// atomic), removed with its sidecars when dropped unless it was moved into place.
pub(crate) struct Staged(pub(crate) PathBuf);

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = remove_sidecars(&self.0);
    }
}

impl Staged {
    pub(crate) fn new(data_dir: &Path, what: &str) -> Result<Staged> {
        std::fs::create_dir_all(data_dir).map_err(|e| io(data_dir, e))?;
        let path = data_dir.join(format!("{DB_FILE}.{what}"));
        // A leftover of an interrupted run is ours to replace.
        let _ = std::fs::remove_file(&path);
        remove_sidecars(&path)?;
        Ok(Staged(path))
    }
}

/// Copies `file` (with its `-wal`) to `staged` and checks the copy fully: header, opens,
/// `quick_check`, our tables, a known version. The user's file is only read.
pub(crate) fn stage_from(file: &Path, staged: &Path) -> Result<Inspection> {
    check_header(file)?;
    copy_synced(file, staged).map_err(|e| io(staged, e))?;
    let wal = with_suffix(file, "-wal");
    if wal.is_file() {
        copy_synced(&wal, &with_suffix(staged, "-wal")).map_err(|e| io(&wal, e))?;
    }
    validate_staged(staged, file)
}

impl super::Store {
    /// Folds the write-ahead log into the database file (before it is moved or copied).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(|e| classify(&self.path, e))
    }
}

/// Replaces the database in `data_dir` with `backup_file` after checking it; the current
/// database is first saved byte for byte as a before-restore copy. Call with no learner
/// open on that directory.
pub fn restore(data_dir: &Path, backup_file: &Path, now: DateTime<Utc>) -> Result<RestoreOutcome> {
    let staged = Staged::new(data_dir, "restoring")?;
    stage_from(backup_file, &staged.0)?;
    let safety_copy = safety_copy(data_dir, BackupKind::BeforeRestore, now)?;
    put_in_place(data_dir, &staged.0)?;
    Ok(RestoreOutcome { safety_copy })
}

#[cfg(test)]
mod tests;
