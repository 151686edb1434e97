//! `examdeck demo-history`: fills a data folder with weeks of simulated study of the bundled
//! decks, so the stats, forecast and mock-exam screens can be tried (and screenshotted)
//! without studying for weeks first. Hidden from `--help`; never touches a real data folder
//! unless pointed at it.

use crate::deck::Library;
use crate::learner::{Answer, Learner, StudyScope};
use crate::schedule::Rating;
use chrono::{Duration, Utc};
use rand::{Rng, SeedableRng};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `examdeck demo-history`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Days of study to simulate, ending today.
    #[arg(long, default_value_t = 45)]
    pub days: i64,
    /// Answers per simulated day at most.
    #[arg(long, default_value_t = 60)]
    pub per_day: usize,
    /// Seed of the simulated learner.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Set the date of the SCS-C03 exam this many days from today (0: leave unset).
    #[arg(long, default_value_t = 30)]
    pub exam_in_days: i64,
}

/// Simulates a learner who recalls an item with its FSRS-predicted probability (new items:
/// 60 %), studying `per_day` answers on each of `days` days.
pub fn run(
    args: &DemoArgs,
    data_dir: &Path,
    library: &Library,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(data_dir)?;
    let start = Utc::now() - Duration::days(args.days);
    let mut learner = Learner::open(data_dir, start)?;
    learner.sync_library(library, start)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(args.seed);
    let mut answers = 0usize;
    for day in 0..args.days {
        // Study in the evening, a few minutes per card.
        let mut now = start + Duration::days(day) + Duration::hours(18);
        if rng.random_bool(0.15) {
            continue; // a day off now and then
        }
        for _ in 0..args.per_day {
            let Some(item) = learner.next_item(&StudyScope::All, library, now)? else {
                break;
            };
            let p = learner.recall_at(&item.key, now)?.unwrap_or(0.6);
            let rating = if rng.random_bool(p.clamp(0.05, 0.98)) {
                if rng.random_bool(0.15) {
                    Rating::Easy
                } else {
                    Rating::Good
                }
            } else {
                Rating::Again
            };
            let mut answer = Answer::new(rating);
            answer.time_taken_ms = rng.random_range(4_000..40_000);
            learner.answer(&item.key, &answer, now)?;
            answers += 1;
            now += Duration::milliseconds(i64::from(answer.time_taken_ms) + 2_000);
        }
    }
    if args.exam_in_days > 0 {
        let mut s = learner.settings().clone();
        s.exam_dates.insert(
            "aws-scs-c03".into(),
            (Utc::now() + Duration::days(args.exam_in_days)).date_naive(),
        );
        learner.set_settings(s)?;
    }
    writeln!(
        out,
        "simulated {answers} answers over {} days into {}",
        args.days,
        data_dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
