//! A library: every deck and exam blueprint from any number of folders, bundled content first.
//!
//! One broken file never stops the others: its problems become diagnostics and loading goes on.

mod build;
mod checks;
mod files;
mod resolve;

use super::assets::{self, AssetError};
use super::diagnostics::Diagnostic;
use super::model::{Card, Deck, ExamBlueprint, ItemKey};
use super::safe_read::{self, ReadError};
use build::build;
use files::{is_yaml, rel_string};
use include_dir::{Dir, include_dir};
use resolve::MemoEntry;
pub use resolve::{LoadStats, bundled_results, compile_bundled};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The content shipped inside the binary, so an installed app works from any folder.
pub static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// Largest deck or exam file read.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Most files read from one folder tree.
pub const MAX_FILES_PER_SOURCE: usize = 10_000;
/// Deepest folder nesting searched.
pub const MAX_FOLDER_DEPTH: usize = 16;

/// Where decks come from. Later sources override earlier ones (a user's deck with a bundled
/// deck's id replaces it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckSource {
    /// The content compiled into the app.
    Bundled,
    /// A folder (searched recursively) or a single deck/exam file.
    Path(PathBuf),
}

/// Where a loaded deck's file lives, for resolving its images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Inside the bundled content: folder of the deck file, relative to the content root.
    Bundled {
        /// Deck file's folder, `/`-separated, "" for the root.
        dir: String,
    },
    /// On disk.
    Disk {
        /// The folder that was loaded (images must stay inside it).
        root: PathBuf,
        /// The deck file's folder.
        dir: PathBuf,
    },
}

/// A deck with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedDeck {
    /// The deck.
    pub deck: Deck,
    /// The file as shown in messages.
    pub path: String,
    /// Where its images are resolved.
    pub origin: Origin,
    /// Index into the sources it was loaded from.
    pub source: usize,
}

/// Everything loaded from a set of sources.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Decks, sorted by id.
    pub decks: Vec<LoadedDeck>,
    /// Exam blueprints, sorted by id.
    pub exams: Vec<ExamBlueprint>,
    /// Every problem found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many deck and exam files were read.
    pub files_read: usize,
    /// Index of the source each exam blueprint (by id) was loaded from.
    pub exam_sources: std::collections::BTreeMap<String, usize>,
    /// How the last load obtained its files (memory, compiled, cache, parsed).
    pub stats: LoadStats,
    /// Each file's result, kept so that [`Library::reload`] reads only what changed.
    pub memo: LoadMemo,
}

/// The per-file results of a load, for the next [`Library::reload`]. Decks that are in the
/// library are not held twice: a reload takes them back from it.
#[derive(Clone, Default)]
pub struct LoadMemo {
    files: HashMap<String, MemoEntry>,
    /// What each image's check said, with the image file's stat.
    images: checks::ImageMemo,
}

impl std::fmt::Debug for LoadMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoadMemo({} files)", self.files.len())
    }
}

/// How far a library load has come, for a start-up screen ("Reading decks 23/50").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadProgress {
    /// Deck and exam files read so far.
    pub files_done: usize,
    /// Deck and exam files found.
    pub files_total: usize,
}

/// How to load a library.
#[derive(Default)]
pub struct LoadOptions<'a> {
    /// Folder of the compiled library cache (`<data dir>/cache`); `None` reads every file.
    pub cache_dir: Option<&'a Path>,
    /// Called from any thread as files are read.
    pub progress: Option<&'a (dyn Fn(LoadProgress) + Sync)>,
}

impl Library {
    /// Loads every source; never fails, problems are in [`Library::diagnostics`].
    pub fn load(sources: &[DeckSource]) -> Library {
        Library::load_with(sources, &LoadOptions::default())
    }

    /// [`Library::load`] with a cache and progress reports.
    pub fn load_with(sources: &[DeckSource], opts: &LoadOptions) -> Library {
        build(sources, opts, LoadMemo::default(), HashMap::new())
    }

    /// Loads the sources again after files changed: a file whose stat is unchanged is taken
    /// from this library (neither read nor decoded), a changed one from the cache or parsed.
    /// The result is the same as a fresh [`Library::load_with`].
    pub fn reload(&mut self, sources: &[DeckSource], opts: &LoadOptions) {
        let memo = std::mem::take(&mut self.memo);
        let old: HashMap<String, Deck> = std::mem::take(&mut self.decks)
            .into_iter()
            .map(|d| (d.path, d.deck))
            .collect();
        *self = build(sources, opts, memo, old);
    }

    /// The deck with this id.
    pub fn deck(&self, id: &str) -> Option<&LoadedDeck> {
        self.decks
            .binary_search_by(|d| d.deck.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.decks[i])
    }

    /// The exam blueprint with this id.
    pub fn exam(&self, id: &str) -> Option<&ExamBlueprint> {
        self.exams.iter().find(|e| e.id == id)
    }

    /// Number of errors among the diagnostics.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings among the diagnostics.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// Puts every card's text in memory: decks taken from the library cache hold only what
    /// the queue, counts and grading need until a card is shown (see [`Deck::full_card`]).
    pub fn load_texts(&mut self) {
        for d in &mut self.decks {
            d.deck.load_texts();
        }
    }

    /// How many cards the decks hold (without decoding cards taken from the cache).
    pub fn card_count(&self) -> usize {
        self.decks.iter().map(|d| d.deck.cards.len()).sum()
    }

    /// Every card with its deck, in deck then file order (from the library cache, without
    /// their text: see [`Deck::full_card`]).
    pub fn cards(&self) -> impl Iterator<Item = (&Deck, &Card)> {
        self.decks
            .iter()
            .flat_map(|d| d.deck.cards.iter().map(move |c| (&d.deck, c)))
    }

    /// Every review item (a card, or one cloze deletion) with its card.
    pub fn items(&self) -> impl Iterator<Item = (ItemKey, &Deck, &Card)> {
        self.cards().flat_map(|(d, c)| {
            c.ordinals().into_iter().map(move |ord| {
                (
                    ItemKey {
                        deck: d.id.clone(),
                        card: c.id.clone(),
                        ord,
                    },
                    d,
                    c,
                )
            })
        })
    }

    /// Reads an image a deck refers to, refusing anything outside the deck's folder tree.
    pub fn read_asset(&self, deck_id: &str, url: &str) -> Result<Vec<u8>, AssetError> {
        let missing = || AssetError::Missing(url.to_string());
        let loaded = self.deck(deck_id).ok_or_else(missing)?;
        match &loaded.origin {
            Origin::Bundled { dir } => {
                let rel = assets::clean_relative(url)?;
                let full = if dir.is_empty() {
                    rel
                } else {
                    format!("{dir}/{rel}")
                };
                BUNDLED
                    .get_file(&full)
                    .map(|f| f.contents().to_vec())
                    .ok_or_else(missing)
            }
            Origin::Disk { root, dir } => {
                let path = assets::resolve_on_disk(root, dir, url)?;
                // Bounded while reading: the file may have grown or been swapped since.
                safe_read::read_regular(&path, Some(root), assets::MAX_ASSET_BYTES).map_err(|e| {
                    match e {
                        ReadError::TooLarge(_) => AssetError::TooLarge(url.to_string()),
                        ReadError::Outside => AssetError::Escapes(url.to_string()),
                        _ => missing(),
                    }
                })
            }
        }
    }
}

/// Number of deck and exam files in the bundled content.
pub fn bundled_file_count() -> usize {
    let mut n = 0;
    let mut stack = vec![&BUNDLED];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        n += dir
            .files()
            .filter(|f| is_yaml(&rel_string(f.path())))
            .count();
    }
    n
}

/// Whether two versions of a deck hold the same cards with the same content.
fn same_cards(a: &Deck, b: Option<&Deck>) -> bool {
    b.is_some_and(|b| {
        a.cards.len() == b.cards.len()
            && a.cards
                .iter()
                .zip(&b.cards)
                .all(|(x, y)| x.id == y.id && x.content_hash == y.content_hash)
    })
}
