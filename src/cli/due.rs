//! `examdeck due`: today's counts per deck (daily limits applied) and exam pacing.

use super::{Cli, Format};
use crate::learner::{DeckCounts, ExamPlan, Learner, TodayTotals};
use chrono::Utc;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `examdeck due`.
#[derive(Debug, clap::Args)]
pub struct DueArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Serialize)]
struct DueReport<'a> {
    decks: &'a [DeckCounts],
    /// What "study everything" gives today, under the overall daily limits.
    today: TodayTotals,
    exams: &'a [ExamPlan],
}

/// Prints the due counts.
pub fn run(cli: &Cli, args: &DueArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    let dir = super::data_dir(cli)?;
    let mut learner = Learner::open(&dir, now)?;
    let library = super::load_library(cli, &dir, &learner)?;
    learner.sync_library(&library, now)?;
    let decks = learner.due_counts(&library, now)?;
    let exams = learner.exam_plans(&library, now)?;
    let today = learner.today_totals(&library, &decks, now)?;
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &DueReport {
                    decks: &decks,
                    today,
                    exams: &exams,
                },
            )?;
            writeln!(out)?;
        }
        Format::Text => write_text(&decks, today, &exams, out)?,
    }
    learner.wait_for_backup()?;
    Ok(ExitCode::SUCCESS)
}

/// The text table.
pub fn write_text(
    decks: &[DeckCounts],
    today: TodayTotals,
    exams: &[ExamPlan],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let w = decks.iter().map(|d| d.deck.len()).max().unwrap_or(4).max(4);
    writeln!(
        out,
        "{:w$}  {:>5}  {:>8}  {:>6}  {:>6}  {:>8}",
        "deck", "new", "learning", "review", "total", "mastered"
    )?;
    let mut t = 0;
    for d in decks {
        writeln!(
            out,
            "{:w$}  {:>5}  {:>8}  {:>6}  {:>6}  {:>7.0}%",
            d.deck,
            d.new,
            d.learning,
            d.review,
            d.total,
            d.mastered_fraction * 100.0
        )?;
        t += d.total;
    }
    // Per-deck counts each respect their deck's limits; together they also share the overall
    // limits, so the total line is what "study everything" really gives today.
    writeln!(
        out,
        "{:w$}  {:>5}  {:>8}  {:>6}  {t:>6}",
        "today (all decks)", today.new, today.learning, today.review
    )?;
    for e in exams {
        writeln!(
            out,
            "exam {} on {}: {} days left, {} new items left, pace {} new a day{}",
            e.exam,
            e.date,
            e.days_left,
            e.new_left,
            e.new_per_day,
            if e.in_final_days {
                " (final days: topping up weak items)"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}
