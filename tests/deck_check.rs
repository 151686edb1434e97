//! Deck format v1: every error and warning the validator reports, with the exact message, on
//! fixtures under `tests/fixtures/decks/` (one folder per case, plus a shared exam blueprint).

use examdeck::deck::{DeckSource, Library};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks")
}

/// Loads one fixture folder next to the shared blueprint; messages use paths relative to the
/// fixtures folder so the assertions do not depend on where the repository is checked out.
fn check(case: &str) -> Vec<String> {
    let root = fixtures();
    let lib = Library::load(&[
        DeckSource::Path(root.join("exam")),
        DeckSource::Path(root.join(case)),
    ]);
    let prefix = format!("{}/", root.display());
    lib.diagnostics
        .iter()
        .map(|d| d.to_string().replace(&prefix, ""))
        .collect()
}

fn assert_reports(case: &str, expected: &[&str]) {
    assert_eq!(check(case), expected, "diagnostics of fixture `{case}`");
}

#[test]
fn a_valid_deck_has_no_diagnostics_and_loads_every_kind() {
    assert_reports("good", &[]);
    let root = fixtures();
    let lib = Library::load(&[
        DeckSource::Path(root.join("exam")),
        DeckSource::Path(root.join("good")),
    ]);
    let deck = &lib.deck("f/good").expect("deck loads").deck;
    let kinds: Vec<&str> = deck.cards.iter().map(|c| c.body.kind_name()).collect();
    assert_eq!(
        kinds,
        ["basic", "cloze", "truefalse", "order", "match", "multiple"]
    );
    // The cloze card is two review items; every other card is one.
    assert_eq!(lib.items().count(), 7);
    assert_eq!(deck.cards[5].domain.as_deref(), Some("beta"));
    assert_eq!(deck.cards[0].domain.as_deref(), Some("alpha"));
}

#[test]
fn newer_format_version() {
    assert_reports(
        "version-newer",
        &[
            "version-newer/deck.yaml:1:11: error: format version 2 is newer than this app understands (1) — update examdeck to read this deck",
            "version-newer/deck.yaml:4:8: warning: deck has no cards — add cards under `cards:`",
        ],
    );
}

#[test]
fn unknown_field_suggests_the_right_one() {
    assert_reports(
        "unknown-field",
        &[
            "unknown-field/deck.yaml:9:5: error: unknown field `promt` in card — did you mean `prompt`?",
        ],
    );
}

#[test]
fn missing_required_field() {
    assert_reports(
        "missing-field",
        &[
            "missing-field/deck.yaml:7:5: error: card is missing required field `prompt` — add `prompt: …`",
        ],
    );
}

#[test]
fn duplicate_deck_id_across_files() {
    assert_reports(
        "duplicate-deck-id",
        &[
            "duplicate-deck-id/two.yaml:5:5: error: deck id `f/dup` is already used by duplicate-deck-id/one.yaml — give each deck its own id; a copy of a deck belongs in another folder",
        ],
    );
}

#[test]
fn duplicate_card_id() {
    assert_reports(
        "duplicate-card-id",
        &[
            "duplicate-card-id/deck.yaml:8:5: error: card id `a` is used twice in this deck (first at line 7) — give each card its own id; ids must never be reused",
        ],
    );
}

#[test]
fn bad_id_characters() {
    assert_reports(
        "bad-id",
        &[
            "bad-id/deck.yaml:5:5: error: deck id `F/Bad_Id` has characters that are not allowed — use lowercase a-z, 0-9 and `-`, with `/` between parts, e.g. `aws-security/kms`",
            "bad-id/deck.yaml:7:10: error: card id `Card One` has characters that are not allowed — use lowercase a-z, 0-9 and `-`",
        ],
    );
}

#[test]
fn single_needs_exactly_one_correct_choice() {
    assert_reports(
        "single-two-correct",
        &[
            "single-two-correct/deck.yaml:12:7: error: a `single` question needs exactly one correct choice, found 2 — mark one choice `correct: true`, or use kind `multiple`",
        ],
    );
}

#[test]
fn multiple_select_must_match() {
    assert_reports(
        "multiple-select",
        &[
            "multiple-select/deck.yaml:10:13: error: `select: 3` does not match the 2 correct choices — write `select: 2` or change which choices are correct",
        ],
    );
}

#[test]
fn cloze_without_cloze() {
    assert_reports(
        "cloze-none",
        &[
            "cloze-none/deck.yaml:9:11: error: cloze text has no cloze — hide at least one part with `{{c1::…}}`",
        ],
    );
}

#[test]
fn order_needs_two_steps() {
    assert_reports(
        "order-short",
        &[
            "order-short/deck.yaml:10:12: error: an `order` question needs at least 2 steps, found 1 — add steps, listed in the correct order",
        ],
    );
}

#[test]
fn match_with_duplicate_sides() {
    assert_reports(
        "match-dup",
        &[
            "match-dup/deck.yaml:12:7: error: two pairs have the same right side — make every right item distinct, or the match is ambiguous",
        ],
    );
}

#[test]
fn unknown_domain() {
    assert_reports(
        "unknown-domain",
        &[
            "unknown-domain/deck.yaml:7:82: error: unknown domain `gama` for exam `test-exam` — domains of test-exam: alpha, beta",
        ],
    );
}

#[test]
fn unknown_kind() {
    assert_reports(
        "unknown-kind",
        &[
            "unknown-kind/deck.yaml:7:19: error: unknown card kind `singel` — did you mean `single`?",
        ],
    );
}

#[test]
fn images_missing_escaping_remote_absolute_and_unused() {
    assert_reports(
        "images",
        &[
            "images/deck.yaml:14:13: error: image `diagrams/nope.svg` does not exist — check the spelling and the folder, relative to the deck file",
            "images/deck.yaml:19:13: error: image `../secret.png` points outside the deck's folder — images must live in the deck's folder or below it; use a relative path like `diagrams/x.svg`",
            "images/deck.yaml:24:13: error: image `https://example.com/x.png` is a remote URL; examdeck never fetches from the network — copy the image into the deck's folder and refer to it by a relative path",
            "images/deck.yaml:29:13: error: image `/etc/x.png` is an absolute path — images must live in the deck's folder or below it; use a relative path like `diagrams/x.svg`",
            "images/diagrams/unused.svg:1:1: warning: image file is not used by any card — refer to it from a card or delete it",
        ],
    );
}

#[test]
fn yaml_syntax_error() {
    assert_reports(
        "syntax",
        &[
            "syntax/deck.yaml:10:11: error: not valid YAML: illegal placement of ':' indicator — check indentation and quoting near this place; text containing `: ` or starting with `{`, `[`, `*`, `&` must be quoted",
        ],
    );
}

#[test]
fn alias_bomb_is_stopped() {
    let diags = check("alias-bomb");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].starts_with("alias-bomb/deck.yaml:")
            && diags[0].contains(
                "error: file has aliases that expand to more than 10000 values (a YAML alias bomb?); refusing to read it"
            ),
        "{diags:?}"
    );
}

#[test]
fn deep_nesting_is_stopped() {
    assert_reports(
        "deep-nesting",
        &[
            "deep-nesting/deck.yaml:1:67: error: file nests deeper than 64 levels; refusing to read it — the file nests too deeply; decks need fewer than 10 levels",
        ],
    );
}

#[test]
fn warnings_for_missing_why_missing_source_and_long_prompt() {
    assert_reports(
        "warnings",
        &[
            "warnings/deck.yaml:12:7: warning: choice \"A\" has no `why` — explain why this option is right or wrong",
            "warnings/deck.yaml:14:5: warning: card has no `source` — say where the fact comes from, e.g. `source: \"notes › KMS\"`",
            "warnings/long.yaml:7:5: warning: prompt is longer than 2000 characters — move detail into `explanation`",
        ],
    );
}

#[test]
fn oversized_file_is_refused_and_the_rest_still_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.yaml");
    let mut text = String::from("examdeck: 1\nid: big\ntitle: Big\ncards:\n");
    while text.len() < 9 * 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, text).expect("write");
    std::fs::write(
        dir.path().join("small.yaml"),
        "examdeck: 1\nid: small\ntitle: Small\ncards:\n  - {id: a, kind: basic, prompt: p, answer: a, source: s}\n",
    )
    .expect("write");
    let lib = Library::load(&[DeckSource::Path(dir.path().to_path_buf())]);
    let msgs: Vec<String> = lib.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].ends_with(
            "big.yaml:0:0: error: file is larger than 8 MiB — split it into several decks"
        ),
        "{msgs:?}"
    );
    assert!(lib.deck("small").is_some(), "the other file still loads");
}

#[test]
fn one_broken_card_leaves_the_rest_of_the_deck() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("d.yaml"),
        "examdeck: 1\nid: d\ntitle: D\ncards:\n  - {id: ok, kind: basic, prompt: p, answer: a, source: s}\n  - {id: bad, kind: basic, prompt: p2, source: s}\n  - {id: ok2, kind: truefalse, prompt: p3, answer: false, source: s}\n",
    )
    .expect("write");
    let lib = Library::load(&[DeckSource::Path(dir.path().to_path_buf())]);
    let ids: Vec<&str> = lib.decks[0]
        .deck
        .cards
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["ok", "ok2"]);
    assert_eq!(lib.error_count(), 1);
}

#[test]
fn a_user_deck_overrides_a_bundled_deck_with_the_same_id() {
    let Some(bundled) = Library::load(&[DeckSource::Bundled]).decks.first().cloned() else {
        return; // No bundled deck yet: nothing to override.
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("mine.yaml"),
        format!(
            "examdeck: 1\nid: {}\ntitle: My copy\ncards:\n  - {{id: only, kind: basic, prompt: p, answer: a, source: s}}\n",
            bundled.deck.id
        ),
    )
    .expect("write");
    let lib = Library::load(&[
        DeckSource::Bundled,
        DeckSource::Path(dir.path().to_path_buf()),
    ]);
    let deck = &lib.deck(&bundled.deck.id).expect("deck").deck;
    assert_eq!(deck.title, "My copy");
    assert_eq!(deck.cards.len(), 1);
}

#[test]
fn content_hash_changes_with_text_but_not_with_order_or_tags() {
    let load = |text: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("d.yaml"), text).expect("write");
        Library::load(&[DeckSource::Path(dir.path().to_path_buf())]).decks[0]
            .deck
            .cards
            .iter()
            .map(|c| (c.id.clone(), c.content_hash.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let a = load(
        "examdeck: 1\nid: d\ntitle: D\ncards:\n  - {id: x, kind: basic, prompt: p, answer: a, source: s}\n  - {id: y, kind: basic, prompt: q, answer: b, source: s}\n",
    );
    let reordered = load(
        "examdeck: 1\nid: d\ntitle: D\ncards:\n  - {id: y, kind: basic, prompt: q, answer: b, source: s, tags: [t]}\n  - {id: x, kind: basic, prompt: p, answer: a, source: s}\n",
    );
    let edited = load(
        "examdeck: 1\nid: d\ntitle: D\ncards:\n  - {id: x, kind: basic, prompt: p, answer: a!, source: s}\n  - {id: y, kind: basic, prompt: q, answer: b, source: s}\n",
    );
    assert_eq!(a, reordered);
    assert_eq!(a["y"], edited["y"]);
    assert_ne!(a["x"], edited["x"]);
}
