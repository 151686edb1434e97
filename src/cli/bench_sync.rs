//! `examdeck bench --sync`: sync figures on two generated 200,000-review collections —
//! a peer's 200,000 reviews merged into a 200,000-review database (time, peak RSS), a sync
//! with nothing new, and one new review from a peer until it shows in the due counts.
//!
//! Both collections and the peer's export are made by child processes, so the measuring
//! process's peak RSS is that of one learner merging.

use super::bench::{BenchArgs, peak_rss_mib};
use crate::learner::{Answer, Learner, StudyScope, synthetic};
use crate::schedule::Rating;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// The figures.
#[derive(Debug, Serialize)]
pub struct SyncBenchReport {
    /// Reviews in the local database before the merge.
    pub local_reviews: u64,
    /// Reviews merged from the peer.
    pub merged_reviews: usize,
    /// The merge of the peer's reviews (read, check, insert, rebuild), ms.
    pub merge_ms: f64,
    /// Peak resident memory of the merging process, MiB.
    pub merge_peak_rss_mib: f64,
    /// A sync with nothing new: median ms.
    pub nothing_new_median_ms: f64,
    /// One new review from the peer: sync + due counts, ms.
    pub one_review_visible_ms: f64,
}

fn now() -> DateTime<Utc> {
    crate::schedule::day::from_ms(1_780_000_000_000)
}

fn child(args: &[&str], dir: &Path, extra: &[&Path]) -> anyhow::Result<()> {
    let mut c = std::process::Command::new(std::env::current_exe()?);
    c.arg("bench").args(args);
    for e in extra {
        c.arg(e);
    }
    c.arg("--dir").arg(dir);
    anyhow::ensure!(c.status()?.success(), "bench child {args:?} failed");
    Ok(())
}

/// Child step: exports everything of the collection in `dir` to `folder`.
pub fn export_only(dir: &Path, folder: &Path) -> anyhow::Result<ExitCode> {
    let mut l = Learner::open(dir, now())?;
    l.wait_for_backup()?;
    crate::sync::sync(&mut l, folder, now())?;
    Ok(ExitCode::SUCCESS)
}

/// Runs the sync benchmark.
pub fn run(args: &BenchArgs, root: &Path, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let (a, b) = (root.join("a"), root.join("b"));
    let (shared, scratch) = (root.join("shared"), root.join("scratch"));
    for d in [&a, &b] {
        if !d.join(crate::store::DB_FILE).exists() {
            let (items, reviews) = (args.items.to_string(), args.reviews.to_string());
            child(
                &["--generate-only", "--items", &items, "--reviews", &reviews],
                d,
                &[],
            )?;
        }
    }
    // A's own records go to a scratch folder first, so the measured sync only merges.
    child(&["--sync-export"], &a, &[&scratch])?;
    child(&["--sync-export"], &b, &[&shared])?;

    let mut l = Learner::open(&a, now())?;
    l.wait_for_backup()?;
    let local_reviews = l.store().read().review_totals()?.0;
    let t = Instant::now();
    let o = crate::sync::sync(&mut l, &shared, now())?;
    let merge_ms = t.elapsed().as_secs_f64() * 1000.0;
    let merge_peak_rss_mib = peak_rss_mib();
    anyhow::ensure!(o.problems.is_empty(), "problems: {:?}", o.problems);

    let mut nothing = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        crate::sync::sync(&mut l, &shared, now())?;
        nothing.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    nothing.sort_by(f64::total_cmp);

    // One review on the peer, then: sync here and recount.
    let lib = synthetic::library(50, args.items / 50, 0);
    let mut peer = Learner::open(&b, now())?;
    peer.sync_library(&lib, now())?;
    let later = now() + Duration::minutes(5);
    if let Some(n) = peer.next_item(&StudyScope::All, &lib, later)? {
        peer.answer(&n.key, &Answer::new(Rating::Good), later)?;
    }
    crate::sync::sync(&mut peer, &shared, later)?;
    l.sync_library(&lib, later)?;
    let t = Instant::now();
    crate::sync::sync(&mut l, &shared, later)?;
    std::hint::black_box(l.due_counts(&lib, later)?);
    let one_review_visible_ms = t.elapsed().as_secs_f64() * 1000.0;

    let report = SyncBenchReport {
        local_reviews,
        merged_reviews: o.merged.reviews,
        merge_ms,
        merge_peak_rss_mib,
        nothing_new_median_ms: nothing[nothing.len() / 2],
        one_review_visible_ms,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
