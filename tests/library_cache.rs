//! Issue 12: the compiled library cache. A hit reads no deck file; an edit (size, time, or
//! content alone) is a miss; a damaged, truncated or foreign cache is rebuilt; a deleted file's
//! entry is dropped; a reload re-reads only what changed — and every way gives the library a
//! load without any cache gives.

use examdeck::deck::cache::{CacheDir, Parsed};
use examdeck::deck::{DeckSource, Library, LoadOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A deck file of `cards` basic cards whose text depends on `salt`.
fn deck_yaml(id: &str, cards: usize, salt: &str) -> String {
    let mut s = format!("examdeck: 1\nid: {id}\ntitle: Deck {id}\ncards:\n");
    for i in 0..cards {
        s.push_str(&format!(
            "  - id: c{i}\n    kind: basic\n    prompt: Question {i} {salt}\n    answer: Answer {i}\n"
        ));
    }
    s
}

/// Writes a file and dates it an hour back, so its stat is not "racily clean".
fn write_old(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
    set_mtime(path, SystemTime::now() - Duration::from_secs(3600));
}

fn set_mtime(path: &Path, t: SystemTime) {
    let f = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    f.set_modified(t).expect("set mtime");
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

struct Fixture {
    _tmp: tempfile::TempDir,
    decks: PathBuf,
    cache: PathBuf,
}

impl Fixture {
    fn new(files: &[(&str, String)]) -> Fixture {
        let tmp = tempfile::tempdir().expect("tempdir");
        let decks = tmp.path().join("decks");
        for (name, text) in files {
            write_old(&decks.join(name), text);
        }
        let cache = tmp.path().join("cache");
        Fixture {
            _tmp: tmp,
            decks,
            cache,
        }
    }

    fn sources(&self) -> Vec<DeckSource> {
        vec![DeckSource::Path(self.decks.clone())]
    }

    fn cached(&self) -> Library {
        let opts = LoadOptions {
            cache_dir: Some(&self.cache),
            progress: None,
        };
        Library::load_with(&self.sources(), &opts)
    }

    fn uncached(&self) -> Library {
        Library::load(&self.sources())
    }

    fn entries(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&self.cache)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        v.retain(|p| p.extension().is_some_and(|e| e == "edc"));
        v.sort();
        v
    }
}

/// Everything a library shows, for comparing two loads (card texts read from the cache).
fn view(lib: &Library) -> String {
    let mut full = lib.clone();
    full.load_texts();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{}",
        full.decks, full.exams, full.diagnostics, full.exam_sources, full.files_read
    )
}

fn no_cache() -> bool {
    examdeck::deck::cache::disabled()
}

#[test]
fn a_hit_reads_no_deck_file() {
    let fx = Fixture::new(&[
        ("a.yaml", deck_yaml("a", 5, "x")),
        ("sub/b.yaml", deck_yaml("b", 3, "y")),
    ]);
    let first = fx.cached();
    let second = fx.cached();
    assert_eq!(view(&first), view(&fx.uncached()));
    assert_eq!(view(&second), view(&first));
    if no_cache() {
        return;
    }
    assert_eq!((first.stats.parsed, first.stats.read), (2, 2));
    assert_eq!(fx.entries().len(), 2);
    assert_eq!(second.stats.from_cache, 2);
    assert_eq!((second.stats.read, second.stats.parsed), (0, 0));
    assert_eq!(second.stats.bytes_read, 0);
}

#[test]
fn a_size_change_is_a_miss() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 2, "x"))]);
    fx.cached();
    write_old(&fx.decks.join("a.yaml"), &deck_yaml("a", 3, "x"));
    let lib = fx.cached();
    assert_eq!(lib.decks[0].deck.cards.len(), 3);
    assert_eq!(view(&lib), view(&fx.uncached()));
    if !no_cache() {
        assert_eq!(lib.stats.parsed, 1);
    }
}

#[test]
fn a_touched_file_is_read_and_hashed_but_not_parsed() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 2, "x"))]);
    fx.cached();
    let path = fx.decks.join("a.yaml");
    set_mtime(&path, SystemTime::now() - Duration::from_secs(1800));
    let lib = fx.cached();
    assert_eq!(view(&lib), view(&fx.uncached()));
    if no_cache() {
        return;
    }
    assert_eq!((lib.stats.read, lib.stats.parsed), (1, 0));
    assert_eq!(lib.stats.from_cache, 1);
    // The entry now carries the new time: the next load reads nothing.
    assert_eq!(fx.cached().stats.read, 0);
}

#[test]
fn a_content_change_with_the_same_size_and_mtime_is_a_miss() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 2, "x"))]);
    let path = fx.decks.join("a.yaml");
    let before = mtime(&path);
    fx.cached();
    // Past the file system's timestamp tick, so the change time moves on.
    std::thread::sleep(Duration::from_millis(20));
    // Same length, same modification time, other words.
    std::fs::write(&path, deck_yaml("a", 2, "z")).expect("write");
    set_mtime(&path, before);
    let lib = fx.cached();
    assert!(lib.decks[0].deck.cards[0].prompt.ends_with(" z"));
    assert_eq!(view(&lib), view(&fx.uncached()));
}

#[test]
fn a_damaged_truncated_or_foreign_cache_is_rebuilt() {
    let fx = Fixture::new(&[
        ("a.yaml", deck_yaml("a", 4, "x")),
        ("b.yaml", deck_yaml("b", 4, "y")),
        ("c.yaml", deck_yaml("c", 4, "w")),
    ]);
    let want = view(&fx.uncached());
    fx.cached();
    if no_cache() {
        return;
    }
    let entries = fx.entries();
    assert_eq!(entries.len(), 3);
    // a: truncated; b: a byte flipped in the middle; c: garbage.
    let bytes = std::fs::read(&entries[0]).expect("read");
    std::fs::write(&entries[0], &bytes[..bytes.len() / 2]).expect("write");
    let mut bytes = std::fs::read(&entries[1]).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&entries[1], &bytes).expect("write");
    std::fs::write(&entries[2], b"EXDKCACH\x01\0\0\0\xff\xff\xff\xff").expect("write");
    let lib = fx.cached();
    assert_eq!(view(&lib), want);
    assert_eq!(lib.stats.parsed, 3);
    // Rewritten: the next load is all hits.
    let lib = fx.cached();
    assert_eq!((lib.stats.from_cache, lib.stats.read), (3, 0));
    assert_eq!(view(&lib), want);
}

#[test]
fn an_entry_of_another_app_version_is_not_trusted() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 2, "x"))]);
    let want = view(&fx.uncached());
    fx.cached();
    if no_cache() {
        return;
    }
    // Another version wrote an entry for this very file and stat, with other content.
    let entry = fx.entries().remove(0);
    let name = entry
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let path = fx.decks.join("a.yaml");
    let display = path.display().to_string();
    let meta = std::fs::symlink_metadata(&path).expect("stat");
    let other = examdeck::deck::reader::read_deck(&display, &deck_yaml("a", 1, "forged"));
    let old = CacheDir::open(&fx.cache)
        .expect("cache dir")
        .with_app_version("0.0.0-other");
    old.write(
        &name,
        &display,
        examdeck::deck::cache::FileKey::of(&meta),
        [0; 32],
        false,
        &Parsed::Deck(other),
    )
    .expect("write");
    let lib = fx.cached();
    assert_eq!(view(&lib), want);
    assert_eq!(lib.stats.parsed, 1);
}

#[test]
fn a_deleted_files_entry_is_dropped() {
    let fx = Fixture::new(&[
        ("a.yaml", deck_yaml("a", 2, "x")),
        ("b.yaml", deck_yaml("b", 2, "y")),
    ]);
    fx.cached();
    std::fs::remove_file(fx.decks.join("b.yaml")).expect("rm");
    let lib = fx.cached();
    assert_eq!(lib.decks.len(), 1);
    assert_eq!(view(&lib), view(&fx.uncached()));
    if !no_cache() {
        assert_eq!(fx.entries().len(), 1);
    }
}

#[test]
fn deleting_the_cache_changes_nothing_but_time() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 2, "x"))]);
    let first = view(&fx.cached());
    // (With EXAMDECK_NO_CACHE there is none to delete.)
    let _ = std::fs::remove_dir_all(&fx.cache);
    assert!(!fx.cache.exists());
    assert_eq!(view(&fx.cached()), first);
}

#[test]
fn a_reload_reads_only_the_changed_file_and_equals_a_fresh_load() {
    let bundled_and = |fx: &Fixture| {
        let mut s = vec![DeckSource::Bundled];
        s.extend(fx.sources());
        s
    };
    let fx = Fixture::new(&[
        ("a.yaml", deck_yaml("a", 3, "x")),
        ("b.yaml", deck_yaml("b", 3, "y")),
        // Same id twice in one folder: the second is an error, its deck kept aside.
        ("c.yaml", deck_yaml("a", 1, "dup")),
        (
            "x.exam.yaml",
            "examdeck: 1\nid: x\ntitle: X\nquestions: 10\nminutes: 10\npassing_score: 700\n\
             scale_min: 100\nscale_max: 1000\ndomains:\n  - {id: d, title: D, weight: 100}\n"
                .to_string(),
        ),
    ]);
    let sources = bundled_and(&fx);
    let fresh = || view(&Library::load(&sources));
    let mut lib = Library::load(&sources);
    let total = lib.files_read;
    assert_eq!(view(&lib), fresh());

    let opts = LoadOptions::default();
    lib.reload(&sources, &opts);
    assert_eq!(view(&lib), fresh());
    if !no_cache() {
        assert_eq!(lib.stats.from_memory, total);
        assert_eq!(lib.stats.read, 0);
    }

    write_old(&fx.decks.join("b.yaml"), &deck_yaml("b", 4, "edited"));
    lib.reload(&sources, &opts);
    assert_eq!(view(&lib), fresh());
    assert_eq!(lib.deck("b").map(|d| d.deck.cards.len()), Some(4));
    if !no_cache() {
        assert_eq!((lib.stats.read, lib.stats.parsed), (1, 1));
        assert_eq!(lib.stats.from_memory, total - 1);
    }

    // The duplicate is renamed: both decks now load; then the first file goes away.
    write_old(&fx.decks.join("c.yaml"), &deck_yaml("c", 1, "dup"));
    lib.reload(&sources, &opts);
    assert_eq!(view(&lib), fresh());
    std::fs::remove_file(fx.decks.join("a.yaml")).expect("rm");
    lib.reload(&sources, &opts);
    assert_eq!(view(&lib), fresh());
    assert!(lib.deck("a").is_none());

    // A user deck replacing a bundled one, then given back its own id.
    let bundled_id = Library::load(&[DeckSource::Bundled]).decks[0]
        .deck
        .id
        .clone();
    write_old(&fx.decks.join("o.yaml"), &deck_yaml(&bundled_id, 1, "mine"));
    lib.reload(&sources, &opts);
    assert_eq!(view(&lib), fresh());
    write_old(&fx.decks.join("o.yaml"), &deck_yaml("o", 1, "mine"));
    lib.reload(&sources, &opts);
    assert_eq!(view(&lib), fresh());
    assert!(lib.deck(&bundled_id).is_some_and(|d| d.source == 0));
}

#[test]
fn progress_counts_every_file() {
    let fx = Fixture::new(&[
        ("a.yaml", deck_yaml("a", 1, "x")),
        ("b.yaml", deck_yaml("b", 1, "y")),
    ]);
    let seen = std::sync::Mutex::new(Vec::new());
    let report = |p: examdeck::deck::LoadProgress| {
        if let Ok(mut v) = seen.lock() {
            v.push((p.files_done, p.files_total));
        }
    };
    let opts = LoadOptions {
        cache_dir: Some(&fx.cache),
        progress: Some(&report),
    };
    Library::load_with(&fx.sources(), &opts);
    let mut v = seen.into_inner().unwrap_or_default();
    v.sort();
    assert_eq!(v, vec![(1, 2), (2, 2)]);
}

#[test]
fn the_apps_hot_reload_rereads_the_saved_file_only_and_updates_problems_and_counts() {
    let fx = Fixture::new(&[
        ("a.yaml", deck_yaml("a", 2, "x")),
        ("b.yaml", deck_yaml("b", 2, "y")),
    ]);
    let now = chrono::Utc::now();
    let mut core = examdeck::app::core::AppCore::in_memory(fx.sources(), now).expect("core");
    assert_eq!(core.library.error_count(), 0);
    let new_of =
        |core: &examdeck::app::core::AppCore, deck: &str| core.counts_of(deck).map(|c| c.new);
    assert_eq!(new_of(&core, "b"), Some(2));

    // Saved with one more card and one broken card.
    let mut text = deck_yaml("b", 3, "y");
    text.push_str("  - id: broken\n    kind: nope\n    prompt: P\n");
    write_old(&fx.decks.join("b.yaml"), &text);
    core.reload(now).expect("reload");
    assert!(
        core.library
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.path.ends_with("b.yaml")),
        "{:?}",
        core.library.diagnostics
    );
    assert_eq!(new_of(&core, "b"), Some(3));
    assert_eq!(view(&core.library), view(&fx.uncached()));
    if !no_cache() {
        assert_eq!((core.library.stats.read, core.library.stats.parsed), (1, 1));
        assert_eq!(core.library.stats.from_memory, 1);
    }
}

#[test]
fn a_cached_deck_reads_a_cards_text_only_when_it_is_shown() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 4, "x"))]);
    let parsed = fx.uncached();
    fx.cached();
    let lib = fx.cached();
    let d = &lib.decks[0].deck;
    let want = &parsed.decks[0].deck.cards;
    assert_eq!(d.full_card(2), Some(&want[2]));
    assert_eq!(&*d.full_cards(), &want[..]);
    if no_cache() {
        return;
    }
    let texts = d
        .texts
        .as_ref()
        .expect("a deck from the cache leaves its texts there");
    // Ids, kinds and hashes are in memory; the text is not, except the card shown.
    assert!(d.cards.iter().all(|c| c.prompt.is_empty()));
    let ids: Vec<_> = d.cards.iter().map(|c| (&c.id, &c.content_hash)).collect();
    let want_ids: Vec<_> = want.iter().map(|c| (&c.id, &c.content_hash)).collect();
    assert_eq!(ids, want_ids);
    assert!(texts.is_kept(2));
    assert!(!texts.is_kept(1), "full_cards keeps nothing");
}

/// The bodies of a deck's entry, overwritten after the library was loaded.
fn damage_bodies(fx: &Fixture) {
    for e in fx.entries() {
        let mut bytes = std::fs::read(&e).expect("read entry");
        let n = bytes.len();
        for b in &mut bytes[n - 40..] {
            *b ^= 0x5a;
        }
        std::fs::write(&e, bytes).expect("write entry");
    }
}

#[test]
fn a_body_damaged_after_loading_is_read_from_the_deck_file_instead() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 3, "x"))]);
    let parsed = fx.uncached();
    fx.cached();
    let lib = fx.cached();
    damage_bodies(&fx);
    let d = &lib.decks[0].deck;
    let want = &parsed.decks[0].deck.cards;
    assert_eq!(d.full_card(2), Some(&want[2]));
    assert_eq!(&*d.full_cards(), &want[..]);
}

#[test]
fn a_card_whose_entry_and_file_both_changed_says_to_reload() {
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 3, "x"))]);
    fx.cached();
    let lib = fx.cached();
    if no_cache() {
        return;
    }
    damage_bodies(&fx);
    write_old(&fx.decks.join("a.yaml"), &deck_yaml("a", 3, "edited"));
    let card = lib.decks[0].deck.full_card(2).expect("card");
    assert!(card.prompt.contains("Reload the decks"), "{}", card.prompt);
    assert_eq!(card.id, "c2");
    // The reload the message asks for reads the new text.
    let mut lib = lib;
    lib.reload(
        &fx.sources(),
        &LoadOptions {
            cache_dir: Some(&fx.cache),
            progress: None,
        },
    );
    let card = lib.decks[0].deck.full_card(2).expect("card");
    assert_eq!(card.prompt, "Question 2 edited");
}

#[test]
fn a_reload_checks_an_image_again_only_when_its_file_changed() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20"><rect width="40" height="20"/></svg>"#;
    let deck = "examdeck: 1\nid: a\ntitle: A\ncards:\n  - id: c0\n    kind: basic\n    prompt: \"![diagram](d.svg)\"\n    answer: A\n    source: S\n";
    let fx = Fixture::new(&[("a.yaml", deck.to_string()), ("d.svg", svg.to_string())]);
    let opts = LoadOptions {
        cache_dir: Some(&fx.cache),
        progress: None,
    };
    let mut lib = Library::load_with(&fx.sources(), &opts);
    assert_eq!(lib.diagnostics, vec![], "a sound image");
    // Unchanged: the same verdict.
    lib.reload(&fx.sources(), &opts);
    assert_eq!(lib.diagnostics, vec![]);
    // Broken, a new stat: checked again and reported, as a fresh load does.
    write_old(&fx.decks.join("d.svg"), "<svg this is not xml");
    lib.reload(&fx.sources(), &opts);
    assert_eq!(view(&lib), view(&fx.uncached()));
    assert!(
        lib.diagnostics
            .iter()
            .any(|d| d.message.contains("image `d.svg`")),
        "{:?}",
        lib.diagnostics
    );
    // Mended: the problem is gone again.
    write_old(&fx.decks.join("d.svg"), svg);
    lib.reload(&fx.sources(), &opts);
    assert_eq!(lib.diagnostics, vec![]);
}

#[test]
fn a_study_session_shows_the_text_of_a_card_read_from_the_cache() {
    use examdeck::app::core::AppCore;
    use examdeck::app::session::Session;
    use examdeck::learner::StudyScope;
    let fx = Fixture::new(&[("a.yaml", deck_yaml("a", 3, "x"))]);
    let data = fx._tmp.path().join("data");
    let now = chrono::Utc::now();
    let open = || {
        AppCore::open(data.clone(), std::slice::from_ref(&fx.decks), now)
            .expect("open the app's core")
    };
    drop(open());
    // The second start takes the deck from the cache, without its texts.
    let mut core = open();
    let deck = &core.library.deck("a").expect("deck").deck;
    if !no_cache() {
        assert!(deck.texts.is_some() && deck.cards.iter().all(|c| c.prompt.is_empty()));
    }
    let session = Session::start(&mut core, StudyScope::Deck("a".into())).expect("session");
    let card = session.card(&core).expect("a card to study");
    let parsed = fx.uncached();
    let want = parsed.decks[0]
        .deck
        .cards
        .iter()
        .find(|c| c.id == card.id)
        .expect("same card in the YAML");
    assert_eq!(card, want);
    assert!(card.prompt.starts_with("Question "));
}

#[test]
fn a_warm_load_and_an_unchanged_librarys_sync_decode_no_card() {
    let fx = Fixture::new(&[
        ("a.yaml", deck_yaml("a", 30, "x")),
        ("b.yaml", deck_yaml("b", 20, "y")),
    ]);
    let now = chrono::Utc::now();
    let mut learner = examdeck::learner::Learner::open_in_memory().expect("learner");
    let first = fx.cached();
    learner.sync_library(&first, now).expect("sync");
    let warm = fx.cached();
    if no_cache() {
        return;
    }
    assert!(warm.decks.iter().all(|d| !d.deck.cards.is_decoded()));
    let report = learner.sync_library(&warm, now).expect("sync");
    assert_eq!(report.total, 50, "items counted from the cache's digests");
    assert!(
        warm.decks.iter().all(|d| !d.deck.cards.is_decoded()),
        "nothing to register: no card decoded"
    );
    // Used, they are the cards a load without the cache gives; an edit is still seen.
    assert_eq!(view(&warm), view(&fx.uncached()));
    write_old(&fx.decks.join("b.yaml"), &deck_yaml("b", 21, "y"));
    let edited = fx.cached();
    let report = learner.sync_library(&edited, now).expect("sync");
    assert_eq!((report.total, report.added), (51, 1));
    assert!(!edited.decks[0].deck.cards.is_decoded(), "deck a unchanged");
}
