//! The `examdeck` binary: the desktop app, or a command.

use clap::Parser;
use examdeck::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => cli::run(&cli, command),
        None => examdeck::ui::run(&cli),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("examdeck: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
