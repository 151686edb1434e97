//! `examdeck import FILE.zip` for deck packs: the manifest and what is new, changed or removed
//! against the installed decks (`--dry-run`), or the pack added to the learner's deck folder
//! through the same path as the app's "Add decks…", keeping progress by card id.

use super::{Cli, Format};
use crate::deck::Library;
use crate::pack::{self, DeckChange, Manifest};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Previews or imports each pack in `packs` into `into`.
pub fn run(
    cli: &Cli,
    packs: &[PathBuf],
    into: &Path,
    dry_run: bool,
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let data_dir = super::data_dir(cli)?;
    let mut sources = super::library_sources(Some(data_dir.join("decks")), &cli.decks);
    let target = crate::deck::DeckSource::Path(into.to_path_buf());
    if !sources.contains(&target) {
        sources.push(target);
    }
    let mut reports = Vec::new();
    for path in packs {
        let current = Library::load(&sources);
        let opened = pack::open_pack(path)?;
        let diff = opened.preview(&current)?;
        let summary = if dry_run {
            None
        } else {
            std::fs::create_dir_all(into)?;
            Some(pack::import_pack(path, into, &current)?.1)
        };
        if format == Format::Text {
            print_pack(path, &opened.manifest, &diff.decks, out)?;
            for p in &diff.problems {
                writeln!(out, "{p}")?;
            }
            if let Some(s) = &summary {
                writeln!(out, "{s}")?;
            }
        }
        reports.push(serde_json::json!({
            "pack": path.display().to_string(),
            "title": opened.manifest.title,
            "version": opened.manifest.version,
            "authors": opened.manifest.authors,
            "license": opened.manifest.license,
            "made_by": opened.manifest.app_version,
            "decks": diff.decks.iter().map(|d| serde_json::json!({
                "id": d.id, "title": d.title, "new": d.new,
                "added": d.added, "changed": d.changed, "removed": d.removed,
            })).collect::<Vec<_>>(),
            "problems": diff.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "imported": summary.as_ref().map(|s| s.decks.clone()),
        }));
    }
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?;
    }
    Ok(())
}

fn print_pack(
    path: &Path,
    m: &Manifest,
    decks: &[DeckChange],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let version = m
        .version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    let authors = if m.authors.is_empty() {
        String::new()
    } else {
        format!(" by {}", m.authors.join(", "))
    };
    let license = m
        .license
        .as_deref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    writeln!(
        out,
        "{}: deck pack “{}”{version}{authors}{license}, made by examdeck {}",
        path.display(),
        m.title,
        m.app_version
    )?;
    for d in decks {
        if d.new {
            writeln!(out, "  new      {} — {} ({} cards)", d.id, d.title, d.added)?;
        } else {
            writeln!(
                out,
                "  update   {} — {}: {} added, {} changed, {} removed",
                d.id, d.title, d.added, d.changed, d.removed
            )?;
        }
    }
    Ok(())
}
