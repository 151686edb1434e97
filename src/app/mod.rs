//! Starting the desktop app.

use crate::cli::Cli;
use std::process::ExitCode;

/// Opens the desktop window.
pub fn run(_cli: &Cli) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the desktop app is not built yet; use `examdeck check`")
}
