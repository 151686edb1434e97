//! Issue 9, items 6–14, 17 and 18: one regression test each, on a small hostile folder
//! generated in the test, through the library as `check` and the window load it.

mod support;

use examdeck::deck::{DeckSource, Library};
use support::hostile;

fn load(dir: &std::path::Path) -> Library {
    Library::load(&[DeckSource::Path(dir.to_path_buf())])
}

fn messages(lib: &Library) -> Vec<String> {
    lib.diagnostics.iter().map(|d| d.to_string()).collect()
}

fn assert_no_secret(lib: &Library) {
    for m in messages(lib) {
        assert!(!m.contains("TOPSECRET"), "secret echoed: {m}");
        assert!(!m.contains("root:x"), "secret echoed: {m}");
    }
}

#[test]
fn item6_footnote_images_are_checked_like_the_viewer_sees_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = hostile::outside(&tmp.path().join("outside"));
    hostile::footnote(&tmp.path().join("decks"), &out);
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    assert!(
        msgs.iter()
            .any(|m| m.contains("error: image `file://") && m.contains("remote URL")),
        "{msgs:?}"
    );
    assert!(
        lib.read_asset("h/footnote", &format!("file://{}", out.png.display()))
            .is_err()
    );
}

#[test]
fn item7_nested_images_are_refused_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = hostile::outside(&tmp.path().join("outside"));
    hostile::nested(&tmp.path().join("decks"), &out);
    let lib = load(&tmp.path().join("decks"));
    let card = &lib.deck("h/nested").expect("deck").deck.cards[0];
    let shown = examdeck::deck::markdown::rewrite_images(&card.prompt, |u| {
        lib.read_asset("h/nested", u)
            .ok()
            .map(|_| format!("bytes://deck/{u}"))
    });
    let urls = examdeck::deck::markdown::image_urls(&shown);
    assert!(
        urls.iter().all(|u| u.starts_with("bytes://deck/")),
        "{shown}"
    );
    assert!(!shown.contains("](file"), "{shown}");
}

#[test]
fn item8_svg_external_references_are_warned_about() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = hostile::outside(&tmp.path().join("outside"));
    hostile::svg_external(&tmp.path().join("decks"), &out);
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    assert!(
        msgs.iter().any(
            |m| m.contains("warning: image `ext.svg`: SVG refers to other files")
                && m.contains("secret.svg")
                && m.contains("/dev/zero")
        ),
        "{msgs:?}"
    );
    // The bytes reach the renderer, whose resolvers refuse every reference (diagram tests).
    let bytes = lib.read_asset("h/svg-external", "ext.svg").expect("inside");
    let r = examdeck::deck::diagram::rasterize(
        "ext.svg",
        &bytes,
        examdeck::deck::diagram::Want::Scale(1.0),
        64,
    )
    .expect("draws");
    assert!(
        r.rgba.chunks(4).all(|p| p[3] == 0),
        "an outside image was drawn"
    );
}

#[cfg(unix)]
#[test]
fn item9_symlinked_deck_files_out_of_the_folder_are_not_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = hostile::outside(&tmp.path().join("outside"));
    hostile::symlinked_deck(&tmp.path().join("decks"), &out);
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].contains("x.yaml:0:0: error: a link to a file outside the loaded folder"),
        "{msgs:?}"
    );
    assert_no_secret(&lib);
}

#[cfg(unix)]
#[test]
fn item10_fifos_are_skipped_without_hanging() {
    let tmp = tempfile::tempdir().expect("tempdir");
    hostile::fifo(&tmp.path().join("decks"));
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = tmp.path().join("decks");
    std::thread::spawn(move || {
        let _ = tx.send(messages(&load(&dir)));
    });
    let msgs = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("loading a folder with a FIFO hung");
    assert!(
        msgs.iter()
            .any(|m| m.contains("x.yaml:0:0: error: not a regular file")),
        "{msgs:?}"
    );
}

#[cfg(unix)]
#[test]
fn item11_endless_devices_are_not_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    hostile::devices(&tmp.path().join("decks"));
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    // Links out of the folder are refused before they are opened.
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs.iter()
            .all(|m| m.contains("error: a link to a file outside")),
        "{msgs:?}"
    );
    // Named on purpose (no folder to confine it), the device is still never read.
    let zero = tmp.path().join("decks/devices/zero.yaml");
    let lib = Library::load(&[DeckSource::Path(zero)]);
    let msgs = messages(&lib);
    assert!(
        msgs.iter().any(|m| m.contains("not a regular file")),
        "{msgs:?}"
    );
}

#[test]
fn item12_oversized_and_deep_images_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    hostile::big_images(&tmp.path().join("decks"));
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    let has = |needle: &str| msgs.iter().any(|m| m.contains(needle));
    assert!(
        has("error: image `wide.png`: image is 17000×4 px; at most 4096 px"),
        "{msgs:?}"
    );
    assert!(
        has("warning: image `huge.svg`: SVG is 100000×100000 px; it is drawn scaled down"),
        "{msgs:?}"
    );
    assert!(has("error: image `deep.svg`: SVG"), "{msgs:?}");
}

#[test]
fn item13_diagnostics_are_capped_per_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    hostile::flood(&tmp.path().join("decks"), 5_000);
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    assert_eq!(msgs.len(), 201, "{:?}", &msgs[..3]);
    assert!(
        msgs.iter()
            .any(|m| m.contains("and 4800 more of the same kind: unknown field `…` in deck")),
        "{:?}",
        &msgs[195..]
    );
    assert_eq!(lib.error_count(), 201);
}

#[test]
fn item14_budgets_stop_early_and_say_what_was_exceeded() {
    let tmp = tempfile::tempdir().expect("tempdir");
    hostile::yaml_bombs(&tmp.path().join("decks"), 400_000);
    let bomb = std::fs::read(tmp.path().join("decks/bombs/bomb.yaml")).expect("bomb");
    assert!(bomb.len() < 600, "the bomb is {} bytes", bomb.len());
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    assert!(
        msgs.iter().any(|m| m.contains("bomb.yaml")
            && m.contains("aliases that expand to more than 10000 values (a YAML alias bomb?)")),
        "{msgs:?}"
    );
    let list = msgs
        .iter()
        .find(|m| m.contains("list.yaml"))
        .expect("list refused");
    assert!(
        list.contains("more items, keys and values than a file of its size may hold")
            && !list.contains("alias"),
        "{list}"
    );
}

#[test]
fn item17_too_deep_folders_are_warned_about_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    hostile::deep_folders(&tmp.path().join("decks"));
    let lib = load(&tmp.path().join("decks"));
    let msgs = messages(&lib);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].contains("warning: folder is nested more than 16 levels deep"),
        "{msgs:?}"
    );
}

#[test]
fn item18_replacing_a_bundled_deck_is_a_warning_with_card_counts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    hostile::replaces_bundled(&tmp.path().join("decks"));
    let lib = Library::load(&[
        DeckSource::Bundled,
        DeckSource::Path(tmp.path().join("decks")),
    ]);
    let bundled = Library::load(&[DeckSource::Bundled]);
    let n = bundled
        .deck("aws-security/kms")
        .expect("bundled kms")
        .deck
        .cards
        .len();
    let msgs = messages(&lib);
    let want = format!("warning: replaces the bundled deck `aws-security/kms` ({n} cards → 1)");
    assert!(msgs.iter().any(|m| m.contains(&want)), "{want} in {msgs:?}");
    assert_eq!(
        lib.deck("aws-security/kms").expect("kms").deck.cards.len(),
        1
    );
}
