//! Import benchmark: a 20,000-note Anki collection with 200,000 review-log rows (made by
//! `tests/fixtures/anki/make_bench.py` with the real Anki; path in EXAMDECK_BENCH_APKG,
//! default /tmp/bench.colpkg). Reports wall time per phase, the longest gap between progress
//! reports, and peak RSS (VmHWM). Not a timed assertion: figures only.

use examdeck::deck::DeckSource;
use examdeck::import::{self, Options};
use examdeck::learner::Learner;
use std::time::{Duration, Instant};

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let path = std::env::var("EXAMDECK_BENCH_APKG").unwrap_or_else(|_| "/tmp/bench.colpkg".into());
    let path = std::path::PathBuf::from(path);
    if !path.is_file() {
        eprintln!(
            "no {}: run `python3 tests/fixtures/anki/make_bench.py {}` first (needs `pip install anki`)",
            path.display(),
            path.display()
        );
        return;
    }
    let data = tempfile::tempdir().expect("tempdir");
    let decks = data.path().join("decks");
    let start = Instant::now();
    let mut last = start;
    let mut max_gap = Duration::ZERO;
    let mut gap_stage = "";
    let mut reports = 0u32;
    // When each stage was first reported (timing spans without a profiler).
    let mut stages: Vec<(&'static str, Instant)> = Vec::new();
    let mut on_progress = |p: import::Progress| {
        let now = Instant::now();
        if now - last > max_gap {
            max_gap = now - last;
            gap_stage = p.stage;
        }
        last = now;
        reports += 1;
        if stages.last().is_none_or(|(s, _)| *s != p.stage) {
            stages.push((p.stage, now));
        }
    };
    let plan = import::plan(&path, &Options::default(), &mut on_progress).expect("plan");
    let planned = start.elapsed();
    let cards: usize = plan.decks.iter().map(|d| d.cards.len()).sum();
    let now = chrono::Utc::now();
    let mut learner = Learner::open(data.path(), now).expect("learner");
    let write_start = Instant::now();
    let outcome = import::apply(
        std::slice::from_ref(&plan),
        &decks,
        &[DeckSource::Path(decks.clone())],
        Some(&mut learner),
        now,
        &mut on_progress,
    )
    .expect("apply");
    let total = start.elapsed();
    let gap_end = Instant::now() - last;
    println!(
        "import {}: {} decks, {cards} cards, {} answers of history",
        path.display(),
        plan.decks.len(),
        outcome.history.map_or(0, |h| h.added)
    );
    println!(
        "read+convert {:.2} s, write+history {:.2} s, total {:.2} s",
        planned.as_secs_f64(),
        write_start.elapsed().as_secs_f64(),
        total.as_secs_f64()
    );
    println!(
        "progress reports: {reports}, longest gap {:.2} s (ending at a \"{gap_stage}\" report; last report to end {:.2} s)",
        max_gap.as_secs_f64(),
        gap_end.as_secs_f64()
    );
    let end = Instant::now();
    for (i, (stage, at)) in stages.iter().enumerate() {
        let next = stages.get(i + 1).map_or(end, |(_, t)| *t);
        println!("  stage {stage:<20} {:.2} s", (next - *at).as_secs_f64());
    }
    println!("peak RSS {:.1} MiB", peak_rss_mib());
}
