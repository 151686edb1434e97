//! `examdeck stats`: review history, forecast, retention and counts, as text or JSON.

use super::{Cli, Format};
use crate::learner::{Learner, Stats};
use chrono::Utc;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `examdeck stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Prints the statistics.
pub fn run(cli: &Cli, args: &StatsArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    let dir = super::data_dir(cli)?;
    let mut learner = Learner::open(&dir, now)?;
    let library = super::load_library(cli, &dir, &learner)?;
    learner.sync_library(&library, now)?;
    let stats = learner.stats(&library, now)?;
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &stats)?;
            writeln!(out)?;
        }
        Format::Text => write_text(&stats, out)?,
    }
    learner.wait_for_backup()?;
    Ok(ExitCode::SUCCESS)
}

fn pct(r: Option<f32>) -> String {
    r.map_or("-".into(), |r| format!("{:.1}%", r * 100.0))
}

/// The text report.
pub fn write_text(s: &Stats, out: &mut impl Write) -> std::io::Result<()> {
    let hours = s.total_time_ms as f64 / 3_600_000.0;
    writeln!(out, "answers: {} ({hours:.1} h studied)", s.total_reviews)?;
    let p = &s.phases;
    writeln!(
        out,
        "items: {} new, {} learning, {} review, {} relearning, {} suspended",
        p.new, p.learning, p.review, p.relearning, p.suspended
    )?;
    let last30: u32 = s
        .reviews_per_day
        .iter()
        .rev()
        .take(30)
        .map(|d| d.reviews)
        .sum();
    writeln!(
        out,
        "days studied in the last year: {} ({last30} answers on the last 30 of them)",
        s.reviews_per_day.len()
    )?;
    let week: u32 = s.forecast.iter().take(7).sum();
    writeln!(
        out,
        "due: {} today, {week} in the next 7 days, {} in 30 days",
        s.forecast.first().copied().unwrap_or(0),
        s.forecast.iter().sum::<u32>()
    )?;
    write_retention(out, "retention by deck", &s.retention_by_deck)?;
    write_retention(out, "retention by exam domain", &s.retention_by_domain)?;
    for e in &s.exam_plans {
        writeln!(
            out,
            "exam {} on {}: {} days left, pace {} new a day",
            e.exam, e.date, e.days_left, e.new_per_day
        )?;
    }
    Ok(())
}

fn write_retention(
    out: &mut impl Write,
    title: &str,
    rows: &[crate::learner::Retention],
) -> std::io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "{title}:")?;
    for r in rows {
        writeln!(
            out,
            "  {}: {} ({} of {})",
            r.key,
            pct(r.rate),
            r.passed,
            r.answers
        )?;
    }
    Ok(())
}
