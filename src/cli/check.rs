//! `examdeck check`: the authors' validator.

use super::Format;
use crate::deck::{DeckSource, Library, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `examdeck check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Deck files or folders to check (default: every deck the app loads — bundled, your
    /// own, `--decks`, the folders saved in Settings and the sync folder's `decks/`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// What `check` found, as printed by `--format json`.
#[derive(Debug, Serialize)]
pub struct CheckReport<'a> {
    /// Every problem.
    pub diagnostics: &'a [crate::deck::Diagnostic],
    /// Counts.
    pub summary: Summary,
}

/// Counts of what was checked.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Deck and exam files read.
    pub files: usize,
    /// Decks loaded.
    pub decks: usize,
    /// Exam blueprints loaded.
    pub exams: usize,
    /// Cards loaded.
    pub cards: usize,
    /// Review items (cloze deletions count separately).
    pub items: usize,
    /// Cards per kind.
    pub by_kind: BTreeMap<String, usize>,
    /// Cards per domain (`exam/domain`, or `(none)`).
    pub by_domain: BTreeMap<String, usize>,
    /// Errors found.
    pub errors: usize,
    /// Warnings found.
    pub warnings: usize,
}

/// Counts a library's content.
pub fn summarize(lib: &Library) -> Summary {
    let mut s = Summary {
        files: lib.files_read,
        decks: lib.decks.len(),
        exams: lib.exams.len(),
        errors: lib.error_count(),
        warnings: lib.warning_count(),
        ..Summary::default()
    };
    for (deck, card) in lib.cards() {
        s.cards += 1;
        s.items += card.ordinals().len();
        *s.by_kind
            .entry(card.body.kind_name().to_string())
            .or_default() += 1;
        let dom = match (&deck.exam, &card.domain) {
            (Some(e), Some(d)) => format!("{e}/{d}"),
            _ => "(none)".to_string(),
        };
        *s.by_domain.entry(dom).or_default() += 1;
    }
    s
}

/// Runs the check and writes its report to `out`; without paths it checks `app_sources`
/// (what the app loads).
pub fn run(
    args: &CheckArgs,
    app_sources: &[DeckSource],
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    // A deck pack is checked like a folder once its manifest matches its files.
    let unpacked = crate::pack::unpack_for_check(&args.paths)?;
    let sources: Vec<DeckSource> = if args.paths.is_empty() {
        app_sources.to_vec()
    } else {
        // Blueprints are looked up in the bundled content too, so a study group's deck may
        // serve a bundled exam without copying its blueprint.
        let mut v = vec![DeckSource::Bundled];
        v.extend(unpacked.paths.iter().cloned().map(DeckSource::Path));
        v
    };
    let lib = Library::load(&sources);
    // The content linter's warnings join the reader's, each named by its rule.
    let mut all = lib.diagnostics.clone();
    all.extend(crate::deck::lint::lint_library(&lib));
    for d in &mut all {
        d.path = unpacked.rename(&d.path);
    }
    crate::deck::diagnostics::sort(&mut all);
    let shown: Vec<_> = if args.paths.is_empty() {
        all
    } else {
        // Only report on what the user asked about (bundled content is checked by its own tests).
        all.into_iter()
            .filter(|d| !d.path.starts_with("bundled:"))
            .collect()
    };
    let mut summary = summarize(&lib);
    if !args.paths.is_empty() {
        let asked: Library = Library {
            decks: lib.decks.iter().filter(|d| d.source > 0).cloned().collect(),
            ..Library::default()
        };
        let sub = summarize(&asked);
        summary.decks = sub.decks;
        summary.cards = sub.cards;
        summary.items = sub.items;
        summary.by_kind = sub.by_kind;
        summary.by_domain = sub.by_domain;
        summary.files = lib
            .files_read
            .saturating_sub(crate::deck::library::bundled_file_count());
        summary.exams = lib.exam_sources.values().filter(|s| **s > 0).count();
    }
    summary.errors = shown
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    summary.warnings = shown.len() - summary.errors;
    match args.format {
        Format::Json => {
            let report = CheckReport {
                diagnostics: &shown,
                summary,
            };
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
            return Ok(exit_code(&report.summary, args.deny_warnings));
        }
        Format::Text => {
            for d in &shown {
                writeln!(out, "{d}")?;
            }
            if !shown.is_empty() {
                writeln!(out)?;
            }
            write_summary(&summary, out)?;
        }
    }
    Ok(exit_code(&summary, args.deny_warnings))
}

fn exit_code(s: &Summary, deny_warnings: bool) -> ExitCode {
    if s.errors > 0 || (deny_warnings && s.warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn write_summary(s: &Summary, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "checked {} files: {} decks, {} cards ({} review items), {} exam blueprints",
        s.files, s.decks, s.cards, s.items, s.exams
    )?;
    if !s.by_kind.is_empty() {
        let kinds: Vec<String> = s.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(out, "  by kind:   {}", kinds.join(", "))?;
        let doms: Vec<String> = s
            .by_domain
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(out, "  by domain: {}", doms.join(", "))?;
    }
    writeln!(
        out,
        "{} {}, {} {}",
        s.errors,
        plural(s.errors, "error"),
        s.warnings,
        plural(s.warnings, "warning")
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
