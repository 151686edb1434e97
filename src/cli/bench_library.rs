//! `examdeck bench --library DIR`: start-up and study figures on a realistic library — 50
//! deck files, 50,000 cards as long as the bundled ones (~57 MB of YAML, `bench_gen.rs`) and
//! a data folder with 200,000 reviews, generated into DIR when absent.
//!
//! Printed (text or `--format json`): the first load with no cache on all cores; the YAML
//! scanner's own time over the same bytes (granit-parser events only, one thread and all);
//! the warm start — process start → first due card of a child process opening the app's core
//! as the window does, wall time measured here, median of `--runs`, page cache warm — and
//! that child's peak RSS; a one-file reload (one 1,000-card file rewritten, through
//! `AppCore::reload` as the app's watcher does); the study loop (`next_item` + durable
//! `answer`); due counts.

use super::bench::{BenchArgs, bench_now, generate_for, ms, peak_rss_mib, percentile};
use super::bench_gen::{deck_file_name, deck_yaml, write_library};
use super::bench_loop::{lift_limits, study_loop, study_loop_only};
use crate::app::core::{AppCore, OpenOptions};
use crate::deck::library::LoadOptions;
use crate::deck::{DeckSource, Library};
use crate::learner::StudyScope;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const FILES: usize = 50;
const CARDS: usize = 1_000;
/// The deck file rewritten by the reload measure.
const RELOADED: usize = 7;

/// What the warm-start child prints.
#[derive(Debug, Serialize, Deserialize)]
pub struct WarmStart {
    /// `AppCore::open_with` as the window calls it (learner, library, sync; the counts and
    /// forecasts come after the first frame), ms.
    pub open_ms: f64,
    /// The first `next_item`, ms.
    pub first_card_ms: f64,
    /// Peak resident memory at the first card (VmHWM), MiB.
    pub peak_rss_mib: f64,
    /// A due card was found.
    pub found: bool,
    /// The open's phases (`AppCore::phases`), ms.
    #[serde(default)]
    pub phases: Vec<(String, f64)>,
}

/// The figures.
#[derive(Debug, Serialize)]
pub struct LibraryReport {
    /// Deck files.
    pub files: usize,
    /// Cards in them.
    pub cards: usize,
    /// Bytes of YAML.
    pub yaml_bytes: u64,
    /// Reviews in the data folder.
    pub reviews: u64,
    /// Threads the loader and the scanner use.
    pub threads: usize,
    /// `Library::load_with` with no cache, all cores: median of 3, ms.
    pub first_load_ms: f64,
    /// granit-parser events over the same bytes (already in memory), one thread, ms.
    pub scanner_1_thread_ms: f64,
    /// The same on all threads (files split as the loader splits them), ms.
    pub scanner_all_threads_ms: f64,
    /// `first_load_ms / scanner_all_threads_ms` (the first-load ratio).
    pub first_load_over_scanner: f64,
    /// Process start → first due card (child process, parent's wall clock): median, ms.
    pub warm_start_ms: f64,
    /// The child's own open time (median), ms.
    pub warm_open_ms: f64,
    /// The child's first `next_item` (median), ms.
    pub warm_first_card_ms: f64,
    /// Highest peak RSS of the warm-start children, MiB.
    pub warm_peak_rss_mib: f64,
    /// The children's open phases (medians), ms.
    pub warm_open_phases: Vec<(String, f64)>,
    /// The one-file reload's phases, ms.
    pub reload_phases: Vec<(String, f64)>,
    /// One 1,000-card file rewritten: `AppCore::reload` until library and counts show it, ms.
    pub reload_one_file_ms: f64,
    /// `next_item` median over the study loop, ms.
    pub next_item_median_ms: f64,
    /// `answer` (durable) median, ms.
    pub answer_median_ms: f64,
    /// `next_item` + `answer` median (per answer), ms.
    pub study_loop_median_ms: f64,
    /// Answers timed.
    pub answers: usize,
    /// `due_counts` of every deck: median of 30, ms.
    pub due_counts_median_ms: f64,
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

fn decks_dir(root: &Path) -> PathBuf {
    root.join("decks")
}

pub(super) fn data_dir(root: &Path) -> PathBuf {
    root.join("data")
}

/// Opens the core as the window does (counts and forecasts wait for the first frame).
pub(super) fn open_core(root: &Path, data: PathBuf) -> anyhow::Result<AppCore> {
    AppCore::open_with(
        data,
        &[decks_dir(root)],
        bench_now(),
        &OpenOptions {
            defer_counts: true,
            ..OpenOptions::default()
        },
    )
}

/// Child step: open the core as the window does, find the first due card, print figures.
fn warm_start_child(root: &Path, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let t = Instant::now();
    let mut core = open_core(root, data_dir(root))?;
    let open_ms = ms(t);
    let t = Instant::now();
    let first = core
        .learner
        .next_item(&StudyScope::All, &core.library, bench_now())?;
    let report = WarmStart {
        open_ms,
        first_card_ms: ms(t),
        peak_rss_mib: peak_rss_mib(),
        found: first.is_some(),
        phases: core
            .phases
            .iter()
            .map(|(n, ms)| (n.to_string(), *ms))
            .collect(),
    };
    serde_json::to_writer(&mut *out, &report)?;
    writeln!(out)?;
    out.flush()?;
    // What the window would compute in the frame after: timed here, after the first card.
    let t = Instant::now();
    core.refresh_stale_at(bench_now(), true)?;
    eprintln!("after the first frame: {:.1} ms", ms(t));
    Ok(ExitCode::SUCCESS)
}

/// Generates what is missing: the deck files, then the data folder with its reviews.
fn prepare(root: &Path, reviews: usize) -> anyhow::Result<()> {
    let decks = decks_dir(root);
    if !decks.join(deck_file_name(FILES - 1)).exists() {
        let t = Instant::now();
        let bytes = write_library(&decks, FILES, CARDS)?;
        eprintln!(
            "wrote {FILES} deck files ({:.1} MB) in {:.1} s",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
    }
    let data = data_dir(root);
    if !data.join(crate::store::DB_FILE).exists() {
        let t = Instant::now();
        let lib = Library::load(&[DeckSource::Path(decks)]);
        generate_for(&lib, &data, reviews)?;
        eprintln!(
            "generated {reviews} reviews in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn read_texts(dir: &Path) -> anyhow::Result<Vec<String>> {
    (0..FILES)
        .map(|f| Ok(std::fs::read_to_string(dir.join(deck_file_name(f)))?))
        .collect()
}

/// Events of granit-parser over `text`, with the loader's options (what every YAML load
/// costs at least).
fn scan(text: &str) -> usize {
    let options = granit_parser::options! {
        emit_comments: false,
    };
    granit_parser::Parser::new_from_str_with_options(text, options)
        .take_while(Result::is_ok)
        .count()
}

fn scan_all(texts: &[String], threads: usize) -> usize {
    let chunk = texts.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|t| scan(t)).sum::<usize>()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}

fn median_of(n: usize, mut f: impl FnMut() -> anyhow::Result<f64>) -> anyhow::Result<f64> {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(f()?);
    }
    Ok(percentile(&mut v, 0.5))
}

/// Spawns a warm-start child; the wall time runs from the spawn to the arrival of the line the
/// child prints at its first due card (its exit — freeing the library, closing the database —
/// is not part of the start).
fn warm_start(root: &Path) -> anyhow::Result<(f64, WarmStart)> {
    use std::io::BufRead;
    let exe = std::env::current_exe()?;
    let t = Instant::now();
    let mut child = std::process::Command::new(exe)
        .args(["bench", "--warm-start-child", "--library"])
        .arg(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    if let Some(stdout) = child.stdout.take() {
        std::io::BufReader::new(stdout).read_line(&mut line)?;
    }
    let wall = ms(t);
    let output = child.wait_with_output()?;
    anyhow::ensure!(
        output.status.success() && !line.is_empty(),
        "warm-start child failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok((wall, serde_json::from_str(&line)?))
}

/// Copies the database (and its WAL, if any) of `from` into `to`.
pub(super) fn copy_data(from: &Path, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to)?;
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(crate::store::DB_FILE) && entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(&name))?;
            // Written back now, so that the timed answers' fsyncs do not also wait for the
            // copy's dirty pages.
            std::fs::File::open(to.join(&name))?.sync_all()?;
        }
    }
    Ok(())
}

/// Median of each phase over the warm-start children (phases as the first child names them).
fn median_phases(starts: &[WarmStart]) -> Vec<(String, f64)> {
    let Some(first) = starts.first() else {
        return Vec::new();
    };
    first
        .phases
        .iter()
        .map(|(name, _)| {
            let mut v: Vec<f64> = starts
                .iter()
                .filter_map(|s| s.phases.iter().find(|(n, _)| n == name).map(|p| p.1))
                .collect();
            (name.clone(), percentile(&mut v, 0.5))
        })
        .collect()
}

fn phase_text(phases: &[(String, f64)]) -> String {
    let parts: Vec<String> = phases
        .iter()
        .map(|(n, ms)| format!("{n} {ms:.1}"))
        .collect();
    parts.join(", ")
}

/// Runs the library benchmark.
pub fn run(args: &BenchArgs, root: &Path, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    if args.warm_start_child {
        return warm_start_child(root, out);
    }
    prepare(root, args.reviews)?;
    if args.study_loop_only {
        return study_loop_only(args, root, out);
    }
    let decks = decks_dir(root);
    let threads = threads();
    let texts = read_texts(&decks)?;
    let yaml_bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();

    // First load with no cache (page cache warm: the files were just read).
    let mut cards = 0;
    let first_load_ms = median_of(3, || {
        let t = Instant::now();
        let lib = Library::load_with(&[DeckSource::Path(decks.clone())], &LoadOptions::default());
        let took = ms(t);
        cards = lib.cards().count();
        Ok(took)
    })?;
    let scanner_1_thread_ms = median_of(3, || {
        let t = Instant::now();
        std::hint::black_box(scan_all(&texts, 1));
        Ok(ms(t))
    })?;
    let scanner_all_threads_ms = median_of(3, || {
        let t = Instant::now();
        std::hint::black_box(scan_all(&texts, threads));
        Ok(ms(t))
    })?;
    drop(texts);

    // Warm start: one untimed run (takes the day's backup, registers the bundled cards,
    // warms the page cache), then the timed ones.
    warm_start(root)?;
    let mut walls = Vec::new();
    let mut starts = Vec::new();
    for _ in 0..args.runs.unwrap_or(5).max(1) {
        let (wall, figures) = warm_start(root)?;
        anyhow::ensure!(figures.found, "no due card in the generated data folder");
        walls.push(wall);
        starts.push(figures);
    }
    let mut opens: Vec<f64> = starts.iter().map(|s| s.open_ms).collect();
    let mut firsts: Vec<f64> = starts.iter().map(|s| s.first_card_ms).collect();
    let warm_peak_rss_mib = starts.iter().map(|s| s.peak_rss_mib).fold(0.0, f64::max);
    let warm_open_phases = median_phases(&starts);

    // The rest runs on a scratch copy of the data folder: answers are written.
    let scratch = root.join("scratch");
    copy_data(&data_dir(root), &scratch)?;
    let mut core = open_core(root, scratch)?;
    let now = bench_now();
    core.refresh_stale_at(now, true)?;

    // One-file reload: the file loses its last card; the counts must show it.
    let deck_id = format!("bench/deck-{RELOADED:02}");
    let before = core.counts_of(&deck_id).map(|c| c.total);
    let file = decks.join(deck_file_name(RELOADED));
    let original = std::fs::read(&file)?;
    std::fs::write(&file, deck_yaml(RELOADED, CARDS - 1)?)?;
    let t = Instant::now();
    let reloaded = core.reload(now);
    let reload_one_file_ms = ms(t);
    let reload_phases: Vec<(String, f64)> = core
        .phases
        .iter()
        .map(|(n, ms)| (n.to_string(), *ms))
        .collect();
    let after = core.counts_of(&deck_id).map(|c| c.total);
    std::fs::write(&file, &original)?;
    reloaded?;
    anyhow::ensure!(
        after < before,
        "the reload did not show the edited file ({before:?} → {after:?} items in {deck_id})"
    );
    core.reload(now)?;

    lift_limits(&mut core.learner)?;
    let mut times = study_loop(&mut core.learner, &core.library, now, args.answers)?;
    let t_now = times.end;
    let due_counts_median_ms = median_of(30, || {
        let t = Instant::now();
        std::hint::black_box(core.learner.due_counts(&core.library, t_now)?);
        Ok(ms(t))
    })?;
    let reviews = core.learner.store().read().review_totals()?.0;

    let warm_start_ms = percentile(&mut walls, 0.5);
    let report = LibraryReport {
        files: FILES,
        cards,
        yaml_bytes,
        reviews,
        threads,
        first_load_ms,
        scanner_1_thread_ms,
        scanner_all_threads_ms,
        first_load_over_scanner: first_load_ms / scanner_all_threads_ms.max(f64::EPSILON),
        warm_start_ms,
        warm_open_ms: percentile(&mut opens, 0.5),
        warm_first_card_ms: percentile(&mut firsts, 0.5),
        warm_peak_rss_mib,
        warm_open_phases,
        reload_phases,
        reload_one_file_ms,
        next_item_median_ms: percentile(&mut times.next_item_ms, 0.5),
        answer_median_ms: percentile(&mut times.answer_ms, 0.5),
        study_loop_median_ms: percentile(&mut times.study_loop_ms, 0.5),
        answers: times.study_loop_ms.len(),
        due_counts_median_ms,
    };
    match args.format {
        super::Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        super::Format::Text => print_text(&report, out)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(r: &LibraryReport, out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "library: {} files, {} cards, {:.1} MB of YAML; {} reviews; {} threads",
        r.files,
        r.cards,
        r.yaml_bytes as f64 / 1e6,
        r.reviews,
        r.threads
    )?;
    writeln!(
        out,
        "first load, no cache:        {:9.1} ms",
        r.first_load_ms
    )?;
    writeln!(
        out,
        "YAML scanner alone:          {:9.1} ms on 1 thread, {:.1} ms on {} (first load / scanner = {:.2})",
        r.scanner_1_thread_ms, r.scanner_all_threads_ms, r.threads, r.first_load_over_scanner
    )?;
    writeln!(
        out,
        "warm start → first due card: {:9.1} ms (child: open {:.1} ms + first card {:.2} ms), peak RSS {:.1} MiB",
        r.warm_start_ms, r.warm_open_ms, r.warm_first_card_ms, r.warm_peak_rss_mib
    )?;
    writeln!(
        out,
        "  open phases (ms):          {}",
        phase_text(&r.warm_open_phases)
    )?;
    writeln!(
        out,
        "one-file reload (1,000 cards): {:7.1} ms",
        r.reload_one_file_ms
    )?;
    writeln!(
        out,
        "  reload phases (ms):        {}",
        phase_text(&r.reload_phases)
    )?;
    writeln!(
        out,
        "study loop:                  {:9.3} ms (next_item {:.3} + answer {:.3}; medians of {})",
        r.study_loop_median_ms, r.next_item_median_ms, r.answer_median_ms, r.answers
    )?;
    writeln!(
        out,
        "due counts, every deck:      {:9.2} ms",
        r.due_counts_median_ms
    )?;
    Ok(())
}
