//! `examdeck backup` and `examdeck restore <file>`.

use super::Cli;
use crate::learner::Learner;
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
    let mut learner = Learner::open(&dir, now)?;
    learner.wait_for_backup()?;
    if !args.list {
        let b = learner.backup_now(now)?;
        writeln!(out, "backed up to {}", b.path.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    for b in learner.backups()? {
        writeln!(
            out,
            "{}  {}  {} bytes",
            b.created.format("%Y-%m-%d %H:%M:%S UTC"),
            b.path.display(),
            b.bytes
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Restores a backup.
pub fn restore(cli: &Cli, args: &RestoreArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let dir = super::data_dir(cli)?;
    Learner::restore(&dir, &args.file, Utc::now())?;
    writeln!(
        out,
        "restored {} into {}",
        args.file.display(),
        dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
