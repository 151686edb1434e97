//! The command line: one file per command, each calling the same library as the GUI.

pub mod backup;
pub mod bench;
pub mod check;
pub mod crash;
pub mod demo;
pub mod due;
pub mod import;
pub mod paper;
pub mod stats;

use crate::deck::DeckSource;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// examdeck — study for an exam with spaced repetition, mock exams and a readiness forecast.
///
/// Run without a command to open the desktop app on the bundled decks.
#[derive(Debug, Parser)]
#[command(name = "examdeck", version, about, long_about = None)]
pub struct Cli {
    /// Folder holding the learner's database and own decks (default: the platform's data
    /// directory; also settable with EXAMDECK_DATA_DIR).
    #[arg(long, global = true, env = "EXAMDECK_DATA_DIR", value_name = "PATH")]
    pub data_dir: Option<PathBuf>,

    /// An extra deck folder or file to load (repeatable).
    #[arg(long = "decks", global = true, value_name = "PATH")]
    pub decks: Vec<PathBuf>,

    /// What to do (default: open the desktop app).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate deck and exam files, print every problem as file:line:column, and a summary.
    ///
    /// Exits with status 1 when any error is found (or any warning, with --deny-warnings).
    Check(check::CheckArgs),
    /// Print the mock-exam paper a seed draws (question ids, kinds, domains, option order),
    /// so a study group can check that everyone sits the same one.
    Paper(paper::PaperArgs),
    /// Fill the data folder with weeks of simulated study (to try the app's charts).
    #[command(hide = true)]
    DemoHistory(demo::DemoArgs),
    /// Today's due counts per deck (daily limits applied) and the pace of dated exams.
    Due(due::DueArgs),
    /// Study statistics: answers per day, forecast, retention per deck and exam domain.
    Stats(stats::StatsArgs),
    /// Import Anki packages (.apkg, .colpkg) and CSV/TSV files as YAML decks into your deck
    /// folder, optionally with Anki's review history.
    Import(import::ImportArgs),
    /// Back up the learner database now (or list the backups with --list).
    Backup(backup::BackupArgs),
    /// Replace the learner database with a backup file.
    Restore(backup::RestoreArgs),
    /// Crash-test child: answers synthetic items in a loop, printing each committed answer id.
    #[command(hide = true)]
    CrashChild(crash::CrashArgs),
    /// Benchmark of the learner store on 50,000 items and 200,000 reviews.
    #[command(hide = true)]
    Bench(bench::BenchArgs),
}

/// Output format of commands that print reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// Machine-readable JSON.
    Json,
}

/// Runs a command and returns the process exit code.
pub fn run(cli: &Cli, command: &Command) -> anyhow::Result<ExitCode> {
    let out = &mut std::io::stdout().lock();
    match command {
        Command::Check(args) => check::run(args, out),
        Command::Due(args) => due::run(cli, args, out),
        Command::Stats(args) => stats::run(cli, args, out),
        Command::Import(args) => import::run(cli, args, out),
        Command::Backup(args) => backup::backup(cli, args, out),
        Command::Restore(args) => backup::restore(cli, args, out),
        Command::CrashChild(args) => crash::run(cli, args, out),
        Command::Bench(args) => bench::run(cli, args, out),
        Command::DemoHistory(args) => {
            let library = crate::deck::Library::load(&library_sources(None, &cli.decks));
            demo::run(args, &data_dir(cli)?, &library, out)
        }
        Command::Paper(args) => paper::run(
            args,
            &library_sources(data_dir(cli).ok().map(|d| d.join("decks")), &cli.decks),
            out,
            &mut std::io::stderr().lock(),
        ),
    }
}

/// The learner's data directory: `--data-dir`, `EXAMDECK_DATA_DIR`, or the platform's.
pub fn data_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    if let Some(d) = &cli.data_dir {
        return Ok(d.clone());
    }
    directories::ProjectDirs::from("", "", "examdeck")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| anyhow::anyhow!("no home directory found; pass --data-dir PATH"))
}

/// The library for commands: bundled decks, `<data_dir>/decks`, then `--decks`.
pub fn load_library(cli: &Cli, data_dir: &std::path::Path) -> crate::deck::Library {
    crate::deck::Library::load(&library_sources(Some(data_dir.join("decks")), &cli.decks))
}

/// The deck sources for the app: bundled content, the user's deck folder, then `--decks`.
pub fn library_sources(user_decks: Option<PathBuf>, extra: &[PathBuf]) -> Vec<DeckSource> {
    let mut sources = vec![DeckSource::Bundled];
    if let Some(p) = user_decks.filter(|p| p.is_dir()) {
        sources.push(DeckSource::Path(p));
    }
    sources.extend(extra.iter().cloned().map(DeckSource::Path));
    sources
}
