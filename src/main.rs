//! The `examdeck` binary: the desktop app, or a command.

use clap::Parser;
use examdeck::cli::{self, Cli};
use std::process::ExitCode;

/// mimalloc: a warm start allocates hundreds of thousands of small card fields, which glibc's
/// malloc serves markedly slower.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` of mimalloc's `mi_option_e` (the same in its v2 and v3); the
/// bindings name no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory freed goes back to the system at once, not 10 ms later: a sync merge's peak
    // stays where glibc's malloc kept it (≈ 85 MiB instead of ≈ 118 MiB at 200,000 answers).
    // SAFETY: a plain integer setting, set first thing, before any thread of ours exists
    // (mimalloc's option setter is not thread-safe).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
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
