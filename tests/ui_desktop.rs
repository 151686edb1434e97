//! The desktop-citizen parts of the app driven like a user, headless (egui_kittest): exam
//! names instead of ids, retired exams, watched deck folders, dialogs and deck packs.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use examdeck::app::core::AppCore;
use examdeck::app::dialog::DialogBackend;
use examdeck::deck::DeckSource;
use examdeck::ui::{ExamdeckApp, Screen};

const C03: &str = "AWS Certified Security – Specialty (SCS-C03)";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn harness_with(core: AppCore) -> Harness<'static, ExamdeckApp> {
    tall_harness(core, 1000.0)
}

/// A window tall enough that every row of a long screen can be clicked.
fn tall_harness(core: AppCore, height: f32) -> Harness<'static, ExamdeckApp> {
    let app = ExamdeckApp::new(core);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, height))
        .build_ui_state(|ui, app: &mut ExamdeckApp| app.frame(ui), app);
    h.run();
    h
}

fn bundled_with_exam_date() -> Harness<'static, ExamdeckApp> {
    let mut core = AppCore::in_memory(vec![DeckSource::Bundled], now()).expect("open in memory");
    let mut s = core.learner.settings().clone();
    s.exam_dates.insert(
        "aws-scs-c03".into(),
        NaiveDate::from_ymd_opt(2026, 12, 29).expect("date"),
    );
    core.learner.set_settings(s).expect("save settings");
    core.refresh_counts(now()).expect("counts");
    harness_with(core)
}

/// No widget a person reads names an exam by its id.
fn assert_no_exam_ids(h: &Harness<'static, ExamdeckApp>) {
    for id in ["aws-scs-c03", "AWS-SCS-C03", "aws-scs-c02", "AWS-SCS-C02"] {
        assert!(
            h.query_by_label_contains(id).is_none(),
            "a label shows the exam id {id}"
        );
    }
}

#[test]
fn home_names_the_exam_by_its_title() {
    let h = bundled_with_exam_date();
    h.get_by_label(&format!("{C03}: exam in 30 days (2026-12-29)"));
    assert_no_exam_ids(&h);
}

#[test]
fn mock_exam_picker_shows_titles_and_hides_retired_exams_unless_asked() {
    let mut h = bundled_with_exam_date();
    h.get_by_label("Mock exam").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Exam);
    assert_no_exam_ids(&h);
    // The picker shows the exam's title, never its id.
    assert!(h.query_by_value("aws-scs-c03").is_none());
    h.get_by_value(C03).click();
    h.run();
    assert!(
        h.query_by_label_contains("SCS-C02").is_none(),
        "a retired exam is offered by default"
    );
    // Close the popup, then ask for retired exams.
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("show retired exams").click();
    h.run();
    h.get_by_value(C03).click();
    h.run();
    h.get_by_label_contains("SCS-C02").click();
    h.run();
    assert_eq!(h.state().exam.setup.exam, "aws-scs-c02");
    assert_no_exam_ids(&h);
}

#[test]
fn settings_exam_dates_are_labelled_by_title_and_retired_ones_hidden() {
    let mut h = bundled_with_exam_date();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label(&format!("Exam date: {C03}"));
    assert!(
        h.query_by_label_contains("Exam date: AWS Certified Security – Specialty (SCS-C02")
            .is_none(),
        "a retired exam gets a date field by default"
    );
    assert_no_exam_ids(&h);
    h.get_by_label("show retired exams").click();
    h.run();
    h.get_by_label_contains("Exam date: AWS Certified Security – Specialty (SCS-C02");
}

fn fixture_dir(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs frames until `done` holds (a dialog answers from a worker thread).
fn run_until(
    h: &mut Harness<'static, ExamdeckApp>,
    what: &str,
    done: impl Fn(&ExamdeckApp) -> bool,
) {
    for _ in 0..200 {
        // A worker thread may answer mid-run; a run that hits the step cap just polls again.
        let _ = h.try_run();
        if done(h.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn no_file_dialog_says_so_in_one_line_and_the_typed_path_still_adds_decks() {
    let data = tempfile::tempdir().expect("tempdir");
    let core = AppCore::open(data.path().to_path_buf(), &[], now()).expect("open");
    let mut h = tall_harness(core, 3000.0);
    h.state_mut().dialogs.backend = DialogBackend::Unavailable;
    h.get_by_label("Add decks…").click();
    h.run();
    h.get_by_label("Choose a folder…").click();
    run_until(&mut h, "the dialog's answer", |app| !app.dialogs.is_open());
    h.run();
    h.get_by_label(examdeck::app::dialog::UNAVAILABLE);
    assert!(h.state().core.library.deck("ui/flash").is_none());
    // The typed path stays, with folder completion; Add imports the folder.
    h.state_mut().home.import_path.text = fixture_dir("ui").display().to_string();
    h.run();
    h.get_by_label("Add").click();
    h.run();
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert!(h.state().core.library.deck("ui/flash").is_some());
}

#[test]
fn settings_add_and_remove_a_watched_deck_folder_reloads_the_library() {
    let data = tempfile::tempdir().expect("tempdir");
    let group = tempfile::tempdir().expect("tempdir");
    for f in ["flash.yaml", "mini.exam.yaml"] {
        std::fs::copy(fixture_dir("ui").join(f), group.path().join(f)).expect("copy");
    }
    std::fs::write(
        group.path().join("broken.yaml"),
        "examdeck: 1\nid: broken\n",
    )
    .expect("write");
    let core = AppCore::open(data.path().to_path_buf(), &[], now()).expect("open");
    let mut h = tall_harness(core, 3000.0);
    h.get_by_label("Settings").click();
    h.run();
    h.state_mut().settings.folders.field.text = group.path().display().to_string();
    h.run();
    h.get_by_label("Watch").click();
    h.run();
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert!(h.state().core.library.deck("ui/flash").is_some());
    let saved = h.state().core.deck_folders().to_vec();
    assert_eq!(saved.len(), 1);
    // Saved in the learner's settings (the database), not only in the window.
    assert_eq!(h.state().core.learner.settings().deck_folders, saved);
    // The Problems panel names the folder.
    h.get_by_label_contains("Problems").click();
    h.run();
    h.get_by_label_contains(&format!("in watched deck folder {}", saved[0].display()));
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Remove").click();
    h.run();
    assert!(h.state().core.deck_folders().is_empty());
    assert!(h.state().core.library.deck("ui/flash").is_none());
}

#[test]
fn share_writes_a_pack_that_a_fresh_data_folder_imports_with_the_same_ids() {
    let data = tempfile::tempdir().expect("tempdir");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("flash.examdeck.zip");
    let core = AppCore::open(data.path().to_path_buf(), &[fixture_dir("ui")], now()).expect("open");
    let mut h = tall_harness(core, 3000.0);
    h.state_mut().dialogs.backend = DialogBackend::Fixed(out.clone());
    h.get_by_label("Settings").click();
    h.run();
    // "Share…" of the Flash deck: the list follows the library's order.
    let titles: Vec<String> = h
        .state()
        .core
        .library
        .decks
        .iter()
        .map(|d| d.deck.title.clone())
        .collect();
    let index = titles
        .iter()
        .position(|t| t == "Flash deck")
        .expect("deck listed");
    h.get_all_by_label("Share…")
        .nth(index)
        .expect("share button")
        .click();
    run_until(&mut h, "the pack", |_| out.exists());
    h.run();
    let pack = examdeck::pack::open_pack(&out).expect("a valid pack");
    assert_eq!(
        pack.manifest
            .decks
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>(),
        vec!["ui/flash"]
    );
    h.get_by_label_contains("Wrote the pack");

    // A fresh data folder: adding the pack shows its manifest first, then keeps the ids.
    let fresh = tempfile::tempdir().expect("tempdir");
    let core = AppCore::open(fresh.path().to_path_buf(), &[], now()).expect("open");
    let mut h2 = harness_with(core);
    h2.state_mut()
        .apply(examdeck::ui::Action::Import(out.clone()));
    h2.run();
    h2.get_by_label("Add a deck pack");
    h2.get_by_label("new: 1 card");
    assert!(
        h2.state().core.library.deck("ui/flash").is_none(),
        "nothing added before Add"
    );
    h2.get_by_label("Add these decks").click();
    h2.run();
    assert!(h2.state().error.is_none(), "{:?}", h2.state().error);
    let ids = |app: &ExamdeckApp| -> Vec<String> {
        app.core
            .library
            .deck("ui/flash")
            .map(|d| d.deck.cards.iter().map(|c| c.id.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(ids(h2.state()), ids(h.state()));
    assert!(!ids(h2.state()).is_empty());
}
