//! The desktop app's state and start-up: the library, the learner, study sessions, deck
//! reloading and importing. The drawing lives in [`crate::ui`].

pub mod browse;
pub mod core;
pub mod import;
pub mod mock;
pub mod prefs;
pub mod readiness;
pub mod session;
pub mod watch;

use crate::cli::Cli;
use std::process::ExitCode;

/// Opens the desktop window on the bundled decks, the user's decks and `--decks` folders.
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let data_dir = crate::cli::data_dir(cli)?;
    let core = core::AppCore::open(data_dir, &cli.decks, chrono::Utc::now())?;
    crate::ui::run_native(core)?;
    Ok(ExitCode::SUCCESS)
}
