//! Importing Anki packages and CSV files made by the real Anki (tests/fixtures/anki, built by
//! make_fixtures.py): exact YAML, round trip, history and FSRS state, re-import, CSV.

use chrono::{DateTime, Utc};
use examdeck::deck::{CardBody, DeckSource, ItemKey, Library};
use examdeck::import::{self, Options, Plan};
use examdeck::learner::{Answer, Learner};
use examdeck::schedule::Rating;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(name)
}

fn plan(name: &str, opts: &Options) -> Plan {
    import::plan(&fixture(name), opts, &mut |_| {}).expect("plan")
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .expect("date")
        .with_timezone(&Utc)
}

fn write(p: &Plan, into: &Path) -> import::WriteSummary {
    let current = Library::load(&[DeckSource::Path(into.to_path_buf())]);
    import::write(p, into, &current).expect("write")
}

const KMS_YAML: &str = include_str!("fixtures/anki/expected-security.crypto.kms.yaml");

#[test]
fn modern_package_writes_exactly_this_yaml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = plan("shared.apkg", &Options::default());
    write(&p, dir.path());
    let written = std::fs::read_to_string(dir.path().join("shared/security.crypto.kms.yaml"))
        .expect("deck file");
    assert_eq!(written, KMS_YAML);
    assert!(dir.path().join("shared/media/key-diagram.png").is_file());
}

#[test]
fn legacy_modern_and_collection_packages_give_the_same_decks() {
    let modern = plan("shared.apkg", &Options::default());
    let legacy = plan("shared-legacy.apkg", &Options::default());
    let colpkg = plan("mine.colpkg", &Options::default());
    assert_eq!(modern.decks, legacy.decks);
    assert_eq!(modern.decks, colpkg.decks);
    assert_eq!(modern.media, legacy.media);
    let ids: Vec<&str> = modern.decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["security", "security/crypto/kms"]);
}

#[test]
fn note_types_map_to_card_kinds() {
    let p = plan("shared.apkg", &Options::default());
    let cards: Vec<(&str, &str)> = p
        .decks
        .iter()
        .flat_map(|d| &d.cards)
        .map(|c| (c.id.as_str(), c.kind.name()))
        .collect();
    assert_eq!(
        cards,
        [
            ("fixture-basic", "basic"),
            ("fixture-reversed", "basic"),
            ("fixture-reversed-2", "basic"),
            ("fixture-optional", "basic"),
            ("fixture-optional-2", "basic"),
            ("fixture-optional-off", "basic"),
            ("fixture-typein", "basic"),
            ("fixture-gone", "basic"),
            ("fixture-cloze", "cloze"),
            ("fixture-image", "basic"),
            ("fixture-vocab", "basic"),
        ]
    );
    let reversed = &p.decks[0].cards[2];
    assert_eq!(reversed.prompt.as_deref(), Some("Key Management Service"));
    assert_eq!(reversed.answer.as_deref(), Some("KMS"));
    let typein = &p.decks[0].cards[6];
    assert_eq!(typein.answer.as_deref(), Some("Port of HTTPS? 443"));
    assert!(
        p.warnings.iter().any(|w| w.contains("\"Vocab\"")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("<script>")),
        "{:?}",
        p.warnings
    );
    assert!(p.warnings.iter().any(|w| w.contains("javascript:")));
    assert!(p.warnings.iter().any(|w| w.contains("remote image")));
    assert!(p.warnings.iter().any(|w| w.contains("sound hello.mp3")));
}

/// Import → YAML → load: every card's learner-visible content is the source field after the
/// documented HTML → Markdown mapping.
#[test]
fn round_trip_keeps_the_mapped_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = plan("shared.apkg", &Options::default());
    write(&p, dir.path());
    let lib = Library::load(&[DeckSource::Path(dir.path().to_path_buf())]);
    assert_eq!(lib.error_count(), 0, "{:?}", lib.diagnostics);
    for d in &p.decks {
        let loaded = lib.deck(&d.id).expect("deck loaded");
        assert_eq!(loaded.deck.cards.len(), d.cards.len());
        for (c, l) in d.cards.iter().zip(&loaded.deck.cards) {
            assert_eq!(c.id, l.id);
            match &l.body {
                CardBody::Basic { answer } => {
                    assert_eq!(c.prompt.as_deref(), Some(l.prompt.as_str()));
                    assert_eq!(c.answer.as_deref(), Some(answer.as_str()));
                }
                CardBody::Cloze { ordinals } => {
                    assert_eq!(c.text.as_deref(), Some(l.prompt.as_str()));
                    assert_eq!(ordinals, &[1, 2, 3]);
                }
                other => panic!("unexpected kind {other:?}"),
            }
            assert_eq!(c.explanation, l.explanation);
        }
    }
    let card = |deck: &str, id: &str| {
        lib.deck(deck)
            .and_then(|d| d.deck.cards.iter().find(|c| c.id == id))
            .expect("card")
            .clone()
    };
    // <b> → **, <br> → hard break, <i> → *, &amp; → &.
    let basic = card("security", "fixture-basic");
    assert_eq!(basic.prompt, "What does **CloudTrail** record?");
    assert_eq!(
        basic.body,
        CardBody::Basic {
            answer: "API calls\\\n— who, what, *when* & where".into()
        }
    );
    assert_eq!(basic.tags, ["aws::audit", "logging"]);
    let cloze = card("security/crypto/kms", "fixture-cloze");
    assert_eq!(
        cloze.prompt,
        "AWS managed keys rotate {{c1::every year}}; imported key material \
         {{c2::cannot rotate automatically::automatic rotation?}}. {{c3::CMKs}} are now called KMS keys."
    );
    assert_eq!(
        cloze.explanation.as_deref(),
        Some("*   see the docs\n*   and `aws kms`")
    );
    let image = card("security/crypto/kms", "fixture-image");
    assert_eq!(image.prompt, "Which diagram?\n\n![](media/key-diagram.png)");
    assert_eq!(
        lib.read_asset("security/crypto/kms", "media/key-diagram.png")
            .expect("image")
            .len(),
        71
    );
}

#[test]
fn history_is_imported_once_and_rebuilds_the_fsrs_state() {
    let data = tempfile::tempdir().expect("tempdir");
    let decks = data.path().join("decks");
    let p = plan("mine.colpkg", &Options::default());
    assert!(p.with_history, "on by default for a .colpkg");
    assert_eq!(p.history.reviews.len(), 7);
    assert_eq!(p.history.skipped_manual, 1);
    let sources = [DeckSource::Path(decks.clone())];
    let mut learner = Learner::open_in_memory().expect("learner");
    learner.set_time_zone(Utc);
    let out = import::apply(
        std::slice::from_ref(&p),
        &decks,
        &sources,
        Some(&mut learner),
        now(),
        &mut |_| {},
    )
    .expect("apply");
    let h = out.history.expect("history");
    assert_eq!((h.added, h.already, h.unknown_items), (7, 0, 0));

    // The same answers given live, at the same times, give the same FSRS state.
    let library = Library::load(&sources);
    let mut live = Learner::open_in_memory().expect("learner");
    live.set_time_zone(Utc);
    live.sync_library(&library, now()).expect("sync");
    let key = ItemKey {
        deck: "security".into(),
        card: "fixture-basic".into(),
        ord: 0,
    };
    for r in p.history.reviews.iter().filter(|r| r.key == key) {
        let at = DateTime::from_timestamp_millis(r.at_ms).expect("time");
        live.answer(&key, &Answer::new(r.rating), at)
            .expect("answer");
    }
    let imported = learner.item_state(&key).expect("state").expect("item");
    let expected = live.item_state(&key).expect("state").expect("item");
    assert_eq!(imported.reps, 6);
    assert_eq!(imported.lapses, 1);
    assert!(imported.stability.is_some());
    assert_eq!(imported.stability, expected.stability);
    assert_eq!(imported.difficulty, expected.difficulty);
    assert_eq!(imported.due, expected.due);
    let ratings: Vec<Rating> = learner
        .history(&key)
        .expect("history")
        .iter()
        .map(|e| e.rating)
        .collect();
    assert_eq!(
        ratings,
        [
            Rating::Good,
            Rating::Good,
            Rating::Good,
            Rating::Again,
            Rating::Good,
            Rating::Easy
        ]
    );
    // The cloze's second deletion has its one answer.
    let cloze = ItemKey {
        deck: "security/crypto/kms".into(),
        card: "fixture-cloze".into(),
        ord: 2,
    };
    assert_eq!(learner.history(&cloze).expect("history").len(), 1);

    // Importing the same package again adds nothing.
    let again = import::apply(
        &[p],
        &decks,
        &sources,
        Some(&mut learner),
        now(),
        &mut |_| {},
    )
    .expect("apply again");
    let h = again.history.expect("history");
    assert_eq!((h.added, h.already), (0, 7));
    assert_eq!(
        learner.item_state(&key).expect("state").expect("item").reps,
        6
    );
}

#[test]
fn reimport_of_a_changed_package_keeps_progress_and_flags_edits() {
    let data = tempfile::tempdir().expect("tempdir");
    let decks = data.path().join("decks");
    let sources = [DeckSource::Path(decks.clone())];
    let mut learner = Learner::open_in_memory().expect("learner");
    let v1 = plan("shared.apkg", &Options::default());
    let first = import::apply(&[v1], &decks, &sources, None, now(), &mut |_| {}).expect("v1");
    assert_eq!(first.totals(), (11, 0, 0));
    let lib = Library::load(&sources);
    learner.sync_library(&lib, now()).expect("sync");
    let key = ItemKey {
        deck: "security".into(),
        card: "fixture-basic".into(),
        ord: 0,
    };
    learner
        .answer(&key, &Answer::new(Rating::Good), now())
        .expect("answer");

    let v2 = plan("shared-v2.apkg", &Options::default());
    let second = import::apply(&[v2], &decks, &sources, None, now(), &mut |_| {}).expect("v2");
    assert_eq!(
        second.totals(),
        (1, 1, 1),
        "added fixture-new, changed fixture-basic, removed fixture-gone"
    );
    let lib = Library::load(&sources);
    assert_eq!(lib.error_count(), 0, "{:?}", lib.diagnostics);
    assert_eq!(lib.warning_count(), 0, "{:?}", lib.diagnostics);
    assert!(
        !decks.join("shared").exists(),
        "the older copy's folder is gone"
    );
    learner.sync_library(&lib, now()).expect("sync");
    let state = learner.item_state(&key).expect("state").expect("item");
    assert_eq!(state.reps, 1, "progress kept");
    assert!(state.edited, "the edited card is flagged");
}

#[test]
fn anki_note_csv_quizlet_and_plain_csv() {
    let p = plan("notes.txt", &Options::default());
    let ids: Vec<&str> = p.decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["security", "security/crypto/kms"]);
    let basic = &p.decks[0].cards[0];
    assert_eq!(basic.id, "fixture-basic");
    assert_eq!(
        basic.prompt.as_deref(),
        Some("What does **CloudTrail** record?")
    );
    assert_eq!(basic.tags, ["aws::audit", "logging"]);
    assert!(p.decks[1].cards.iter().any(|c| c.kind.name() == "cloze"));

    let dir = tempfile::tempdir().expect("tempdir");
    let quizlet = dir.path().join("Quizlet Set.tsv");
    std::fs::write(
        &quizlet,
        "IAM\tIdentity and Access Management\nKMS\tKey Management Service\n",
    )
    .expect("write");
    let q = import::plan(
        &quizlet,
        &Options {
            deck_prefix: Some("group".into()),
            ..Options::default()
        },
        &mut |_| {},
    )
    .expect("quizlet");
    assert_eq!(q.decks[0].id, "group/quizlet-set");
    assert_eq!(
        q.decks[0].cards[1].answer.as_deref(),
        Some("Key Management Service")
    );

    let plain = dir.path().join("plain.csv");
    std::fs::write(
        &plain,
        "prompt,answer,tags\n\"What, exactly?\",\"This\",a b\n",
    )
    .expect("write");
    let c = import::plan(&plain, &Options::default(), &mut |_| {}).expect("csv");
    assert_eq!(c.decks[0].cards.len(), 1);
    assert_eq!(
        c.decks[0].cards[0].prompt.as_deref(),
        Some("What, exactly?")
    );
    assert_eq!(c.decks[0].cards[0].tags, ["a", "b"]);
    let into = dir.path().join("decks");
    write(&c, &into);
    let lib = Library::load(&[DeckSource::Path(into)]);
    assert_eq!(lib.error_count(), 0, "{:?}", lib.diagnostics);
}

#[test]
fn dry_run_cli_prints_json_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = env!("CARGO_BIN_EXE_examdeck");
    let out = std::process::Command::new(exe)
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["import", "--dry-run", "--format", "json"])
        .arg(fixture("mine.colpkg"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[0]["history_answers"], 7);
    assert_eq!(v[0]["decks"][1]["cards"]["cloze"], 1);
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}
