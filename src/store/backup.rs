//! Automatic backups with the SQLite backup API: at most one a day, on open, the last
//! [`KEEP`] kept, in `<data_dir>/backups/examdeck-YYYYMMDD-HHMMSS.sqlite3` (UTC). A backup
//! is only taken after `quick_check` passed, so every backup is a good one.

use super::{DB_FILE, Result, Store, StoreError, check, classify};
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, MAIN_DB, OpenFlags};
use std::path::{Path, PathBuf};

/// Backups kept.
pub const KEEP: usize = 7;
/// Minimum time between automatic backups.
pub const EVERY_MS: i64 = 20 * 3_600_000;

/// One backup file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupInfo {
    /// The file.
    pub path: PathBuf,
    /// When it was taken.
    pub created: DateTime<Utc>,
    /// Size in bytes.
    pub bytes: u64,
}

/// The backup folder of a data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

fn io(path: &Path, error: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        error,
    }
}

/// Backups in `data_dir`, newest first.
pub fn list(data_dir: &Path) -> Result<Vec<BackupInfo>> {
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
        let Some(stamp) = name
            .strip_prefix("examdeck-")
            .and_then(|s| s.strip_suffix(".sqlite3"))
        else {
            continue;
        };
        let Ok(t) = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S") else {
            continue;
        };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupInfo {
            path: entry.path(),
            created: t.and_utc(),
            bytes,
        });
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.created));
    Ok(out)
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
                backup: list(data_dir)?.into_iter().next().map(|b| b.path),
            });
        }
        let d = dir(data_dir);
        std::fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
        let mut path = d.join(format!("examdeck-{}.sqlite3", now.format("%Y%m%d-%H%M%S")));
        let mut n = now;
        while path.exists() {
            n += chrono::Duration::seconds(1);
            path = d.join(format!("examdeck-{}.sqlite3", n.format("%Y%m%d-%H%M%S")));
        }
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

/// Whether the automatic backup is due (none in the last [`EVERY_MS`]).
pub fn backup_due(data_dir: &Path, now: DateTime<Utc>) -> Result<bool> {
    let newest = list(data_dir)?.into_iter().next();
    Ok(newest.is_none_or(|b| (now - b.created).num_milliseconds() >= EVERY_MS))
}

/// Replaces the database in `data_dir` with `backup` (after checking the backup). The current
/// database is first saved next to the backups as `examdeck-before-restore-….sqlite3` when it
/// can still be read.
pub fn restore(data_dir: &Path, backup: &Path, now: DateTime<Utc>) -> Result<()> {
    let shown = backup.display().to_string();
    if !backup.is_file() {
        return Err(io(
            backup,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such backup file"),
        ));
    }
    {
        let src = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| classify(&shown, e))?;
        if let Err(detail) = check(&src, "quick_check", &shown)? {
            return Err(StoreError::Corrupt {
                path: shown,
                detail,
                backup: None,
            });
        }
        let v: i64 = src
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify(&shown, e))?;
        if v > super::migrations::LATEST {
            return Err(StoreError::SchemaTooNew {
                path: shown,
                found: v,
                known: super::migrations::LATEST,
            });
        }
    }
    let db = data_dir.join(DB_FILE);
    let d = dir(data_dir);
    std::fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
    if db.exists() {
        let safety = d.join(format!(
            "examdeck-before-restore-{}.sqlite3",
            now.format("%Y%m%d-%H%M%S")
        ));
        if let Ok(c) = Connection::open(&db) {
            // Best effort: a damaged database may not copy.
            let _ = c.backup(MAIN_DB, &safety, None);
        }
    }
    let restored = Connection::open(&db).and_then(|mut c| {
        c.busy_timeout(super::BUSY_TIMEOUT)?;
        c.restore(MAIN_DB, backup, None::<fn(rusqlite::backup::Progress)>)
    });
    if restored.is_err() {
        // The current file is beyond the backup API: replace it outright.
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", db.display()));
            if p.exists() {
                std::fs::remove_file(&p).map_err(|e| io(&p, e))?;
            }
        }
        std::fs::copy(backup, &db).map_err(|e| io(&db, e))?;
    }
    Ok(())
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
        let store = Store::open(&dir.path().join(DB_FILE)).expect("open");
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
    fn restore_brings_back_the_backup() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        let mut store = Store::open(&path).expect("open");
        store.write(|tx| tx.meta_set("k", &1)).expect("write");
        let b = store
            .backup_now(dir.path(), t("2026-01-01T10:00:00Z"))
            .expect("backup");
        store.write(|tx| tx.meta_set("k", &2)).expect("write");
        drop(store);
        restore(dir.path(), &b.path, t("2026-01-02T10:00:00Z")).expect("restore");
        let store = Store::open(&path).expect("open");
        assert_eq!(store.read().meta_get::<i32>("k").expect("get"), Some(1));
        let names: Vec<String> = std::fs::read_dir(super::dir(dir.path()))
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.contains("before-restore")),
            "{names:?}"
        );
    }

    #[test]
    fn restore_over_a_garbage_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        let store = Store::open(&path).expect("open");
        let b = store
            .backup_now(dir.path(), t("2026-01-01T10:00:00Z"))
            .expect("backup");
        drop(store);
        std::fs::write(&path, vec![7u8; 10_000]).expect("write");
        assert!(matches!(
            Store::open(&path),
            Err(StoreError::Corrupt { .. })
        ));
        restore(dir.path(), &b.path, t("2026-01-02T10:00:00Z")).expect("restore");
        Store::open(&path).expect("opens again");
    }
}
