//! Each found file's read result, the cheapest sound way: from the previous load kept in memory,
//! from the compiled bundled content, from the cache folder, or by reading and parsing it, on
//! every core (files are handed out one at a time, so one large file never holds up a batch).

use super::files::{FileFrom, RawFile, is_exam_file};
use crate::deck::cache::entry::Entry;
use crate::deck::cache::key::hash_bytes;
use crate::deck::cache::{self, CacheDir, DeckFile, FileKey, Parsed};
use crate::deck::model::Card;
use crate::deck::reader;
use crate::deck::yaml::Loc;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::SystemTime;

/// How the files of the last load were obtained (for tests, benchmarks and the log).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Files taken from the previous load, neither read nor decoded.
    pub from_memory: usize,
    /// Files taken from the compiled bundled content.
    pub from_compiled: usize,
    /// Files decoded from the cache folder without being read.
    pub from_cache: usize,
    /// Files whose bytes were read (hashed, then parsed or matched to an entry).
    pub read: usize,
    /// Files parsed from YAML.
    pub parsed: usize,
    /// Bytes of deck files read.
    pub bytes_read: u64,
}

/// When a result was valid: the file's stat and bytes' hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    /// `None` for bundled files and links (which are always read).
    pub(super) key: Option<FileKey>,
    pub(super) hash: [u8; 32],
    pub(super) racy: bool,
}

/// A file's result kept for the next load.
#[derive(Debug, Clone)]
pub(super) struct MemoEntry {
    pub(super) stamp: Stamp,
    /// The result; for a deck that went into the library, without the deck (it is taken back
    /// from the library on reload, so it is not held twice).
    pub(super) meta: Parsed,
    pub(super) deck_in_library: bool,
}

/// What resolving one file gave.
pub(super) enum Outcome {
    /// The previous load's result still holds (with this stamp now).
    Memo(Stamp),
    /// A result obtained now; `None` stamp: not to be kept (the file could not be read).
    Fresh(Box<Parsed>, Option<Stamp>),
}

/// What resolving needs, shared by the workers.
pub(super) struct Resolver<'a> {
    pub(super) memo: &'a HashMap<String, MemoEntry>,
    /// Decoded on first use: a reload with the bundled files in memory never needs it.
    compiled: OnceLock<HashMap<String, Entry>>,
    pub(super) cache: Option<CacheDir>,
    from_memory: AtomicUsize,
    from_compiled: AtomicUsize,
    from_cache: AtomicUsize,
    read: AtomicUsize,
    parsed: AtomicUsize,
    bytes_read: AtomicU64,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(
        memo: &'a HashMap<String, MemoEntry>,
        cache: Option<CacheDir>,
    ) -> Resolver<'a> {
        Resolver {
            memo,
            compiled: OnceLock::new(),
            cache,
            from_memory: AtomicUsize::new(0),
            from_compiled: AtomicUsize::new(0),
            from_cache: AtomicUsize::new(0),
            read: AtomicUsize::new(0),
            parsed: AtomicUsize::new(0),
            bytes_read: AtomicU64::new(0),
        }
    }

    pub(super) fn stats(&self) -> LoadStats {
        LoadStats {
            from_memory: self.from_memory.load(Ordering::Relaxed),
            from_compiled: self.from_compiled.load(Ordering::Relaxed),
            from_cache: self.from_cache.load(Ordering::Relaxed),
            read: self.read.load(Ordering::Relaxed),
            parsed: self.parsed.load(Ordering::Relaxed),
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
        }
    }

    /// Resolves every file on all cores; each file comes with the name of its source (for its
    /// cache entry's name). Results keep the files' order.
    pub(super) fn resolve_all(
        &self,
        files: &[(&str, &RawFile)],
        tick: &(dyn Fn() + Sync),
    ) -> Vec<Outcome> {
        files
            .par_iter()
            .with_max_len(1)
            .map(|(source, f)| {
                let out = self.resolve(source, f);
                tick();
                out
            })
            .collect()
    }

    /// One file's result.
    pub(super) fn resolve(&self, source: &str, f: &RawFile) -> Outcome {
        let memo = self.memo.get(&f.display);
        let (key, entry_name, read_at) = match &f.from {
            FileFrom::Bundled(_) => {
                // Bundled content cannot change while the app runs.
                if let Some(m) = memo {
                    self.from_memory.fetch_add(1, Ordering::Relaxed);
                    return Outcome::Memo(m.stamp);
                }
                (None, None, SystemTime::now())
            }
            FileFrom::Disk { path, .. } => {
                let read_at = SystemTime::now();
                // A link is always read: where it points may change with no stat of it changing.
                let key = std::fs::symlink_metadata(path)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| FileKey::of(&m));
                if let (Some(k), Some(m)) = (key, memo)
                    && m.stamp.key == Some(k)
                    && !m.stamp.racy
                {
                    self.from_memory.fetch_add(1, Ordering::Relaxed);
                    return Outcome::Memo(m.stamp);
                }
                let name = CacheDir::entry_name(source, &f.display);
                (key, Some(name), read_at)
            }
        };
        // With a result in memory (a reload), the entry on disk is that same result or older.
        // Its index alone is read first: an unchanged file's card texts stay in the entry
        // until a card is shown.
        let mut index = match (&self.cache, &entry_name, memo) {
            (Some(c), Some(n), None) => c.read_index(n, &f.display),
            _ => None,
        };
        if let (Some(k), Some((e, path))) = (key, &mut index)
            && e.header.key == Some(k)
            && !e.header.racy
            && let Ok(parsed) = e.parsed_lazy(path, deck_file(f))
        {
            self.from_cache.fetch_add(1, Ordering::Relaxed);
            let stamp = Stamp {
                key,
                hash: e.header.hash,
                racy: false,
            };
            return Outcome::Fresh(Box::new(parsed), Some(stamp));
        }
        // A stale stat: the whole entry is read, to be matched with the file's bytes.
        let entry = match (&self.cache, &entry_name, &index) {
            (Some(c), Some(n), Some(_)) => c.read(n, &f.display),
            _ => None,
        };
        let bytes = match f.bytes() {
            Ok(b) => b,
            Err(d) => return Outcome::Fresh(Box::new(unreadable(f, d)), None),
        };
        if matches!(f.from, FileFrom::Disk { .. }) {
            self.read.fetch_add(1, Ordering::Relaxed);
            self.bytes_read
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        let stamp = Stamp {
            key,
            hash: hash_bytes(&bytes),
            racy: key.is_some_and(|k| k.is_racy(read_at)),
        };
        if memo.is_some_and(|m| m.stamp.hash == stamp.hash) {
            // Touched or copied back, not changed.
            self.from_memory.fetch_add(1, Ordering::Relaxed);
            return Outcome::Memo(stamp);
        }
        let known = match &f.from {
            FileFrom::Bundled(_) => self.compiled.get_or_init(compiled_bundled).get(&f.display),
            FileFrom::Disk { .. } => entry.as_ref(),
        };
        if let Some(e) = known
            && e.header.hash == stamp.hash
            && let Ok(parsed) = match &f.from {
                // Ours, in the binary: its cards are decoded when first used.
                FileFrom::Bundled(yaml) => e.parsed_deferred(bundled_cards(&f.display, yaml)),
                FileFrom::Disk { .. } => e.parsed(),
            }
        {
            match &f.from {
                FileFrom::Bundled(_) => self.from_compiled.fetch_add(1, Ordering::Relaxed),
                FileFrom::Disk { .. } => self.from_cache.fetch_add(1, Ordering::Relaxed),
            };
            // Same bytes, new stat: stamp the entry anew so the next load need not read.
            self.store(entry_name.as_deref(), f, stamp, &parsed);
            return Outcome::Fresh(Box::new(parsed), Some(stamp));
        }
        let parsed = match f.text(&bytes) {
            Ok(text) => {
                self.parsed.fetch_add(1, Ordering::Relaxed);
                parse_text(f, text)
            }
            Err(d) => unreadable(f, d),
        };
        self.store(entry_name.as_deref(), f, stamp, &parsed);
        Outcome::Fresh(Box::new(parsed), Some(stamp))
    }

    fn store(&self, name: Option<&str>, f: &RawFile, stamp: Stamp, parsed: &Parsed) {
        if let (Some(c), Some(n), Some(k)) = (&self.cache, name, stamp.key) {
            // A failed write (full disk, read-only folder) only costs a parse next time.
            let _ = c.write(n, &f.display, k, stamp.hash, stamp.racy, parsed);
        }
    }
}

/// Where a file on disk is, for a deck whose texts are read later.
fn deck_file(f: &RawFile) -> Option<DeckFile> {
    match &f.from {
        FileFrom::Bundled(_) => None,
        FileFrom::Disk { path, confine } => Some(DeckFile {
            path: path.clone(),
            confine: confine.clone(),
            display: f.display.clone(),
        }),
    }
}

/// Parses a file's text as a deck or an exam blueprint, by its name.
pub(super) fn parse_text(f: &RawFile, text: &str) -> Parsed {
    if is_exam_file(&f.rel) {
        Parsed::Exam(reader::read_exam(&f.display, text))
    } else {
        Parsed::Deck(reader::read_deck(&f.display, text))
    }
}

fn unreadable(_f: &RawFile, d: crate::deck::Diagnostic) -> Parsed {
    Parsed::Deck(reader::ReadDeck {
        deck: None,
        id_loc: Loc::default(),
        diags: vec![d],
        pending: vec![],
    })
}

/// The compiled bundled entries, unless the cache is turned off.
/// A bundled deck's cards parsed from its YAML (should its compiled entry not decode).
fn bundled_cards(
    display: &str,
    yaml: &'static [u8],
) -> impl Fn() -> Vec<Card> + Send + Sync + 'static {
    let display = display.to_string();
    move || {
        std::str::from_utf8(yaml)
            .ok()
            .and_then(|text| reader::read_deck(&display, text).deck)
            .map(|d| d.cards.into_vec())
            .unwrap_or_default()
    }
}

fn compiled_bundled() -> HashMap<String, Entry> {
    if cache::disabled() {
        HashMap::new()
    } else {
        cache::bundled::compiled()
    }
}

/// Every bundled deck and exam file's display name, the SHA-256 of its YAML, and its result:
/// parsed from the YAML, or (`compiled`) as the compiled blob holds it (`None` if it lacks it).
pub fn bundled_results(compiled: bool) -> Vec<(String, [u8; 32], Option<Parsed>)> {
    let (files, _, _) = super::files::collect_files(&super::DeckSource::Bundled);
    let blob = if compiled {
        cache::bundled::compiled()
    } else {
        HashMap::new()
    };
    files
        .iter()
        .map(|f| {
            let bytes = f.bytes().unwrap_or_default();
            let hash = hash_bytes(&bytes);
            let parsed = if compiled {
                blob.get(&f.display).and_then(|e| e.parsed().ok())
            } else {
                Some(match f.text(&bytes) {
                    Ok(text) => parse_text(f, text),
                    Err(d) => unreadable(f, d),
                })
            };
            (f.display.clone(), hash, parsed)
        })
        .collect()
}

/// The compiled form of the bundled content, from its YAML (what `assets/bundled.cache` holds).
pub fn compile_bundled() -> Result<Vec<u8>, postcard::Error> {
    let files: Vec<(String, [u8; 32], Parsed)> = bundled_results(false)
        .into_iter()
        .filter_map(|(d, h, p)| Some((d, h, p?)))
        .collect();
    cache::bundled::encode(&files)
}
