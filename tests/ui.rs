//! The desktop app driven like a user, headless (egui_kittest): no display or GPU needed.

use chrono::{DateTime, TimeZone, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use examdeck::app::core::AppCore;
use examdeck::deck::DeckSource;
use examdeck::ui::{ExamdeckApp, Screen};
use std::path::Path;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn fixture(name: &str) -> DeckSource {
    DeckSource::Path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
}

fn harness(sources: Vec<DeckSource>) -> Harness<'static, ExamdeckApp> {
    let core = AppCore::in_memory(sources, now()).expect("open in memory");
    let app = ExamdeckApp::new(core);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(|ui, app: &mut ExamdeckApp| app.frame(ui), app);
    h.run();
    h
}

#[test]
fn first_launch_shows_the_bundled_decks() {
    let h = harness(vec![DeckSource::Bundled]);
    h.get_by_label("AWS Certified Security – Specialty (SCS-C03)");
    h.get_by_label("AWS CloudTrail");
    h.get_by_label("AWS Config");
    h.get_by_label("Study now");
}

#[test]
fn study_a_flashcard_end_to_end_with_undo() {
    let mut h = harness(vec![fixture("ui")]);
    h.state_mut().apply(examdeck::ui::Action::Study(
        examdeck::learner::StudyScope::Deck("ui/flash".into()),
    ));
    h.run();
    h.get_by_label("What does CloudTrail record?");
    assert!(
        h.query_by_label("API activity in the account.").is_none(),
        "answer hidden before reveal"
    );
    h.key_press(egui::Key::Space);
    h.run();
    h.get_by_label("API activity in the account.");
    h.get_by_label_contains("3 Good").click();
    h.run();
    assert_eq!(h.state().session.as_ref().map(|s| s.answered), Some(1));
    assert_eq!(
        h.state()
            .core
            .learner
            .history(&key("ui/flash", "capital"))
            .map(|v| v.len())
            .ok(),
        Some(1)
    );
    h.get_by_label("Undo").click();
    h.run();
    assert_eq!(h.state().session.as_ref().map(|s| s.answered), Some(0));
    assert_eq!(
        h.state()
            .core
            .learner
            .history(&key("ui/flash", "capital"))
            .map(|v| v.len())
            .ok(),
        Some(0)
    );
    h.get_by_label("What does CloudTrail record?");
}

fn key(deck: &str, card: &str) -> examdeck::deck::ItemKey {
    examdeck::deck::ItemKey {
        deck: deck.into(),
        card: card.into(),
        ord: 0,
    }
}

fn study_question(h: &mut Harness<'static, ExamdeckApp>, card: &str) {
    h.state_mut().apply(examdeck::ui::Action::Study(
        examdeck::learner::StudyScope::Items(vec![key("ui/questions", card)]),
    ));
    h.run();
}

#[test]
fn a_single_choice_answered_right_shows_every_why() {
    let mut h = harness(vec![fixture("ui")]);
    study_question(&mut h, "single");
    h.get_by_label_contains("CloudTrail").click();
    h.run();
    h.get_by_label("Submit (Enter)").click();
    h.run();
    h.get_by_label("Correct");
    h.get_by_label("It records API calls.");
    h.get_by_label("It scans for vulnerabilities.");
    h.get_by_label("CloudTrail records API activity.");
    // A right answer may be graded Hard, Good or Easy, never Again.
    assert!(h.query_by_label_contains("1 Again").is_none());
    h.get_by_label_contains("3 Good");
}

#[test]
fn a_multiple_choice_answered_wrong_is_again() {
    let mut h = harness(vec![fixture("ui")]);
    study_question(&mut h, "multi");
    h.get_by_label_contains("GuardDuty").click();
    h.get_by_label_contains("AWS Artifact").click();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Not quite");
    h.get_by_label("It hosts compliance reports.");
    h.get_by_label_contains("1 Again");
    assert!(h.query_by_label_contains("3 Good").is_none());
    h.key_press(egui::Key::Enter);
    h.run();
    let history = h
        .state()
        .core
        .learner
        .history(&key("ui/questions", "multi"))
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].rating, examdeck::schedule::Rating::Again);
}

#[test]
fn browse_search_narrows_the_list() {
    let mut h = harness(vec![fixture("ui")]);
    h.state_mut()
        .apply(examdeck::ui::Action::Go(Screen::Browse));
    h.run();
    h.get_by_label("5 of 5 items (each cloze gap is one)");
    h.get_by_label("Search").focus();
    h.get_by_label("Search").type_text("vulnerabilities");
    h.run();
    h.get_by_label("2 of 5 items (each cloze gap is one)");
}

#[test]
fn the_problems_panel_lists_a_broken_deck() {
    let mut h = harness(vec![fixture("ui"), fixture("ui-broken")]);
    h.get_by_label("Problems (2)").click();
    h.run();
    h.get_by_label_contains("broken.yaml:7:5");
    h.get_by_label("unknown field `promt` in card");
}

#[test]
fn settings_change_the_daily_new_card_limit() {
    let mut h = harness(vec![fixture("ui")]);
    h.get_by_label("Settings").click();
    h.run();
    h.state_mut().settings.draft.new_per_day = 7;
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(h.state().core.learner.settings().new_per_day, 7);
    h.get_by_label("Saved.");
}

#[test]
fn mock_exam_answer_flag_navigate_submit_and_study_mistakes() {
    let mut h = harness(vec![fixture("ui")]);
    h.get_by_label("Mock exam").click();
    h.run();
    h.state_mut().exam.setup.exam = "mini".into();
    h.get_by_label("Start mock exam").click();
    h.run();
    h.get_by_label("Question 1 of 3");
    h.get_by_label("Flag for review").click();
    h.run();
    h.get_by_label("Next ⏵").click();
    h.run();
    h.get_by_label("Question 2 of 3");
    h.get_by_label("Submit exam…").click();
    h.run();
    h.get_by_label("Submit the exam?");
    h.get_by_label_contains("3 unanswered");
    h.get_by_label_contains("1 flagged for review: 1");
    h.get_by_label("Submit now").click();
    h.run();
    h.get_by_label("Mock exam report");
    h.get_by_label("FAIL");
    h.get_by_label_contains("Study my mistakes (3)").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Study);
    assert!(
        h.state()
            .session
            .as_ref()
            .is_some_and(|s| s.current.is_some())
    );
}

#[test]
fn browse_selecting_a_row_previews_the_card_with_its_history() {
    let mut h = harness(vec![fixture("ui")]);
    h.state_mut()
        .apply(examdeck::ui::Action::Go(Screen::Browse));
    h.run();
    h.get_by_label("Search").focus();
    h.get_by_label("Search").type_text("vulnerabilities");
    h.run();
    h.get_by_label("Select a card to preview it.");
    h.get_by_label_contains("Which TWO services").click();
    h.run();
    h.get_by_label("Suspend");
    h.get_by_label("Never studied.");
    h.get_by_label("It hosts compliance reports.");
}

#[test]
fn a_single_choice_answered_wrong_shows_the_right_one_and_is_again() {
    let mut h = harness(vec![fixture("ui")]);
    study_question(&mut h, "single");
    h.get_by_label_contains("Inspector").click();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Not quite");
    h.get_by_label("✔ correct answer");
    h.get_by_label("✖ your answer, wrong");
    h.get_by_label("It scans for vulnerabilities.");
    assert!(h.query_by_label_contains("3 Good").is_none());
}

#[test]
fn a_multiple_choice_answered_right_can_be_graded_easy() {
    let mut h = harness(vec![fixture("ui")]);
    study_question(&mut h, "multi");
    h.get_by_label_contains("GuardDuty").click();
    h.get_by_label_contains("Amazon Inspector").click();
    h.run();
    h.get_by_label("Submit (Enter)").click();
    h.run();
    h.get_by_label("Correct");
    h.get_by_label_contains("4 Easy").click();
    h.run();
    let history = h
        .state()
        .core
        .learner
        .history(&key("ui/questions", "multi"))
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].rating, examdeck::schedule::Rating::Easy);
    assert!(
        history[0]
            .response
            .as_deref()
            .is_some_and(|r| r.contains("\"multiple\"")),
        "the answer given is logged"
    );
}

#[test]
fn an_unfinished_mock_exam_is_resumed_with_its_answers() {
    let core = AppCore::in_memory(vec![fixture("ui")], now()).expect("core");
    let mut app = ExamdeckApp::new(core);
    app.exam.setup.exam = "mini".into();
    app.exam.setup.seed = 11;
    app.apply(examdeck::ui::Action::Go(Screen::Exam));
    let setup = app.exam.setup.clone();
    let mut s = examdeck::app::mock::MockSession::start(&mut app.core, &setup).expect("start");
    // Answer the first question right, whatever its kind.
    let first = s.attempt.paper.questions[0].key.clone();
    let card = examdeck::app::session::card_of(&app.core, &first)
        .expect("card")
        .clone();
    let right = examdeck::exam::Response::correct_for(&card).expect("a question");
    s.inputs[0].restore(&right);
    s.goto(&mut app.core, 1).expect("next");
    s.pause(&mut app.core).expect("pause");
    let answered = s.attempt.answers.iter().filter(|a| a.is_some()).count();
    assert_eq!(answered, 1);
    // A new window on the same data finds the attempt, on the same question.
    let again = ExamdeckApp::new(app.core);
    assert_eq!(again.screen, Screen::Exam);
    let resumed = again.exam.session.as_ref().expect("resumed");
    assert_eq!(resumed.attempt.current, 1);
    assert_eq!(
        resumed
            .attempt
            .answers
            .iter()
            .filter(|a| a.is_some())
            .count(),
        1
    );
    assert!(resumed.attempt.open_since.is_some(), "the clock runs again");
}

#[test]
fn the_window_shows_the_decks_at_once_and_their_counts_a_frame_later() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = examdeck::app::core::OpenOptions {
        defer_counts: true,
        ..Default::default()
    };
    let mut core = AppCore::open_with(dir.path().join("data"), &[], now(), &opts).expect("open");
    core.fixed_now = Some(now());
    assert!(!core.counts_ready());
    let app = ExamdeckApp::new(core);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(|ui, app: &mut ExamdeckApp| app.frame(ui), app);
    // The first frame draws the decks (with "Counting today's cards…"), then counts.
    h.step();
    h.get_by_label("AWS CloudTrail");
    assert!(
        h.state().core.counts_ready(),
        "counted after the first frame"
    );
    h.run();
    assert!(h.query_by_label("Counting today's cards…").is_none());
    h.get_by_label("Study now");
}
