//! `examdeck recover [--from BACKUP] [--dry-run]`: salvage a damaged database and merge it
//! with a good backup so the newest answers survive.

use super::Cli;
use crate::learner::Learner;
use chrono::Utc;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `examdeck recover`.
#[derive(Debug, clap::Args)]
pub struct RecoverArgs {
    /// The backup to merge into (default: the newest good one; see `examdeck backup --list`).
    #[arg(long, value_name = "BACKUP")]
    pub from: Option<PathBuf>,
    /// Report what would be recovered, change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs the recovery and prints what it did.
pub fn run(cli: &Cli, args: &RecoverArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let dir = super::data_dir(cli)?;
    let r = Learner::recover(&dir, args.from.as_deref(), args.dry_run, Utc::now())?;
    match r.header_rebuilt {
        Some(size) => writeln!(
            out,
            "the database header was unreadable: rebuilt it ({size}-byte pages)"
        )?,
        None if !r.readable => writeln!(
            out,
            "nothing in the damaged database could be read; only the backup is used"
        )?,
        None => {}
    }
    let m = &r.merge;
    writeln!(
        out,
        "salvaged {} answers ({} already in the backup, {} newer added, {} without a card dropped){}",
        m.reviews_salvaged,
        m.reviews_known,
        m.reviews_added,
        m.reviews_orphaned,
        if r.failed_reads > 0 {
            format!("; {} damaged reads skipped", r.failed_reads)
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "also: {} cards, {} suspend/bury/reset events, {} mock exams, {} settings; {} damaged rows refused",
        m.items_added, m.events_added, m.attempts_merged, m.settings_restored, m.rows_rejected
    )?;
    match &r.base {
        Some(b) => writeln!(out, "merged into the backup {}", b.display())?,
        None => writeln!(out, "no good backup found: started from an empty database")?,
    }
    if r.dry_run {
        writeln!(
            out,
            "dry run: the recovered database would hold {} answers; nothing was changed",
            r.reviews_total
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(copy) = &r.safety_copy {
        writeln!(
            out,
            "saved the damaged database as {} (a byte copy)",
            copy.display()
        )?;
    }
    writeln!(
        out,
        "recovered {} answers into {}",
        r.reviews_total,
        dir.join(crate::store::DB_FILE).display()
    )?;
    Ok(ExitCode::SUCCESS)
}
