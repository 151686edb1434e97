//! A library: every deck and exam blueprint from any number of folders, bundled content first.
//!
//! One broken file never stops the others: its problems become diagnostics and loading goes on.

mod files;

use super::assets::{self, AssetError};
use super::diagnostics::{self, Diagnostic};
use super::diagram;
use super::fields::closest;
use super::model::{Card, Deck, ExamBlueprint, ItemKey};
use super::reader::{self, Pending};
use super::safe_read::{self, ReadError};
use super::yaml::Loc;
use files::{RawFile, collect_files, display_for, is_exam_file, is_yaml, rel_string};
use include_dir::{Dir, include_dir};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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
}

enum Parsed {
    Deck(reader::ReadDeck),
    Exam(reader::ReadExam),
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
        let mut lib = Library::default();
        let mut per_source: Vec<(Vec<RawFile>, Vec<String>)> = Vec::new();
        for source in sources {
            let (files, images, diags) = collect_files(source);
            lib.diagnostics.extend(diags);
            per_source.push((files, images));
        }
        let total = per_source.iter().map(|(f, _)| f.len()).sum();
        let done = AtomicUsize::new(0);
        let tick = || {
            let files_done = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(report) = opts.progress {
                report(LoadProgress {
                    files_done,
                    files_total: total,
                });
            }
        };
        let parsed: Vec<Vec<(usize, Parsed)>> = per_source
            .iter()
            .map(|(files, _)| parse_all(files, &tick))
            .collect();
        lib.files_read = per_source.iter().map(|(f, _)| f.len()).sum();

        // Exams first: decks are checked against them.
        let mut exams: HashMap<String, ExamBlueprint> = HashMap::new();
        for (si, results) in parsed.iter().enumerate() {
            let mut in_source: HashMap<&str, &str> = HashMap::new();
            for (fi, p) in results {
                let Parsed::Exam(r) = p else { continue };
                let file = &per_source[si].0[*fi];
                lib.diagnostics.extend(r.diags.iter().cloned());
                if let Some(exam) = &r.exam {
                    if let Some(first) = in_source.insert(&exam.id, &file.display) {
                        lib.diagnostics.push(Diagnostic::error(
                            &file.display,
                            r.id_loc,
                            format!("exam id `{}` is already used by {first}", exam.id),
                            "give each exam blueprint its own id",
                        ));
                        continue;
                    }
                    exams.insert(exam.id.clone(), exam.clone());
                    lib.exam_sources.insert(exam.id.clone(), si);
                }
            }
        }
        check_covers(&exams, &mut lib.diagnostics);

        let mut decks: HashMap<String, LoadedDeck> = HashMap::new();
        for (si, results) in parsed.into_iter().enumerate() {
            let (files, images) = &per_source[si];
            let mut in_source: HashMap<String, String> = HashMap::new();
            let mut image_checks = ImageChecks::default();
            for (fi, p) in results {
                let Parsed::Deck(r) = p else { continue };
                let file = &files[fi];
                lib.diagnostics.extend(r.diags);
                for check in &r.pending {
                    finish_check(check, file, &exams, &mut image_checks, &mut lib.diagnostics);
                }
                let Some(deck) = r.deck else { continue };
                if let Some(first) = in_source.get(&deck.id) {
                    lib.diagnostics.push(Diagnostic::error(
                        &file.display,
                        r.id_loc,
                        format!("deck id `{}` is already used by {first}", deck.id),
                        "give each deck its own id; a copy of a deck belongs in another folder",
                    ));
                    continue;
                }
                in_source.insert(deck.id.clone(), file.display.clone());
                // Same id from a later source: the user's copy overrides the earlier one, said
                // out loud when it replaces a bundled deck (a stranger's deck may do so).
                let (id, cards) = (deck.id.clone(), deck.cards.len());
                let replaced = decks.insert(
                    deck.id.clone(),
                    LoadedDeck {
                        deck,
                        path: file.display.clone(),
                        origin: file.origin.clone(),
                        source: si,
                    },
                );
                // A copy identical to the bundled deck (an author checking the content folder the
                // binary was built from) replaces nothing a learner would notice.
                if let Some(old) = replaced
                    && sources.get(old.source) == Some(&DeckSource::Bundled)
                    && !same_cards(&old.deck, decks.get(&id).map(|d| &d.deck))
                {
                    lib.diagnostics.push(Diagnostic::warning(
                        &file.display,
                        r.id_loc,
                        format!(
                            "replaces the bundled deck `{id}` ({} cards → {cards})",
                            old.deck.cards.len()
                        ),
                        "give the deck its own id to keep the bundled one, or delete this file",
                    ));
                }
            }
            for img in images {
                if !image_checks.used.contains(img) {
                    lib.diagnostics.push(Diagnostic::warning(
                        &display_for(&sources[si], img),
                        Loc { line: 1, column: 1 },
                        "image file is not used by any card",
                        "refer to it from a card or delete it",
                    ));
                }
            }
        }
        lib.decks = decks.into_values().collect();
        lib.decks.sort_by(|a, b| a.deck.id.cmp(&b.deck.id));
        lib.exams = exams.into_values().collect();
        lib.exams.sort_by(|a, b| a.id.cmp(&b.id));
        diagnostics::sort(&mut lib.diagnostics);
        lib
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

    /// Every card with its deck, in deck then file order.
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

fn finish_check(
    check: &Pending,
    file: &RawFile,
    exams: &HashMap<String, ExamBlueprint>,
    images: &mut ImageChecks,
    out: &mut Vec<Diagnostic>,
) {
    match check {
        Pending::Exam { exam, loc } => {
            if !exams.contains_key(exam) {
                let known: Vec<&str> = exams.keys().map(String::as_str).collect();
                let hint = match closest(exam, &known) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "add its blueprint file (`*.exam.yaml`) or fix the id".into(),
                };
                out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    format!("unknown exam `{exam}`"),
                    hint,
                ));
            }
        }
        Pending::Domain { exam, domain, loc } => {
            let Some(exam_id) = exam else {
                out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    format!("domain `{domain}` is given but the deck names no `exam`"),
                    "add `exam: <blueprint id>` at the top of the deck, or remove `domain`",
                ));
                return;
            };
            // An unknown exam is reported once, by the `Exam` check.
            let Some(bp) = exams.get(exam_id) else { return };
            if !bp.domains.iter().any(|d| &d.id == domain) {
                let known: Vec<&str> = bp.domains.iter().map(|d| d.id.as_str()).collect();
                let hint = match closest(domain, &known) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("domains of {exam_id}: {}", known.join(", ")),
                };
                out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    format!("unknown domain `{domain}` for exam `{exam_id}`"),
                    hint,
                ));
            }
        }
        Pending::Image { url, loc } => {
            let found = match &file.origin {
                Origin::Bundled { dir } => assets::clean_relative(url).and_then(|rel| {
                    let full = if dir.is_empty() {
                        rel
                    } else {
                        format!("{dir}/{rel}")
                    };
                    match BUNDLED.get_file(&full) {
                        Some(f) => Ok((full, Ok(f.contents().to_vec()))),
                        None => Err(AssetError::Missing(url.clone())),
                    }
                }),
                Origin::Disk { root, dir } => assets::resolve_on_disk(root, dir, url).map(|p| {
                    let real_root = root.canonicalize().unwrap_or_else(|_| root.clone());
                    let key = rel_string(p.strip_prefix(&real_root).unwrap_or(&p));
                    (key, Err(p))
                }),
            };
            match found {
                Ok((key, bytes)) => {
                    let verdict = images.checked.entry(key.clone()).or_insert_with(|| {
                        let bytes = bytes.or_else(|path| {
                            let root = match &file.origin {
                                Origin::Disk { root, .. } => Some(root.as_path()),
                                Origin::Bundled { .. } => None,
                            };
                            safe_read::read_regular(&path, root, assets::MAX_ASSET_BYTES)
                                .map_err(|e| e.to_string())
                        });
                        image_verdict(&key, bytes)
                    });
                    for (warn, message, hint) in verdict.iter() {
                        let message = format!("image `{url}`: {message}");
                        out.push(if *warn {
                            Diagnostic::warning(&file.display, *loc, message, *hint)
                        } else {
                            Diagnostic::error(&file.display, *loc, message, *hint)
                        });
                    }
                    images.used.insert(key);
                }
                Err(e) => out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    e.to_string(),
                    e.hint(),
                )),
            }
        }
    }
}

/// Images seen while checking one source: which are used, and what [`image_verdict`] said of
/// each (an image shown by many cards is read and inspected once).
#[derive(Default)]
struct ImageChecks {
    used: BTreeSet<String>,
    checked: HashMap<String, Vec<(bool, String, &'static str)>>,
}

/// Problems of an image that the app would show: (is a warning, message, hint) each. An error
/// means the window shows a placeholder instead.
fn image_verdict(name: &str, bytes: Result<Vec<u8>, String>) -> Vec<(bool, String, &'static str)> {
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return vec![(false, e, "check that it is an ordinary, readable file")],
    };
    match diagram::inspect(name, &bytes) {
        Err(p) => vec![(false, p.to_string(), p.hint())],
        Ok(info) => {
            let mut out = Vec::new();
            if !info.external_refs.is_empty() {
                out.push((
                    true,
                    format!(
                        "SVG refers to other files or URLs, which are never loaded: {}",
                        info.external_refs.join(", ")
                    ),
                    "embed what the diagram needs in the SVG itself",
                ));
            }
            let side = info.width.max(info.height);
            if side > diagram::MAX_IMAGE_SIDE as f32 {
                out.push((
                    true,
                    format!(
                        "SVG is {:.0}×{:.0} px; it is drawn scaled down to {} px",
                        info.width,
                        info.height,
                        diagram::MAX_IMAGE_SIDE
                    ),
                    "give the SVG a smaller width and height (its viewBox keeps the drawing)",
                ));
            }
            out
        }
    }
}

fn check_covers(exams: &HashMap<String, ExamBlueprint>, out: &mut Vec<Diagnostic>) {
    for exam in exams.values() {
        for d in &exam.domains {
            for c in &d.covers {
                let ok = c.split_once('/').is_some_and(|(e, dom)| {
                    exams
                        .get(e)
                        .is_some_and(|x| x.domains.iter().any(|y| y.id == dom))
                });
                if !ok {
                    out.push(Diagnostic::error(
                        &format!("exam {}", exam.id),
                        Loc::default(),
                        format!(
                            "domain `{}` covers `{c}`, which is no known exam/domain",
                            d.id
                        ),
                        "write `exam-id/domain-id` of a loaded blueprint",
                    ));
                }
            }
        }
    }
}

/// Parses files on all cores; results keep the files' order.
fn parse_all(files: &[RawFile], tick: &(dyn Fn() + Sync)) -> Vec<(usize, Parsed)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = files.len().div_ceil(threads).max(1);
    let mut out: Vec<(usize, Parsed)> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .enumerate()
            .map(|(ci, part)| {
                s.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, f)| {
                            let parsed = parse_one(f);
                            tick();
                            (ci * chunk + i, parsed)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out
}

fn parse_one(f: &RawFile) -> Parsed {
    let text = match &f.text {
        Ok(t) => t,
        Err(d) => {
            let r = reader::ReadDeck {
                deck: None,
                id_loc: Loc::default(),
                diags: vec![d.clone()],
                pending: vec![],
            };
            return Parsed::Deck(r);
        }
    };
    if is_exam_file(&f.rel) {
        Parsed::Exam(reader::read_exam(&f.display, text))
    } else {
        Parsed::Deck(reader::read_deck(&f.display, text))
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
