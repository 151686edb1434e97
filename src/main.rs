//! The `examdeck` binary: the desktop app, or a command.

use clap::Parser;
use examdeck::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => cli::run(&cli, command),
        None => cli::places(&cli).and_then(|p| examdeck::ui::run(&p)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("examdeck: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
