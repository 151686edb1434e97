//! The command line: one file per command, each calling the same library as the GUI.

pub mod backup;
pub mod bench;
pub mod bench_gen;
pub mod bench_library;
pub mod bench_loop;
pub mod bench_sync;
pub mod check;
pub mod crash;
pub mod demo;
pub mod desktop_entry;
pub mod due;
pub mod import;
pub mod import_pack;
pub mod pack;
pub mod paper;
pub mod recover;
pub mod schema;
pub mod stats;
pub mod sync;

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

    /// Folder that syncs progress between your computers (Syncthing, Dropbox, git…); also
    /// settable with EXAMDECK_SYNC_DIR or in Settings.
    #[arg(long, global = true, env = "EXAMDECK_SYNC_DIR", value_name = "PATH")]
    pub sync_dir: Option<PathBuf>,

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
    /// Print the JSON Schema of deck format v1 (or, with --blueprint, of exam blueprints),
    /// for an editor's YAML language server.
    Schema(schema::SchemaArgs),
    /// Fill the data folder with weeks of simulated study (to try the app's charts).
    #[command(hide = true)]
    DemoHistory(demo::DemoArgs),
    /// Today's due counts per deck (daily limits applied) and the pace of dated exams.
    Due(due::DueArgs),
    /// Study statistics: answers per day, forecast, retention per deck and exam domain.
    Stats(stats::StatsArgs),
    /// Exchange progress with the sync folder now: print what went out and came in.
    ///
    /// Exits with status 2 when a file of another device was skipped (damaged, incomplete).
    Sync(sync::SyncArgs),
    /// Write a deck pack: one zip with the decks, their images, the exam blueprints they
    /// need and a manifest, for a study group to add with "Add decks…".
    Pack(pack::PackArgs),
    /// Put examdeck in the Linux app menu: a .desktop file and the icon under $XDG_DATA_HOME.
    InstallDesktopEntry(desktop_entry::DesktopEntryArgs),
    /// Import Anki packages (.apkg, .colpkg) and CSV/TSV files as YAML decks into your deck
    /// folder, optionally with Anki's review history.
    Import(import::ImportArgs),
    /// Back up the learner database now (or list the backups with --list).
    Backup(backup::BackupArgs),
    /// Replace the learner database with a backup file (the current one is kept as a
    /// before-restore copy).
    Restore(backup::RestoreArgs),
    /// Salvage what can still be read from a damaged database and merge it with the newest
    /// good backup (or --from BACKUP), so the newest answers survive.
    Recover(recover::RecoverArgs),
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
        Command::Check(args) => check::run(args, &app_sources_if_any(cli), out),
        Command::Schema(args) => schema::run(args, out),
        Command::Due(args) => due::run(cli, args, out),
        Command::Stats(args) => stats::run(cli, args, out),
        Command::Sync(args) => sync::run(cli, args, out),
        Command::Pack(args) => pack::run(cli, args, out),
        Command::InstallDesktopEntry(args) => desktop_entry::run(cli, args, out),
        Command::Import(args) => import::run(cli, args, out),
        Command::Backup(args) => backup::backup(cli, args, out),
        Command::Restore(args) => backup::restore(cli, args, out),
        Command::Recover(args) => recover::run(cli, args, out),
        Command::CrashChild(args) => crash::run(cli, args, out),
        Command::Bench(args) => bench::run(cli, args, out),
        Command::DemoHistory(args) => {
            let library = crate::deck::Library::load(&library_sources(None, &cli.decks));
            demo::run(args, &data_dir(cli)?, &library, out)
        }
        Command::Paper(args) => paper::run(
            args,
            &app_sources_if_any(cli),
            out,
            &mut std::io::stderr().lock(),
        ),
    }
}

/// The learner's data directory: `--data-dir`, `EXAMDECK_DATA_DIR`, or the platform's.
pub fn data_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    crate::paths::data_dir(cli.data_dir.as_deref())
}

/// The folders the desktop app works with, from the global options.
pub fn places(cli: &Cli) -> anyhow::Result<crate::paths::Places> {
    Ok(crate::paths::Places {
        data_dir: data_dir(cli)?,
        extra_decks: cli.decks.clone(),
        sync_dir: cli.sync_dir.clone(),
    })
}

/// The deck sources of the app for this data folder ([`crate::paths::app_sources`]): bundled
/// decks, `<data_dir>/decks`, `--decks`, the deck folders saved in Settings, then the shared
/// `decks/` of `sync_dir`, else of `--sync-dir` or the sync folder saved in Settings.
pub fn app_sources(
    cli: &Cli,
    data_dir: &std::path::Path,
    learner: &crate::learner::Learner,
    sync_dir: Option<&std::path::Path>,
) -> anyhow::Result<Vec<crate::deck::DeckSource>> {
    let sync = match sync_dir {
        Some(d) => Some(d.to_path_buf()),
        None => cli.sync_dir.clone().or(learner.sync_folder()?),
    };
    Ok(crate::paths::app_sources(
        Some(data_dir.join("decks")),
        &cli.decks,
        &learner.settings().deck_folders,
        sync.as_deref(),
    ))
}

/// The library for commands: the same decks as the app (see [`app_sources`]), with the
/// library cache in `<data_dir>/cache` (as the app).
pub fn load_library(
    cli: &Cli,
    data_dir: &std::path::Path,
    learner: &crate::learner::Learner,
) -> anyhow::Result<crate::deck::Library> {
    let cache = data_dir.join("cache");
    Ok(crate::deck::Library::load_with(
        &app_sources(cli, data_dir, learner, None)?,
        &crate::deck::library::LoadOptions {
            cache_dir: Some(&cache),
            progress: None,
        },
    ))
}

/// [`app_sources`] for commands that need no learner (`check`, `paper`): the database is
/// opened only if it exists, never created; without one (or if it cannot be opened) the
/// sources are the bundled decks, `<data_dir>/decks`, `--decks` and `--sync-dir`'s decks.
pub fn app_sources_if_any(cli: &Cli) -> Vec<crate::deck::DeckSource> {
    let Ok(dir) = data_dir(cli) else {
        return library_sources(None, &cli.decks);
    };
    let learner = dir
        .join(crate::store::DB_FILE)
        .is_file()
        .then(|| crate::learner::Learner::open(&dir, chrono::Utc::now()).ok())
        .flatten();
    match learner {
        Some(l) => app_sources(cli, &dir, &l, None)
            .unwrap_or_else(|_| library_sources(Some(dir.join("decks")), &cli.decks)),
        None => crate::paths::app_sources(
            Some(dir.join("decks")),
            &cli.decks,
            &[],
            cli.sync_dir.as_deref(),
        ),
    }
}

pub use crate::paths::library_sources;
