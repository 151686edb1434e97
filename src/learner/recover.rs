//! `examdeck recover`: salvage what SQLite can still read from a damaged database, merge it
//! into the newest good backup (or the one given, or a fresh database when there is none),
//! rebuild every item's state from the merged log, check it, and only then put it in place —
//! after a byte copy of the damaged file was saved as `examdeck-before-recover-….sqlite3`.

use super::{Learner, Result};
use crate::store::backup::{self, BackupKind};
use crate::store::recover::MergeReport;
use crate::store::{DB_FILE, Store, StoreError, restore, salvage};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// What `recover` did (or, with `dry_run`, would do).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RecoverReport {
    /// The backup merged into (None: none was found, a fresh database was used).
    pub base: Option<PathBuf>,
    /// The page size of the header rebuilt for the damaged file (None: it was readable).
    pub header_rebuilt: Option<u32>,
    /// SQLite could read the damaged file's schema at all.
    pub readable: bool,
    /// Reads that failed on damaged pages (each skipped some rows).
    pub failed_reads: u32,
    /// What the merge did.
    pub merge: MergeReport,
    /// Answers in the recovered database.
    pub reviews_total: u64,
    /// The byte copy of the damaged database (None on a dry run).
    pub safety_copy: Option<PathBuf>,
    /// Nothing was changed.
    pub dry_run: bool,
}

impl Learner {
    /// Recovers the database in `data_dir` (see the module doc). `from` picks the backup to
    /// merge into; `dry_run` does everything on a staged copy and then throws it away. Call
    /// with no learner open on that directory.
    pub fn recover(
        data_dir: &Path,
        from: Option<&Path>,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> Result<RecoverReport> {
        let db = data_dir.join(DB_FILE);
        if !db.is_file() {
            return Err(StoreError::Io {
                path: db.display().to_string(),
                error: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "there is no database to recover here (check --data-dir)",
                ),
            }
            .into());
        }
        let base = match from {
            Some(p) => Some(p.to_path_buf()),
            None => backup::good_backups(data_dir).into_iter().next(),
        };
        let work = tempfile::Builder::new()
            .prefix(".recover-")
            .tempdir_in(data_dir)
            .map_err(|error| StoreError::Io {
                path: data_dir.display().to_string(),
                error,
            })?;
        let staged = restore::Staged::new(data_dir, "recovering")?;
        if let Some(b) = &base {
            restore::stage_from(b, &staged.0)?;
        }
        let found = salvage::salvage(&db, base.as_deref(), work.path())?;
        drop(work);
        let mut store = Store::open(&staged.0)?;
        let merge = store.merge_salvage(&found)?;
        let mut learner = Learner::with_store(store)?;
        learner.rebuild_from_log()?;
        if let Err(detail) = learner.store.integrity_check()? {
            return Err(StoreError::Corrupt {
                path: staged.0.display().to_string(),
                detail,
                backups: Vec::new(),
            }
            .into());
        }
        let reviews_total = learner.store.read().review_totals()?.0;
        learner.store.checkpoint()?;
        drop(learner);
        let failed_reads = [
            &found.items,
            &found.reviews,
            &found.events,
            &found.attempts,
            &found.meta,
        ]
        .iter()
        .map(|r| r.failed_reads)
        .sum();
        let mut report = RecoverReport {
            base,
            header_rebuilt: found.header_rebuilt,
            readable: found.readable,
            failed_reads,
            merge,
            reviews_total,
            safety_copy: None,
            dry_run,
        };
        if dry_run {
            return Ok(report);
        }
        report.safety_copy = restore::safety_copy(data_dir, BackupKind::BeforeRecover, now)?;
        restore::put_in_place(data_dir, &staged.0)?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests;
