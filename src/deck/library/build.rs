//! Building a library: find the files, get each one's read result (see `resolve.rs`), then
//! put them together — exams first, decks checked against them, overrides between sources.

use super::checks::{ImageChecks, ImageMemo, check_covers, finish_check};
use super::files::{RawFile, collect_files, display_for};
use super::resolve::{MemoEntry, Outcome, Resolver, Stamp};
use super::{DeckSource, Library, LoadMemo, LoadOptions, LoadProgress, LoadedDeck, same_cards};
use crate::deck::cache::{self, CacheDir, Parsed};
use crate::deck::diagnostics::{self, Diagnostic};
use crate::deck::model::{Deck, ExamBlueprint};
use crate::deck::yaml::Loc;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Loads `sources`, reusing `memo` (the previous load's results) and `old` (its decks by file).
pub(super) fn build(
    sources: &[DeckSource],
    opts: &LoadOptions,
    memo: LoadMemo,
    mut old: HashMap<String, Deck>,
) -> Library {
    let off = cache::disabled();
    let previous_images: ImageMemo = if off { HashMap::new() } else { memo.images };
    let mut images_seen: ImageMemo = HashMap::new();
    let mut memo = if off { HashMap::new() } else { memo.files };
    let mut lib = Library::default();
    let mut per_source: Vec<(Vec<RawFile>, Vec<String>)> = Vec::new();
    for source in sources {
        let (files, images, diags) = collect_files(source);
        lib.diagnostics.extend(diags);
        per_source.push((files, images));
    }
    let names: Vec<String> = sources.iter().map(source_name).collect();
    let flat: Vec<(&str, &RawFile)> = per_source
        .iter()
        .zip(&names)
        .flat_map(|((files, _), name)| files.iter().map(move |f| (name.as_str(), f)))
        .collect();
    let total = flat.len();
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
    let cache_dir = if off {
        None
    } else {
        opts.cache_dir.and_then(CacheDir::open)
    };
    let (outcomes, stats) = {
        let resolver = Resolver::new(&memo, cache_dir.clone());
        let outcomes = resolver.resolve_all(&flat, &tick);
        (outcomes, resolver.stats())
    };
    lib.stats = stats;
    lib.files_read = total;
    if let Some(c) = &cache_dir {
        drop_deleted(c, sources, &names, &per_source);
    }

    // Results from memory get their decks back from the old library.
    let mut outcomes = outcomes.into_iter();
    let mut parsed: Vec<Vec<(Parsed, Option<Stamp>)>> = Vec::with_capacity(sources.len());
    for ((files, _), name) in per_source.iter().zip(&names) {
        let mut results = Vec::with_capacity(files.len());
        for f in files {
            let got = match outcomes.next() {
                Some(Outcome::Fresh(p, stamp)) => Some((*p, stamp)),
                Some(Outcome::Memo(stamp)) => from_memo(&mut memo, &mut old, &f.display, stamp),
                None => None,
            };
            results.push(got.unwrap_or_else(|| {
                // The kept result is gone (a library changed by hand): read the file again.
                let none = HashMap::new();
                match Resolver::new(&none, cache_dir.clone()).resolve(name, f) {
                    Outcome::Fresh(p, stamp) => (*p, stamp),
                    Outcome::Memo(_) => unreachable_memo(f),
                }
            }));
        }
        parsed.push(results);
    }
    drop(old);
    let mut kept: HashMap<String, MemoEntry> = HashMap::new();
    let keep = |kept: &mut HashMap<String, MemoEntry>,
                f: &RawFile,
                stamp: Option<Stamp>,
                meta: Parsed,
                in_lib: bool| {
        if let Some(stamp) = stamp
            && !off
        {
            kept.insert(
                f.display.clone(),
                MemoEntry {
                    stamp,
                    meta,
                    deck_in_library: in_lib,
                },
            );
        }
    };

    // Exams first: decks are checked against them.
    let mut exams: HashMap<String, ExamBlueprint> = HashMap::new();
    for (si, results) in parsed.iter().enumerate() {
        let mut in_source: HashMap<&str, &str> = HashMap::new();
        for (fi, (p, _)) in results.iter().enumerate() {
            let Parsed::Exam(r) = p else { continue };
            let file = &per_source[si].0[fi];
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
        let mut image_checks = ImageChecks::new(&previous_images);
        for (fi, (p, stamp)) in results.into_iter().enumerate() {
            let file = &files[fi];
            let mut r = match p {
                Parsed::Deck(r) => r,
                exam @ Parsed::Exam(_) => {
                    keep(&mut kept, file, stamp, exam, false);
                    continue;
                }
            };
            lib.diagnostics.extend(r.diags.iter().cloned());
            for check in &r.pending {
                finish_check(check, file, &exams, &mut image_checks, &mut lib.diagnostics);
            }
            let Some(deck) = r.deck.take() else {
                keep(&mut kept, file, stamp, Parsed::Deck(r), false);
                continue;
            };
            if let Some(first) = in_source.get(&deck.id) {
                lib.diagnostics.push(Diagnostic::error(
                    &file.display,
                    r.id_loc,
                    format!("deck id `{}` is already used by {first}", deck.id),
                    "give each deck its own id; a copy of a deck belongs in another folder",
                ));
                r.deck = Some(deck);
                keep(&mut kept, file, stamp, Parsed::Deck(r), false);
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
            let id_loc = r.id_loc;
            keep(&mut kept, file, stamp, Parsed::Deck(r), true);
            let Some(old) = replaced else { continue };
            // A copy identical to the bundled deck (an author checking the content folder the
            // binary was built from) replaces nothing a learner would notice.
            if sources.get(old.source) == Some(&DeckSource::Bundled)
                && !same_cards(&old.deck, decks.get(&id).map(|d| &d.deck))
            {
                lib.diagnostics.push(Diagnostic::warning(
                    &file.display,
                    id_loc,
                    format!(
                        "replaces the bundled deck `{id}` ({} cards → {cards})",
                        old.deck.cards.len()
                    ),
                    "give the deck its own id to keep the bundled one, or delete this file",
                ));
            }
            // The replaced deck is no longer in the library: its file's kept result holds it.
            if let Some(m) = kept.get_mut(&old.path)
                && m.deck_in_library
                && let Parsed::Deck(kr) = &mut m.meta
            {
                kr.deck = Some(old.deck);
                m.deck_in_library = false;
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
        images_seen.extend(image_checks.seen);
    }
    lib.decks = decks.into_values().collect();
    lib.decks.sort_by(|a, b| a.deck.id.cmp(&b.deck.id));
    lib.exams = exams.into_values().collect();
    lib.exams.sort_by(|a, b| a.id.cmp(&b.id));
    diagnostics::sort(&mut lib.diagnostics);
    if off {
        images_seen.clear();
    }
    lib.memo = LoadMemo {
        files: kept,
        images: images_seen,
    };
    lib
}

/// A name for a source, unique among sources, that names its cache entries.
fn source_name(source: &DeckSource) -> String {
    match source {
        DeckSource::Bundled => "bundled".into(),
        DeckSource::Path(p) => format!("path:{}", p.display()),
    }
}

/// The previous load's result for a file, with its deck taken back from the old library.
fn from_memo(
    memo: &mut HashMap<String, MemoEntry>,
    old: &mut HashMap<String, Deck>,
    display: &str,
    stamp: Stamp,
) -> Option<(Parsed, Option<Stamp>)> {
    let m = memo.remove(display)?;
    let mut meta = m.meta;
    if m.deck_in_library {
        let Parsed::Deck(r) = &mut meta else {
            return None;
        };
        r.deck = Some(old.remove(display)?);
    }
    Some((meta, Some(stamp)))
}

/// A resolver without a memo never answers from it; kept total rather than panicking.
fn unreachable_memo(f: &RawFile) -> (Parsed, Option<Stamp>) {
    let d = Diagnostic::error(
        &f.display,
        Loc::default(),
        "file could not be reloaded",
        "reload the decks",
    );
    (
        Parsed::Deck(crate::deck::reader::ReadDeck {
            deck: None,
            id_loc: Loc::default(),
            diags: vec![d],
            pending: vec![],
        }),
        None,
    )
}

/// Deletes the cache entries of each folder source's files that are no longer there.
fn drop_deleted(
    cache: &CacheDir,
    sources: &[DeckSource],
    names: &[String],
    per_source: &[(Vec<RawFile>, Vec<String>)],
) {
    for ((source, name), (files, _)) in sources.iter().zip(names).zip(per_source) {
        if !matches!(source, DeckSource::Path(_)) {
            continue;
        }
        let keep: HashSet<String> = files
            .iter()
            .map(|f| CacheDir::entry_name(name, &f.display))
            .collect();
        cache.retain(&CacheDir::source_prefix(name), &keep);
    }
}
