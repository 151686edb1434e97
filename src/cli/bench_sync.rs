//! `examdeck bench --sync`: sync figures on two generated 200,000-review collections —
//! a peer's 200,000 reviews merged into a 200,000-review database (time, peak RSS), a sync
//! with nothing new, and one new review from a peer until it shows in the due counts. Each
//! figure is measured `--runs` times (default 3); medians are printed with every run.
//!
//! Both collections and the peer's export are made by child processes, and every measured
//! merge runs in a child of its own on a fresh copy of the local database, so each peak RSS
//! is that of one learner merging.

use super::bench::{BenchArgs, peak_rss_mib};
use crate::learner::{Answer, Learner, StudyScope, synthetic};
use crate::schedule::Rating;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// One measured merge of the peer's reviews (printed by the child as JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MergeRun {
    /// Reviews in the local database before the merge.
    pub local_reviews: u64,
    /// Reviews merged from the peer.
    pub merged_reviews: usize,
    /// The sync: read and check the peer's files, insert, replay the changed cards (and the
    /// backup taken before a first merge with a new device), ms.
    pub merge_ms: f64,
    /// Peak resident memory during the merge, MiB (the high-water mark is reset when the
    /// merge starts; see `peak_reset`).
    pub merge_peak_rss_mib: f64,
    /// Peak resident memory of the whole child (open and its daily backup included), MiB.
    pub process_peak_rss_mib: f64,
    /// Whether the high-water mark could be reset (Linux `clear_refs`); if not, the merge
    /// peak is the process peak.
    pub peak_reset: bool,
    /// Where the merge's time went.
    pub phases: crate::sync::Phases,
    /// CPU time of the merge (user + system, every thread), ms: steadier than wall time
    /// on a machine shared with other work.
    #[serde(default)]
    pub merge_cpu_ms: f64,
    /// The work left behind the sync (the log's lookup indexes of a bulk merge, the
    /// checkpoint), waited for after it returned, ms: the next write waits for it too.
    #[serde(default)]
    pub behind_ms: f64,
    /// Peak resident memory during the merge and the work behind it, MiB.
    #[serde(default)]
    pub with_behind_peak_rss_mib: f64,
}

/// CPU time (user + system) of this process so far, every thread included, ms (Linux
/// `/proc/self/stat`, in ticks of 10 ms; 0 elsewhere).
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces): state is the first, utime the
    // 12th and stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    ticks.iter().sum::<f64>() * 10.0
}

/// The figures.
#[derive(Debug, Serialize)]
pub struct SyncBenchReport {
    /// Reviews in the local database before the merge.
    pub local_reviews: u64,
    /// Reviews merged from the peer.
    pub merged_reviews: usize,
    /// The merge of the peer's reviews: median ms.
    pub merge_median_ms: f64,
    /// Its CPU time (every thread): median ms.
    pub merge_cpu_median_ms: f64,
    /// Peak resident memory of the merge: median MiB.
    pub merge_peak_rss_median_mib: f64,
    /// Peak resident memory of the merging process (open and daily backup included): median MiB.
    pub merge_process_peak_rss_median_mib: f64,
    /// Median of the work behind each merge ([`MergeRun::behind_ms`]), ms.
    pub behind_median_ms: f64,
    /// Median peak resident memory of the merge with the work behind it, MiB.
    pub with_behind_peak_rss_median_mib: f64,
    /// Every merge run.
    pub merge_runs: Vec<MergeRun>,
    /// A sync with nothing new: median ms (10 runs).
    pub nothing_new_median_ms: f64,
    /// One new review from the peer: sync + due counts, median ms.
    pub one_review_visible_median_ms: f64,
    /// Every one-review run, ms.
    pub one_review_runs_ms: Vec<f64>,
}

fn now() -> DateTime<Utc> {
    crate::schedule::day::from_ms(1_780_000_000_000)
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn command(args: &[&str], dir: &Path, extra: &[&Path]) -> anyhow::Result<std::process::Command> {
    let mut c = std::process::Command::new(std::env::current_exe()?);
    c.arg("bench").args(args);
    for e in extra {
        c.arg(e);
    }
    c.arg("--dir").arg(dir);
    Ok(c)
}

fn child(args: &[&str], dir: &Path, extra: &[&Path]) -> anyhow::Result<()> {
    let status = command(args, dir, extra)?.status()?;
    anyhow::ensure!(status.success(), "bench child {args:?} failed");
    Ok(())
}

/// Child step: exports everything of the collection in `dir` to `folder`.
pub fn export_only(dir: &Path, folder: &Path) -> anyhow::Result<ExitCode> {
    let mut l = Learner::open(dir, now())?;
    l.wait_for_backup()?;
    crate::sync::sync(&mut l, folder, now())?;
    Ok(ExitCode::SUCCESS)
}

/// Resets this process's peak RSS to its current RSS (Linux); false where not possible.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Child step: merges `folder` into the collection in `dir` and prints a [`MergeRun`].
pub fn merge_only(dir: &Path, folder: &Path, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let mut l = Learner::open(dir, now())?;
    l.wait_for_backup()?;
    let local_reviews = l.store().read().review_totals()?.0;
    let before = peak_rss_mib();
    let peak_reset = reset_peak_rss();
    let (t, cpu) = (Instant::now(), cpu_ms());
    let o = crate::sync::sync(&mut l, folder, now())?;
    let merge_ms = t.elapsed().as_secs_f64() * 1000.0;
    let merge_cpu_ms = cpu_ms() - cpu;
    let merge_peak = peak_rss_mib();
    // Dropping the learner waits for what runs behind the sync.
    let behind = Instant::now();
    drop(l);
    let behind_ms = behind.elapsed().as_secs_f64() * 1000.0;
    let with_behind_peak = peak_rss_mib();
    anyhow::ensure!(o.problems.is_empty(), "problems: {:?}", o.problems);
    let run = MergeRun {
        local_reviews,
        merged_reviews: o.merged.reviews,
        merge_ms,
        merge_peak_rss_mib: merge_peak,
        process_peak_rss_mib: before.max(merge_peak),
        peak_reset,
        phases: o.phases,
        merge_cpu_ms,
        behind_ms,
        with_behind_peak_rss_mib: with_behind_peak,
    };
    serde_json::to_writer(&mut *out, &run)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// A fresh copy of the database in `from` (and its write-ahead log) in the empty folder `to`.
fn fresh_copy(from: &Path, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to)?;
    }
    std::fs::create_dir_all(to)?;
    let db = crate::store::DB_FILE;
    for name in [db.to_string(), format!("{db}-wal")] {
        if from.join(&name).exists() {
            std::fs::copy(from.join(&name), to.join(&name))?;
        }
    }
    Ok(())
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

    let runs = args.runs.unwrap_or(3).max(1);
    let mut merges = Vec::new();
    for i in 0..runs {
        let dir = root.join(format!("run-{i}"));
        fresh_copy(&a, &dir)?;
        let output = command(&["--sync-merge"], &dir, &[&shared])?.output()?;
        anyhow::ensure!(
            output.status.success(),
            "merge run {i} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let run: MergeRun = serde_json::from_slice(&output.stdout)?;
        let p = &run.phases;
        eprintln!(
            "merge run {i}: {:.0} ms (CPU {:.0} ms), peak {:.1} MiB (read {:.0}, backup {:.0}, \
             insert {:.0}, replay {:.0}, export {:.0} ms); then {:.0} ms behind it, peak {:.1} MiB",
            run.merge_ms,
            run.merge_cpu_ms,
            run.merge_peak_rss_mib,
            p.read_ms,
            p.backup_ms,
            p.insert_ms,
            p.replay_ms,
            p.export_ms,
            run.behind_ms,
            run.with_behind_peak_rss_mib
        );
        merges.push(run);
    }

    let last = root.join(format!("run-{}", runs - 1));
    let mut l = Learner::open(&last, now())?;
    l.wait_for_backup()?;
    let mut nothing = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        crate::sync::sync(&mut l, &shared, now())?;
        nothing.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    // One review on the peer, then: sync here and recount.
    let lib = synthetic::library(50, args.items / 50, 0);
    let mut peer = Learner::open(&b, now())?;
    peer.sync_library(&lib, now())?;
    l.sync_library(&lib, now())?;
    let mut one = Vec::new();
    for k in 0..runs {
        let later = now() + Duration::minutes(5 * (k as i64 + 1));
        if let Some(n) = peer.next_item(&StudyScope::All, &lib, later)? {
            peer.answer(&n.key, &Answer::new(Rating::Good), later)?;
        }
        crate::sync::sync(&mut peer, &shared, later)?;
        let t = Instant::now();
        crate::sync::sync(&mut l, &shared, later)?;
        std::hint::black_box(l.due_counts(&lib, later)?);
        one.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    let pick = |f: fn(&MergeRun) -> f64| median(&merges.iter().map(f).collect::<Vec<_>>());
    let report = SyncBenchReport {
        local_reviews: merges.first().map_or(0, |m| m.local_reviews),
        merged_reviews: merges.first().map_or(0, |m| m.merged_reviews),
        merge_median_ms: pick(|m| m.merge_ms),
        merge_cpu_median_ms: pick(|m| m.merge_cpu_ms),
        merge_peak_rss_median_mib: pick(|m| m.merge_peak_rss_mib),
        merge_process_peak_rss_median_mib: pick(|m| m.process_peak_rss_mib),
        behind_median_ms: pick(|m| m.behind_ms),
        with_behind_peak_rss_median_mib: pick(|m| m.with_behind_peak_rss_mib),
        merge_runs: merges.clone(),
        nothing_new_median_ms: median(&nothing),
        one_review_visible_median_ms: median(&one),
        one_review_runs_ms: one,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
