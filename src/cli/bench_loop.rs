//! The study loop of `examdeck bench` and `bench --library DIR`: `next_item` + durable
//! `answer`, as a learner studies the whole library — in the full reports, or alone (`--study-loop-only`) on a fresh
//! copy of the data folder, every answer's times printed so that `benches/anki/compare.py`
//! can alternate it with Anki's loop and pool the answers of several rounds.

use super::bench::{BenchArgs, bench_now, ms, percentile};
use super::bench_library::{copy_data, data_dir, open_core};
use crate::deck::Library;
use crate::learner::{Answer, Learner, StudyScope};
use crate::schedule::Rating;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Every answer of a timed study loop, ms, and the moment it ended.
#[derive(Debug, Serialize)]
pub struct LoopTimes {
    /// `next_item` per answer.
    pub next_item_ms: Vec<f64>,
    /// `answer` (durable) per answer.
    pub answer_ms: Vec<f64>,
    /// Their sum per answer.
    pub study_loop_ms: Vec<f64>,
    /// When the loop ended (answers are 5 s apart).
    #[serde(skip)]
    pub end: DateTime<Utc>,
}

/// What `--study-loop-only` prints: every timed answer, so that a comparison can pool them.
#[derive(Debug, Serialize)]
pub struct StudyLoopReport {
    /// The answers' times.
    #[serde(flatten)]
    pub times: LoopTimes,
    /// Median of `study_loop_ms`.
    pub study_loop_median_ms: f64,
}

/// The study loop alone, on a fresh scratch copy of the data folder.
pub(super) fn study_loop_only(
    args: &BenchArgs,
    root: &Path,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let scratch = root.join("scratch");
    copy_data(&data_dir(root), &scratch)?;
    let mut core = open_core(root, scratch)?;
    let now = bench_now();
    core.refresh_stale_at(now, true)?;
    lift_limits(&mut core.learner)?;
    let times = study_loop(&mut core.learner, &core.library, now, args.answers)?;
    let report = StudyLoopReport {
        study_loop_median_ms: percentile(&mut times.study_loop_ms.clone(), 0.5),
        times,
    };
    serde_json::to_writer(&mut *out, &report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Daily limits out of the way of the study loop.
pub(super) fn lift_limits(learner: &mut Learner) -> anyhow::Result<()> {
    let mut s = learner.settings().clone();
    s.reviews_per_day = 100_000;
    s.new_per_day = 100_000;
    learner.set_settings(s)?;
    Ok(())
}

/// `n` answers in the whole library, 1 in 10 "again", 5 s apart from `now`, timed.
pub(super) fn study_loop(
    learner: &mut Learner,
    library: &Library,
    now: DateTime<Utc>,
    n: usize,
) -> anyhow::Result<LoopTimes> {
    let mut times = LoopTimes {
        next_item_ms: Vec::new(),
        answer_ms: Vec::new(),
        study_loop_ms: Vec::new(),
        end: now,
    };
    for i in 0..n {
        let t = Instant::now();
        let Some(next) = learner.next_item(&StudyScope::All, library, times.end)? else {
            break;
        };
        let next_ms = ms(t);
        let rating = if i % 10 == 0 {
            Rating::Again
        } else {
            Rating::Good
        };
        let t = Instant::now();
        learner.answer(
            &next.key,
            &Answer {
                time_taken_ms: 5000,
                ..Answer::new(rating)
            },
            times.end,
        )?;
        let answer_ms = ms(t);
        times.next_item_ms.push(next_ms);
        times.answer_ms.push(answer_ms);
        times.study_loop_ms.push(next_ms + answer_ms);
        times.end += Duration::seconds(5);
    }
    Ok(times)
}
