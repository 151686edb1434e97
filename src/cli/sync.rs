//! `examdeck sync`: exchange progress with the sync folder now and print what came in and
//! went out.

use super::{Cli, Format};
use crate::learner::Learner;
use crate::sync::{self, SyncOutcome};
use chrono::Utc;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `examdeck sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The sync folder (remembered for the next runs and the app); default: --sync-dir,
    /// EXAMDECK_SYNC_DIR, or the folder chosen before.
    #[arg(long, value_name = "PATH")]
    pub dir: Option<PathBuf>,
    /// Rename this device (shown on the other devices).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Runs one sync.
pub fn run(cli: &Cli, args: &SyncArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    let dir = super::data_dir(cli)?;
    let mut learner = Learner::open(&dir, now)?;
    if let Some(d) = &args.dir {
        learner.set_sync_folder(Some(d))?;
    }
    let Some(folder) = args
        .dir
        .clone()
        .or_else(|| cli.sync_dir.clone())
        .or(learner.sync_folder()?)
    else {
        anyhow::bail!(
            "no sync folder yet: pass --dir PATH (remembered), --sync-dir PATH or set \
             EXAMDECK_SYNC_DIR"
        );
    };
    if let Some(name) = &args.name {
        learner.set_device_name(name)?;
    }
    let sources = super::app_sources(cli, &dir, &learner, Some(&folder))?;
    let library = crate::deck::Library::load(&sources);
    learner.sync_library(&library, now)?;
    let outcome = sync::sync(&mut learner, &folder, now)?;
    learner.wait_for_backup()?;
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &outcome)?;
            writeln!(out)?;
        }
        Format::Text => print_text(&outcome, &folder, out)?,
    }
    Ok(if outcome.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn print_text(
    o: &SyncOutcome,
    folder: &std::path::Path,
    out: &mut impl Write,
) -> std::io::Result<()> {
    if let Some(me) = &o.device {
        writeln!(out, "this device: {} ({})", me.name, me.id)?;
    }
    writeln!(out, "sync folder: {}", folder.display())?;
    writeln!(
        out,
        "out: {} records in {} new files",
        o.exported, o.files_written
    )?;
    let m = &o.merged;
    writeln!(
        out,
        "in:  {} files: {} answers, {} item events, {} undone, {} settings, {} mock exams",
        o.files_merged, m.reviews, m.events, m.undone, m.settings, o.attempts
    )?;
    for p in &o.peers {
        writeln!(out, "device: {} ({})", p.name, p.id)?;
    }
    if let Some(b) = &o.backup {
        writeln!(out, "backup before the first merge: {}", b.display())?;
    }
    for p in &o.problems {
        let then = if p.retried {
            "skipped, retried on the next sync"
        } else {
            "this record skipped, the rest of the file merged"
        };
        writeln!(out, "warning: {}; {then}", p.message)?;
    }
    writeln!(out, "{}", o.summary())
}
