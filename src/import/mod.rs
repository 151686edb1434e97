//! Importing flashcards from elsewhere: Anki packages (`.apkg`, `.colpkg`) and CSV/TSV
//! (Anki's note export, Quizlet, plain `prompt,answer[,tags]`) become YAML deck files in the
//! learner's deck folder, with images, and optionally Anki's review history.
//!
//! Two steps, so the app can show a preview and ask: [`plan`] reads a file and converts it
//! in memory (writing nothing), [`write`] stages the deck files and moves them into place.
//! History goes to the learner (`Learner::import_history`) once the decks are loaded.

pub mod anki;
mod apply;
pub mod csv;
pub mod error;
pub mod history;
pub mod html;
mod write;
pub mod yaml_out;

pub use apply::{Outcome, apply};
pub use error::{ImportError, Result};
pub use write::{WriteSummary, write, write_with};

use crate::deck::ItemKey;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yaml_out::{DeckOut, Kind};

/// File extensions this module imports (lowercase).
pub const EXTENSIONS: [&str; 5] = ["apkg", "colpkg", "csv", "tsv", "txt"];

/// True if `path` has an extension this module imports.
pub fn is_importable(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// How far a long import has come.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// What is being done.
    pub stage: &'static str,
    /// Units done.
    pub done: u64,
    /// Units in all (0 when unknown).
    pub total: u64,
}

impl Progress {
    /// A progress report.
    pub fn new(stage: &'static str, done: u64, total: u64) -> Progress {
        Progress { stage, done, total }
    }

    /// Done as a fraction 0–1 (0 when the total is unknown).
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f32 / self.total as f32).clamp(0.0, 1.0)
        }
    }
}

/// Choices for an import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// Put every deck id under this prefix (`group` → `group/a/b`).
    pub deck_prefix: Option<String>,
    /// Import the review history (None: only for a `.colpkg`, the learner's own collection).
    pub with_history: Option<bool>,
}

/// One file read and converted, nothing written yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The file.
    pub source: PathBuf,
    /// Folder (inside the deck folder) the decks go into.
    pub folder: String,
    /// The decks, sorted by id.
    pub decks: Vec<DeckOut>,
    /// Images: (file name in `media/`, bytes).
    pub media: Vec<(String, Vec<u8>)>,
    /// What was dropped or guessed.
    pub warnings: Vec<String>,
    /// Whether the history will be imported.
    pub with_history: bool,
    /// Review-log rows in the file (read or not).
    pub history_in_package: u64,
    /// The history mapped to our items (empty unless `with_history`).
    pub history: history::History,
}

/// A deck in a preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckPreview {
    /// Deck id.
    pub id: String,
    /// Title.
    pub title: String,
    /// File written.
    pub file: String,
    /// Cards by kind (`basic`, `cloze`).
    pub cards: BTreeMap<&'static str, usize>,
    /// Review items (a cloze card makes one per deletion).
    pub items: usize,
}

/// What a plan would do, for the preview and `--dry-run --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    /// The file.
    pub file: String,
    /// The folder written.
    pub folder: String,
    /// Decks.
    pub decks: Vec<DeckPreview>,
    /// Images copied.
    pub media: usize,
    /// Warnings.
    pub warnings: Vec<String>,
    /// Whether history is imported.
    pub with_history: bool,
    /// Review-log rows in the file.
    pub history_in_package: u64,
    /// Answers that will be imported.
    pub history_answers: usize,
    /// Rows skipped (manual reschedules).
    pub history_skipped: usize,
}

impl Plan {
    /// The preview of this plan.
    pub fn preview(&self) -> Preview {
        Preview {
            file: self.source.display().to_string(),
            folder: self.folder.clone(),
            decks: self
                .decks
                .iter()
                .map(|d| {
                    let mut cards = BTreeMap::new();
                    for c in &d.cards {
                        *cards.entry(c.kind.name()).or_insert(0) += 1;
                    }
                    DeckPreview {
                        id: d.id.clone(),
                        title: d.title.clone(),
                        file: d.file_name(),
                        cards,
                        items: d.cards.iter().map(|c| c.item_count()).sum(),
                    }
                })
                .collect(),
            media: self.media.len(),
            warnings: self.warnings.clone(),
            with_history: self.with_history,
            history_in_package: self.history_in_package,
            history_answers: self.history.reviews.len(),
            history_skipped: self.history.skipped_manual,
        }
    }

    /// Cards of one kind in all decks.
    pub fn count(&self, kind: Kind) -> usize {
        self.decks
            .iter()
            .flat_map(|d| &d.cards)
            .filter(|c| c.kind == kind)
            .count()
    }

    /// Review items the history names.
    pub fn history_items(&self) -> std::collections::BTreeSet<&ItemKey> {
        self.history.reviews.iter().map(|r| &r.key).collect()
    }
}

/// Reads `path` (by its extension) and converts it, writing nothing.
pub fn plan(path: &Path, opts: &Options, progress: &mut dyn FnMut(Progress)) -> Result<Plan> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut plan = match ext.as_str() {
        "apkg" | "colpkg" => anki::plan(path, opts, progress)?,
        "csv" | "tsv" | "txt" => csv::plan(path, opts)?,
        _ => return Err(ImportError::UnknownType(path.to_path_buf())),
    };
    split_large_decks(&mut plan);
    progress(Progress::new("converted", 1, 1));
    Ok(plan)
}

/// The folder name for a file: its stem, made safe.
pub fn folder_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let s = anki::convert::slug(&stem);
    if s == "deck" && stem.is_empty() {
        "imported".into()
    } else {
        s
    }
}

/// Decks above the loader's card limit are split into parts (`id`, `id-part-2`, …); the
/// history follows its cards.
fn split_large_decks(plan: &mut Plan) {
    let max = crate::deck::reader::MAX_CARDS_PER_DECK;
    let mut extra = Vec::new();
    let mut moved: std::collections::HashMap<(String, String), String> = Default::default();
    for d in plan.decks.iter_mut() {
        if d.cards.len() <= max {
            continue;
        }
        let rest = d.cards.split_off(max);
        for (i, chunk) in rest.chunks(max).enumerate() {
            let id = format!("{}-part-{}", d.id, i + 2);
            for c in chunk {
                moved.insert((d.id.clone(), c.id.clone()), id.clone());
            }
            extra.push(DeckOut {
                id,
                title: format!("{} (part {})", d.title, i + 2),
                cards: chunk.to_vec(),
                ..d.clone()
            });
        }
    }
    if extra.is_empty() {
        return;
    }
    plan.warnings.push(format!(
        "{} deck part(s) made: a deck file holds at most {max} cards",
        extra.len()
    ));
    plan.decks.extend(extra);
    plan.decks.sort_by(|a, b| a.id.cmp(&b.id));
    for r in &mut plan.history.reviews {
        if let Some(id) = moved.get(&(r.key.deck.clone(), r.key.card.clone())) {
            r.key.deck = id.clone();
        }
    }
}
