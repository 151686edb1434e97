//! Writing plans into the deck folder: every file is staged in a hidden temporary folder
//! inside the target, checked by loading it like `examdeck check`, and only then moved into
//! place. An older copy of an imported deck (same id) in the target folder is replaced, so
//! ids — and with them the learner's progress — stay the same.

use super::error::{ImportError, Result};
use super::html::MEDIA_DIR;
use super::{Plan, Progress};
use crate::deck::{DeckSource, Library, Origin};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What writing did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WriteSummary {
    /// Deck ids written.
    pub decks: Vec<String>,
    /// Files written (deck files and images).
    pub files: Vec<PathBuf>,
    /// Cards that did not exist before.
    pub added: usize,
    /// Cards whose content changed (their items are flagged "edited").
    pub changed: usize,
    /// Cards of the older copies that the new ones no longer have (their history is kept).
    pub removed: usize,
}

/// Writes `plan` into `<into>/<plan.folder>/`, comparing with `current` (the library before
/// the import) to count added, changed and removed cards.
pub fn write(plan: &Plan, into: &Path, current: &Library) -> Result<WriteSummary> {
    write_with(plan, into, current, &mut |_| {})
}

/// [`write`], reporting progress (decks written, then the check load file by file).
pub fn write_with(
    plan: &Plan,
    into: &Path,
    current: &Library,
    progress: &mut dyn FnMut(Progress),
) -> Result<WriteSummary> {
    std::fs::create_dir_all(into).map_err(ImportError::io(into))?;
    let staging = tempfile::Builder::new()
        .prefix(".import-")
        .tempdir_in(into)
        .map_err(ImportError::io(into))?;
    let stage = staging.path().join(&plan.folder);
    std::fs::create_dir_all(&stage).map_err(ImportError::io(&stage))?;
    let decks = plan.decks.len() as u64;
    for (i, d) in plan.decks.iter().enumerate() {
        progress(Progress::new("writing deck files", i as u64, decks));
        let text = d
            .to_yaml()
            .map_err(|e| ImportError::refused(&plan.source, format!("deck {}: {e}", d.id)))?;
        let file = stage.join(d.file_name());
        std::fs::write(&file, text).map_err(ImportError::io(&file))?;
    }
    if !plan.media.is_empty() {
        let dir = stage.join(MEDIA_DIR);
        std::fs::create_dir_all(&dir).map_err(ImportError::io(&dir))?;
        for (name, bytes) in &plan.media {
            // Names were made safe by `media_file_name`; check again that none leaves the folder.
            if name.contains(['/', '\\']) || name.starts_with('.') {
                continue;
            }
            let file = dir.join(name);
            std::fs::write(&file, bytes).map_err(ImportError::io(&file))?;
        }
    }
    progress(Progress::new("writing deck files", decks, decks));
    let staged = super::apply::load_reporting(
        &[DeckSource::Bundled, DeckSource::Path(stage.clone())],
        "checking the new decks",
        progress,
    );
    let errors: Vec<String> = staged
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !d.path.starts_with("bundled:"))
        .map(|d| d.to_string())
        .collect();
    if !errors.is_empty() {
        return Err(ImportError::refused(
            &plan.source,
            format!(
                "the converted decks do not load ({}); nothing was written",
                errors.join("; ")
            ),
        ));
    }
    let mut summary = WriteSummary::default();
    let mut replaced: BTreeSet<PathBuf> = BTreeSet::new();
    for d in staged.decks.iter().filter(|d| d.source == 1) {
        summary.decks.push(d.deck.id.clone());
        let old = current.deck(&d.deck.id);
        let c = d.deck.changes_from(old.map(|o| &o.deck));
        summary.added += c.added;
        summary.changed += c.changed;
        summary.removed += c.removed;
        if let Some(o) = old
            && let Origin::Disk { root, .. } = &o.origin
            && root.starts_with(into)
            && Path::new(&o.path).starts_with(into)
        {
            replaced.insert(PathBuf::from(&o.path));
        }
    }
    let dest = into.join(&plan.folder);
    // Move the previous import of this file aside, put the new one in place, then delete.
    let trash = tempfile::Builder::new()
        .prefix(".replaced-")
        .tempdir_in(into)
        .map_err(ImportError::io(into))?;
    if dest.exists() {
        std::fs::rename(&dest, trash.path().join("old")).map_err(ImportError::io(&dest))?;
    }
    if let Err(e) = std::fs::rename(&stage, &dest) {
        // Put the old copy back: a failed import changes nothing.
        let _ = std::fs::rename(trash.path().join("old"), &dest);
        return Err(ImportError::io(&dest)(e));
    }
    // Older copies of the same decks elsewhere in the folder would clash by id.
    for path in replaced {
        if !path.starts_with(&dest) && path.exists() {
            let _ = std::fs::remove_file(&path);
            if let Some(dir) = path.parent() {
                remove_if_deckless(dir, into);
            }
        }
    }
    for d in &plan.decks {
        summary.files.push(dest.join(d.file_name()));
    }
    for (name, _) in &plan.media {
        summary.files.push(dest.join(MEDIA_DIR).join(name));
    }
    Ok(summary)
}

/// Removes a folder of an earlier import (inside `into`) that no longer holds any deck file:
/// its images would only be reported as unused.
fn remove_if_deckless(dir: &Path, into: &Path) {
    if dir == into || !dir.starts_with(into) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut others = false;
    for e in entries.flatten() {
        let name = e.file_name();
        let is_media = name == MEDIA_DIR && e.file_type().is_ok_and(|t| t.is_dir());
        if !is_media {
            others = true;
        }
    }
    if !others {
        let _ = std::fs::remove_dir_all(dir.join(MEDIA_DIR));
        let _ = std::fs::remove_dir(dir);
    }
}
