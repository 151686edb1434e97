//! `examdeck import FILE…`: Anki packages and CSV/TSV files into YAML decks in the learner's
//! deck folder (or `--into DIR`), optionally with Anki's review history.

use super::{Cli, Format};
use crate::import::{self, Options, Plan};
use crate::learner::Learner;
use chrono::Utc;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `examdeck import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Files to import: .apkg, .colpkg, .csv, .tsv, .txt, or a deck pack (.zip with an
    /// examdeck-pack.yaml manifest, as `examdeck pack` and the app's "Share…" write it).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Folder to write the decks into (default: <data dir>/decks, loaded by the app).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Put every deck id under this prefix (e.g. `group` → `group/security/kms`).
    #[arg(long, value_name = "ID")]
    pub deck_prefix: Option<String>,
    /// Import Anki's review history too (always on for a .colpkg, your own collection).
    #[arg(long)]
    pub with_history: bool,
    /// Show what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs the import.
pub fn run(cli: &Cli, args: &ImportArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    if let Some(p) = &args.deck_prefix
        && !crate::deck::is_valid_deck_id(p)
    {
        anyhow::bail!(
            "--deck-prefix `{p}` is not a deck id: use lowercase a-z, 0-9 and -, with / between parts"
        );
    }
    let opts = Options {
        deck_prefix: args.deck_prefix.clone(),
        with_history: args.with_history.then_some(true),
    };
    // Deck packs are already YAML decks: they go through "Add decks…", not the converter.
    let (packs, files): (Vec<PathBuf>, Vec<PathBuf>) = args
        .files
        .iter()
        .cloned()
        .partition(|f| crate::pack::is_pack(f));
    if !packs.is_empty() {
        let data_dir = super::data_dir(cli)?;
        let into = args.into.clone().unwrap_or_else(|| data_dir.join("decks"));
        super::import_pack::run(cli, &packs, &into, args.dry_run, args.format, out)?;
        if files.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let mut plans: Vec<Plan> = Vec::new();
    for f in &files {
        plans.push(import::plan(f, &opts, &mut |_| {})?);
    }
    if args.dry_run {
        let previews: Vec<_> = plans.iter().map(Plan::preview).collect();
        match args.format {
            Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&previews)?)?,
            Format::Text => {
                for p in &previews {
                    print_preview(p, out)?;
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let data_dir = super::data_dir(cli)?;
    let into = args.into.clone().unwrap_or_else(|| data_dir.join("decks"));
    let mut sources = super::library_sources(Some(data_dir.join("decks")), &cli.decks);
    if !sources.contains(&crate::deck::DeckSource::Path(into.clone())) {
        sources.push(crate::deck::DeckSource::Path(into.clone()));
    }
    let now = Utc::now();
    let mut learner = if plans.iter().any(|p| p.with_history) {
        std::fs::create_dir_all(&data_dir)?;
        Some(Learner::open(&data_dir, now)?)
    } else {
        None
    };
    let outcome = import::apply(&plans, &into, &sources, learner.as_mut(), now, &mut |_| {})?;
    if let Some(l) = learner.as_mut() {
        l.wait_for_backup()?;
    }
    match args.format {
        Format::Json => {
            let report = serde_json::json!({
                "files": plans.iter().map(Plan::preview).collect::<Vec<_>>(),
                "written": outcome,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        }
        Format::Text => {
            for p in &plans {
                for w in &p.warnings {
                    writeln!(out, "{}: warning: {w}", p.source.display())?;
                }
            }
            for s in &outcome.files {
                for f in &s.files {
                    writeln!(out, "wrote {}", f.display())?;
                }
            }
            writeln!(out, "{outcome}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_preview(p: &import::Preview, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "{} → {}/", p.file, p.folder)?;
    for d in &p.decks {
        let kinds: Vec<String> = d.cards.iter().map(|(k, n)| format!("{n} {k}")).collect();
        writeln!(
            out,
            "  {}  \"{}\"  {} ({} review items)",
            d.id,
            d.title,
            kinds.join(", "),
            d.items
        )?;
    }
    writeln!(out, "  images: {}", p.media)?;
    if p.with_history {
        writeln!(
            out,
            "  history: {} answers imported, {} manual reschedules skipped",
            p.history_answers, p.history_skipped
        )?;
    } else if p.history_in_package > 0 {
        writeln!(
            out,
            "  history: {} review-log rows not imported (use --with-history)",
            p.history_in_package
        )?;
    }
    for w in &p.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}
