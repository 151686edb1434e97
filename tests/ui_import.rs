//! "Add decks…" in the whole app, headless: the confirm step before one of the learner's
//! own deck files is replaced, and an outcome that survives the watcher's reloads.

use chrono::{DateTime, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use examdeck::app::core::AppCore;
use examdeck::ui::{Action, ExamdeckApp};
use std::path::Path;

const MINE: &str = "examdeck: 1\nid: group/net\ntitle: My notes\ncards:\n  - {id: a, kind: basic, prompt: p, answer: one, source: s}\n";
const THEIRS: &str = "examdeck: 1\nid: group/net\ntitle: Net\ncards:\n  - {id: a, kind: basic, prompt: p, answer: ONE, source: s}\n  - {id: c, kind: basic, prompt: r, answer: three, source: s}\n";

fn now() -> DateTime<Utc> {
    "2026-11-29T10:00:00Z".parse().expect("time")
}

fn harness(data: &Path) -> Harness<'static, ExamdeckApp> {
    let core = AppCore::open(data.to_path_buf(), &[], now()).expect("open");
    let app = ExamdeckApp::new(core);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(|ui, app: &mut ExamdeckApp| app.frame(ui), app);
    h.run();
    h
}

#[test]
fn replacing_a_deck_of_the_learner_asks_first_keeps_the_file_and_the_outcome_stays() {
    let data = tempfile::tempdir().expect("tempdir");
    let decks = data.path().join("decks");
    std::fs::create_dir_all(&decks).expect("mkdir");
    let mine = decks.join("my-notes.yaml");
    std::fs::write(&mine, MINE).expect("write");
    let src = tempfile::tempdir().expect("tempdir");
    let theirs = src.path().join("net.yaml");
    std::fs::write(&theirs, THEIRS).expect("write");

    let mut h = harness(data.path());
    h.state_mut().apply(Action::Import(theirs.clone()));
    h.run();
    h.get_by_label("Replace your own deck files?");
    assert!(mine.exists(), "nothing replaced before the learner agrees");
    h.get_by_label("Replace").click();
    h.run();
    h.run();
    assert!(!mine.exists());
    let kept: Vec<_> = walk(&decks.join(".replaced"));
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read_to_string(&kept[0]).expect("kept"), MINE);
    h.get_by_label_contains("Imported 1 deck(s)");
    h.get_by_label_contains("your file is kept at");

    // The watcher notices the new files and reloads: the status line changes, the outcome
    // stays on screen.
    h.state_mut().apply(Action::Reload);
    h.run();
    assert_eq!(h.state().core.status.as_deref(), Some("Decks reloaded."));
    h.get_by_label_contains("Imported 1 deck(s)");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.query_by_label_contains("Imported 1 deck(s)").is_none());
}

#[test]
fn an_import_error_stays_after_a_reload_and_cancel_changes_nothing() {
    let data = tempfile::tempdir().expect("tempdir");
    let src = tempfile::tempdir().expect("tempdir");
    let broken = src.path().join("broken.yaml");
    std::fs::write(&broken, "examdeck: 1\nid: x\ncards: []\n").expect("write");
    let mut h = harness(data.path());
    h.state_mut().apply(Action::Import(broken));
    h.run();
    h.state_mut().apply(Action::Reload);
    h.run();
    h.get_by_label_contains("no deck without errors found");

    // A conflicting import the learner cancels leaves their file alone.
    let decks = data.path().join("decks");
    std::fs::write(decks.join("my-notes.yaml"), MINE).expect("write");
    h.state_mut().apply(Action::Reload);
    let theirs = src.path().join("net.yaml");
    std::fs::write(&theirs, THEIRS).expect("write");
    h.state_mut().apply(Action::Import(theirs));
    h.run();
    h.get_by_label("Cancel").click();
    h.run();
    h.get_by_label_contains("nothing was changed");
    assert_eq!(
        std::fs::read_to_string(decks.join("my-notes.yaml")).expect("mine"),
        MINE
    );
    assert!(!decks.join(".replaced").exists());
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}
