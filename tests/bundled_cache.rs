//! Issue 12: the bundled content ships compiled (`assets/bundled.cache`). It must be what
//! compiling `content/` gives today, and a library from it must equal one parsed from YAML.

use examdeck::deck::library::{bundled_file_count, bundled_results, compile_bundled};
use examdeck::deck::{DeckSource, Library};

const BLOB: &str = "assets/bundled.cache";

#[test]
fn the_compiled_bundled_content_is_up_to_date() {
    let fresh = compile_bundled().expect("compile the bundled content");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BLOB);
    if std::env::var_os("UPDATE_BUNDLED").is_some() {
        std::fs::write(&path, &fresh).expect("write the compiled bundled content");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{BLOB} differs from compiling content/ (the decks or the reader changed): \
         run `UPDATE_BUNDLED=1 cargo test --test bundled_cache` and commit it"
    );
}

#[test]
fn bundled_content_is_the_same_compiled_or_from_yaml() {
    let yaml = bundled_results(false);
    let compiled = bundled_results(true);
    assert_eq!(yaml.len(), bundled_file_count());
    assert!(yaml.len() > 20, "the bundled content has its decks");
    for ((name, hash, from_yaml), (_, _, from_blob)) in yaml.iter().zip(&compiled) {
        assert_eq!(from_blob.as_ref(), from_yaml.as_ref(), "{name} differs");
        assert_ne!(*hash, [0; 32]);
    }
}

#[test]
fn loading_the_bundled_content_parses_no_yaml() {
    let lib = Library::load(&[DeckSource::Bundled]);
    assert!(lib.decks.len() > 20);
    if examdeck::deck::cache::disabled() {
        assert_eq!(lib.stats.parsed, bundled_file_count());
    } else {
        assert_eq!(lib.stats.parsed, 0, "{:?}", lib.stats);
        assert_eq!(lib.stats.from_compiled, bundled_file_count());
        // Their cards are decoded when first used, and are then the YAML's.
        assert!(lib.decks.iter().all(|d| !d.deck.cards.is_decoded()));
        let from_yaml = Library::load_with(
            &[DeckSource::Bundled],
            &examdeck::deck::LoadOptions::default(),
        );
        for (a, b) in lib.decks.iter().zip(&from_yaml.decks) {
            assert_eq!(a.deck, b.deck);
            assert_eq!(a.deck.cards.digest(), b.deck.cards.digest());
        }
    }
}
