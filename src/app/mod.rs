//! The desktop app's state and start-up: the library, the learner, study sessions, deck
//! reloading and importing. The drawing lives in [`crate::ui`].

pub mod browse;
pub mod core;
pub mod import;
pub mod mock;
pub mod optimize_job;
pub mod prefs;
pub mod readiness;
pub mod session;
pub mod watch;

use crate::cli::Cli;
use std::process::ExitCode;

/// Opens the desktop window on the bundled decks, the user's decks and `--decks` folders.
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let data_dir = crate::cli::data_dir(cli)?;
    match core::AppCore::open(data_dir.clone(), &cli.decks, chrono::Utc::now()) {
        Ok(core) => crate::ui::run_native(core)?,
        // A damaged or too-new database, or a busy one: say so in a window, not only on a
        // terminal the learner may not have open.
        Err(e) => {
            let text = format!(
                "examdeck could not open your progress in {}:\n\n{e:#}",
                data_dir.display()
            );
            eprintln!("examdeck: error: {e:#}");
            crate::ui::run_error_window(text)?;
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
