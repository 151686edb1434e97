//! Automatic backups with the SQLite backup API: at most one a day, on open, the last
//! [`KEEP`] kept, in `<data_dir>/backups/examdeck-YYYYMMDD-HHMMSS.sqlite3` (UTC). A backup
//! is only taken after `quick_check` passed, so every backup is a good one. The same folder
//! holds the safety copies `restore` and `recover` make (`examdeck-before-restore-…`,
//! `examdeck-before-recover-…`): listed, never pruned.

use super::{Result, Store, StoreError, classify};
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::MAIN_DB;
use std::path::{Path, PathBuf};

/// Backups kept.
pub const KEEP: usize = 7;
/// Minimum time between automatic backups.
pub const EVERY_MS: i64 = 20 * 3_600_000;
/// A backup dated further in the future than this (clock skew, a copied folder) is stale: it
/// does not count as recent, so automatic backups go on.
pub const FUTURE_SLACK_MS: i64 = 24 * 3_600_000;

/// What made a file in the backups folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum BackupKind {
    /// The automatic daily backup or `examdeck backup`.
    Automatic,
    /// The byte copy `restore` made of the database it replaced.
    BeforeRestore,
    /// The byte copy `recover` made of the damaged database.
    BeforeRecover,
}

impl BackupKind {
    /// The file-name prefix after `examdeck-`.
    fn prefix(self) -> &'static str {
        match self {
            BackupKind::Automatic => "",
            BackupKind::BeforeRestore => "before-restore-",
            BackupKind::BeforeRecover => "before-recover-",
        }
    }

    /// How `backup --list` marks it.
    pub fn label(self) -> &'static str {
        match self {
            BackupKind::Automatic => "backup",
            BackupKind::BeforeRestore => "before-restore copy",
            BackupKind::BeforeRecover => "before-recover copy",
        }
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupInfo {
    /// The file.
    pub path: PathBuf,
    /// When it was taken.
    pub created: DateTime<Utc>,
    /// Size in bytes.
    pub bytes: u64,
    /// A backup or a safety copy.
    pub kind: BackupKind,
}

/// The backup folder of a data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

pub(crate) fn io(path: &Path, error: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        error,
    }
}

/// Automatic backups in `data_dir`, newest first (what restore and recover start from).
pub fn list(data_dir: &Path) -> Result<Vec<BackupInfo>> {
    let mut all = list_all(data_dir)?;
    all.retain(|b| b.kind == BackupKind::Automatic);
    Ok(all)
}

/// Every file of the backups folder this app wrote — backups and safety copies — newest
/// first. Reads only the folder: it works when the database itself is damaged.
pub fn list_all(data_dir: &Path) -> Result<Vec<BackupInfo>> {
    let d = dir(data_dir);
    let entries = match std::fs::read_dir(&d) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&d, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(&d, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, created)) = parse_name(&name) else {
            continue;
        };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupInfo {
            path: entry.path(),
            created,
            bytes,
            kind,
        });
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.created));
    Ok(out)
}

/// The kind and time of a backups-folder file name, or None for any other file.
fn parse_name(name: &str) -> Option<(BackupKind, DateTime<Utc>)> {
    let rest = name.strip_prefix("examdeck-")?.strip_suffix(".sqlite3")?;
    // Safety copies first: the automatic prefix is empty and would match anything.
    [
        BackupKind::BeforeRestore,
        BackupKind::BeforeRecover,
        BackupKind::Automatic,
    ]
    .into_iter()
    .find_map(|kind| {
        let stamp = rest.strip_prefix(kind.prefix())?;
        let t = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
        Some((kind, t.and_utc()))
    })
}

/// The automatic backups that look usable (an examdeck database that opens), newest first:
/// what a damaged-database message names. Never fails: an unreadable folder names none.
pub fn good_backups(data_dir: &Path) -> Vec<PathBuf> {
    list(data_dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|b| super::restore::inspect(&b.path).is_ok())
        .map(|b| b.path)
        .collect()
}

/// A file name in the backups folder for `kind` at `now` that is not taken yet.
pub(crate) fn free_name(data_dir: &Path, kind: BackupKind, now: DateTime<Utc>) -> PathBuf {
    let d = dir(data_dir);
    let name = |t: DateTime<Utc>| {
        d.join(format!(
            "examdeck-{}{}.sqlite3",
            kind.prefix(),
            t.format("%Y%m%d-%H%M%S")
        ))
    };
    let mut n = now;
    while name(n).exists() {
        n += chrono::Duration::seconds(1);
    }
    name(n)
}

impl Store {
    /// Copies the database to `dest` with the backup API (safe while in use).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.conn
            .backup(MAIN_DB, dest, None)
            .map_err(|e| classify(&dest.display().to_string(), e))
    }

    /// Takes a backup now (after `quick_check`), keeping the newest [`KEEP`].
    pub fn backup_now(&self, data_dir: &Path, now: DateTime<Utc>) -> Result<BackupInfo> {
        if let Err(detail) = self.quick_check()? {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail,
                backups: good_backups(data_dir),
            });
        }
        let d = dir(data_dir);
        std::fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
        let path = free_name(data_dir, BackupKind::Automatic, now);
        let n = parse_name(&path.file_name().unwrap_or_default().to_string_lossy())
            .map_or(now, |(_, t)| t);
        // Written under a temporary name and renamed when complete, so an interrupted backup
        // is never listed as a good one.
        let partial = path.with_extension("sqlite3.partial");
        self.backup_to(&partial)?;
        std::fs::rename(&partial, &path).map_err(|e| io(&path, e))?;
        for old in list(data_dir)?.into_iter().skip(KEEP) {
            std::fs::remove_file(&old.path).map_err(|e| io(&old.path, e))?;
        }
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        Ok(BackupInfo {
            path,
            created: n,
            bytes,
            kind: BackupKind::Automatic,
        })
    }

    /// The automatic backup: taken if the newest is older than [`EVERY_MS`].
    pub fn daily_backup(&self, data_dir: &Path, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
        if !backup_due(data_dir, now)? {
            return Ok(None);
        }
        self.backup_now(data_dir, now).map(Some)
    }
}

/// A backup of the database as it was when [`Store::backup_snapshot`] returned, running on a
/// second connection (see there). [`SnapshotBackup::join`] waits for it.
#[derive(Debug)]
pub struct SnapshotBackup {
    job: std::thread::JoinHandle<Result<BackupInfo>>,
    path: String,
}

impl SnapshotBackup {
    /// Waits for the backup: the file written, or why not (a damaged database comes with
    /// the newest good backup, as from [`Store::backup_now`]).
    pub fn join(self) -> Result<BackupInfo> {
        match self.job.join() {
            Ok(r) => r,
            Err(_) => Err(StoreError::BadData {
                path: self.path,
                detail: "the backup thread panicked".into(),
            }),
        }
    }
}

impl Store {
    /// Starts a backup (after `quick_check`) of the database as it is now, on a second
    /// connection and thread, so a write transaction begun after this returns can run
    /// meanwhile. The second connection opens its read transaction before returning: in
    /// WAL mode it keeps seeing that snapshot, whatever this connection writes and even
    /// commits. Join it before committing what must not be in the backup only to learn
    /// whether it succeeded; the content is fixed either way. In-memory stores have no file
    /// for a second connection: use [`Store::backup_now`].
    pub fn backup_snapshot(&self, data_dir: &Path, now: DateTime<Utc>) -> Result<SnapshotBackup> {
        use rusqlite::OpenFlags;
        let path = self.path.clone();
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&path, e))?;
        conn.busy_timeout(super::BUSY_TIMEOUT)
            .map_err(|e| classify(&path, e))?;
        // A deferred transaction takes its snapshot at its first read.
        conn.execute_batch("BEGIN")
            .map_err(|e| classify(&path, e))?;
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| classify(&path, e))?;
        let reader = Store {
            conn,
            path: path.clone(),
            checkpoint: super::checkpoint::Behind::default(),
        };
        let dir = data_dir.to_path_buf();
        // quick_check and the backup API both run inside the open read transaction.
        let job = std::thread::spawn(move || reader.backup_now(&dir, now));
        Ok(SnapshotBackup { job, path })
    }
}

/// Whether the automatic backup is due: no backup in the last [`EVERY_MS`]. A backup dated
/// more than [`FUTURE_SLACK_MS`] ahead of `now` is ignored, so a skewed clock cannot stop
/// backups for good.
pub fn backup_due(data_dir: &Path, now: DateTime<Utc>) -> Result<bool> {
    let newest = list(data_dir)?
        .into_iter()
        .find(|b| (b.created - now).num_milliseconds() <= FUTURE_SLACK_MS);
    Ok(newest.is_none_or(|b| (now - b.created).num_milliseconds() >= EVERY_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    #[test]
    fn daily_backup_once_a_day_keeps_seven() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join(super::super::DB_FILE)).expect("open");
        let mut now = t("2026-01-01T10:00:00Z");
        assert!(
            store
                .daily_backup(dir.path(), now)
                .expect("backup")
                .is_some()
        );
        now += chrono::Duration::hours(3);
        assert!(
            store
                .daily_backup(dir.path(), now)
                .expect("backup")
                .is_none(),
            "same day"
        );
        for _ in 0..10 {
            now += chrono::Duration::days(1);
            assert!(
                store
                    .daily_backup(dir.path(), now)
                    .expect("backup")
                    .is_some()
            );
        }
        let all = list(dir.path()).expect("list");
        assert_eq!(all.len(), KEEP);
        assert_eq!(all[0].created, now);
    }

    #[test]
    fn a_future_dated_backup_does_not_stop_backups() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join(super::super::DB_FILE)).expect("open");
        let now = t("2026-03-01T10:00:00Z");
        // Clock skew once wrote a backup dated years ahead.
        store
            .backup_now(dir.path(), t("2031-01-01T00:00:00Z"))
            .expect("skewed backup");
        assert!(
            backup_due(dir.path(), now).expect("due"),
            "stale, not recent"
        );
        let taken = store.daily_backup(dir.path(), now).expect("backup");
        assert_eq!(taken.map(|b| b.created), Some(now));
        // A backup a few hours ahead (a time-zone slip) still counts as recent.
        let dir2 = tempfile::tempdir().expect("tempdir");
        store
            .backup_now(dir2.path(), now + chrono::Duration::hours(5))
            .expect("backup");
        assert!(!backup_due(dir2.path(), now).expect("due"));
    }

    #[test]
    fn names_of_safety_copies_are_parsed_and_kept_apart() {
        assert_eq!(
            parse_name("examdeck-before-restore-20260102-030405.sqlite3"),
            Some((BackupKind::BeforeRestore, t("2026-01-02T03:04:05Z")))
        );
        assert_eq!(
            parse_name("examdeck-before-recover-20260102-030405.sqlite3").map(|p| p.0),
            Some(BackupKind::BeforeRecover)
        );
        assert_eq!(
            parse_name("examdeck-20260102-030405.sqlite3").map(|p| p.0),
            Some(BackupKind::Automatic)
        );
        assert_eq!(parse_name("examdeck-20260102-030405.sqlite3-wal"), None);
        assert_eq!(parse_name("examdeck-before-restore-x.sqlite3"), None);
    }
}
