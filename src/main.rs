//! The `examdeck` binary: the desktop app, or a command.

use clap::Parser;
use examdeck::cli::{self, Cli};
use std::process::ExitCode;

/// mimalloc: a warm start allocates hundreds of thousands of small card fields, which glibc's
/// malloc serves markedly slower.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
