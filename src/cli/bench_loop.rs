//! `examdeck bench --library DIR`'s study loop: `next_item` + durable `answer`, as a learner
//! studies the whole library — in the full report, or alone (`--study-loop-only`) on a fresh
//! copy of the data folder, every answer's times printed so that `benches/anki/compare.py`
//! can alternate it with Anki's loop and pool the answers of several rounds.

use super::bench::{BenchArgs, bench_now, ms, percentile};
use super::bench_library::{copy_data, data_dir, open_core};
use crate::app::core::AppCore;
use crate::learner::{Answer, StudyScope};
use crate::schedule::Rating;
use chrono::Duration;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// What `--study-loop-only` prints: every timed answer, so that a comparison can pool them.
#[derive(Debug, Serialize)]
pub struct StudyLoopReport {
    /// `next_item` per answer, ms.
    pub next_item_ms: Vec<f64>,
    /// `answer` (durable) per answer, ms.
    pub answer_ms: Vec<f64>,
    /// Their sum per answer, ms.
    pub study_loop_ms: Vec<f64>,
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
    let (next_item_ms, answer_ms, study_loop_ms) = study_loop(&mut core, now, args.answers)?;
    let report = StudyLoopReport {
        study_loop_median_ms: percentile(&mut study_loop_ms.clone(), 0.5),
        next_item_ms,
        answer_ms,
        study_loop_ms,
    };
    serde_json::to_writer(&mut *out, &report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Per answer: `next_item`, `answer` and their sum, ms.
pub(super) type LoopTimes = (Vec<f64>, Vec<f64>, Vec<f64>);

/// `n` answers in the whole library, daily limits out of the way, 1 in 10 "again", 5 s apart
/// from `now`, timed.
pub(super) fn study_loop(
    core: &mut AppCore,
    now: chrono::DateTime<chrono::Utc>,
    n: usize,
) -> anyhow::Result<LoopTimes> {
    let mut s = core.learner.settings().clone();
    s.reviews_per_day = 100_000;
    s.new_per_day = 100_000;
    core.learner.set_settings(s)?;
    let (mut nexts, mut answers, mut loops) = (Vec::new(), Vec::new(), Vec::new());
    let mut t_now = now;
    for i in 0..n {
        let t = Instant::now();
        let Some(next) = core
            .learner
            .next_item(&StudyScope::All, &core.library, t_now)?
        else {
            break;
        };
        let next_ms = ms(t);
        let rating = if i % 10 == 0 {
            Rating::Again
        } else {
            Rating::Good
        };
        let t = Instant::now();
        core.learner.answer(
            &next.key,
            &Answer {
                time_taken_ms: 5000,
                ..Answer::new(rating)
            },
            t_now,
        )?;
        let answer_ms = ms(t);
        nexts.push(next_ms);
        answers.push(answer_ms);
        loops.push(next_ms + answer_ms);
        t_now += Duration::seconds(5);
    }
    Ok((nexts, answers, loops))
}
