//! `examdeck backup` and `examdeck restore <file>`.

use super::Cli;
use crate::learner::Learner;
use crate::store::{backup, restore};
use chrono::Utc;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `examdeck restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file (see `examdeck backup --list`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Arguments of `examdeck backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// List the backups instead of taking one.
    #[arg(long)]
    pub list: bool,
}

/// Takes a backup now, or lists them.
pub fn backup(cli: &Cli, args: &BackupArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    let dir = super::data_dir(cli)?;
    if args.list {
        // The list is needed most when the database is damaged: it reads only the backups
        // folder and each file read-only, never the database.
        return list(&dir, out);
    }
    let mut learner = Learner::open(&dir, now)?;
    learner.wait_for_backup()?;
    let b = learner.backup_now(now)?;
    writeln!(out, "backed up to {}", b.path.display())?;
    Ok(ExitCode::SUCCESS)
}

fn list(dir: &std::path::Path, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let all = backup::list_all(dir)?;
    if all.is_empty() {
        writeln!(out, "no backups in {}", backup::dir(dir).display())?;
    }
    for b in all {
        let state = match restore::inspect(&b.path) {
            Ok(i) => format!(
                "{} answers{}",
                i.reviews,
                i.last_review_ms
                    .and_then(chrono::DateTime::from_timestamp_millis)
                    .map(|t| format!(", newest {}", t.format("%Y-%m-%d %H:%M UTC")))
                    .unwrap_or_default()
            ),
            Err(e) => format!("unusable: {e}"),
        };
        writeln!(
            out,
            "{}  {}  {}  {} bytes  {}",
            b.created.format("%Y-%m-%d %H:%M:%S UTC"),
            b.kind.label(),
            b.path.display(),
            b.bytes,
            state
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Restores a backup.
pub fn restore(cli: &Cli, args: &RestoreArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let dir = super::data_dir(cli)?;
    let outcome = Learner::restore(&dir, &args.file, Utc::now())?;
    if let Some(copy) = &outcome.safety_copy {
        writeln!(
            out,
            "saved the replaced database as {} (a byte copy; `examdeck restore {}` brings it back)",
            copy.display(),
            copy.display()
        )?;
    }
    writeln!(
        out,
        "restored {} into {}",
        args.file.display(),
        dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
