//! Hidden `examdeck crash-child`: the child of the SIGKILL crash test. It answers synthetic
//! items in a loop and prints the id of every answer right after it is committed.

use super::Cli;
use crate::learner::{Answer, Learner, StudyScope, synthetic};
use crate::schedule::Rating;
use chrono::Duration;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of the crash-test child.
#[derive(Debug, clap::Args)]
pub struct CrashArgs {
    /// Simulated start time, UTC ms.
    #[arg(long)]
    pub start_ms: i64,
    /// Stop after this many answers (0: never).
    #[arg(long, default_value_t = 0)]
    pub max: u64,
}

/// Runs the loop.
pub fn run(cli: &Cli, args: &CrashArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let dir = super::data_dir(cli)?;
    let lib = synthetic::library(2, 40, 5);
    let mut now = crate::schedule::day::from_ms(args.start_ms);
    let mut learner = Learner::open(&dir, now)?;
    learner.sync_library(&lib, now)?;
    let mut s = learner.settings().clone();
    s.new_per_day = 1000;
    s.reviews_per_day = 1000;
    learner.set_settings(s)?;
    writeln!(out, "ready")?;
    out.flush()?;
    let mut n = 0u64;
    while args.max == 0 || n < args.max {
        let Some(next) = learner.next_item(&StudyScope::All, &lib, now)? else {
            now += Duration::hours(6);
            continue;
        };
        let rating = Rating::from_u8(1 + (n % 7).min(3) as u8).unwrap_or(Rating::Good);
        let a = Answer {
            time_taken_ms: 1000,
            response: Some(format!("{{\"n\":{n}}}")),
            ..Answer::new(rating)
        };
        let outcome = learner.answer(&next.key, &a, now)?;
        writeln!(out, "{}", outcome.review_id)?;
        out.flush()?;
        if n % 11 == 10 {
            writeln!(out, "undoing {}", outcome.review_id)?;
            out.flush()?;
            learner.undo()?;
            writeln!(out, "undone {}", outcome.review_id)?;
            out.flush()?;
        }
        n += 1;
        now += Duration::seconds(20);
    }
    Ok(ExitCode::SUCCESS)
}
