//! Sync of the records beside the review log, with real folders: finished mock-exam attempts
//! (both ways, idempotent, open attempts stay home, a damaged attempt skipped with a message)
//! and settings stamped when saved (an older offline edit never wins).

mod sync_support;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use examdeck::deck::{DeckSource, Library};
use examdeck::exam::{
    Attempt, Forecast, ForecastItem, Mode as ExamMode, PaperSpec, Report, Response, draw_paper,
    exam_pool, forecast, paper_cards,
};
use examdeck::learner::AttemptSummary;
use examdeck::schedule::Settings;
use examdeck::store::sync::{Record, ReviewRecord};
use examdeck::store::sync_attempts::AttemptRecord;
use rand::{SeedableRng, rngs::StdRng};
use std::path::PathBuf;
use sync_support::*;

const EXAM: &str = "paper-exam";

fn exam_library() -> Library {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exam-paper");
    let lib = Library::load(&[DeckSource::Path(dir)]);
    assert_eq!(lib.error_count(), 0, "{:?}", lib.diagnostics);
    lib
}

/// A mock exam started at `start` with the first `right` questions answered right (not
/// submitted), and the forecast made before it.
fn sit(lib: &Library, seed: u64, start: DateTime<Utc>, right: usize) -> (Attempt, Forecast) {
    let bp = lib.exam(EXAM).expect("fixture blueprint");
    let pool = exam_pool(lib, &bp.id).expect("pool");
    let spec = PaperSpec {
        questions: bp.questions as usize,
        domain: None,
        seed,
    };
    let paper = draw_paper(&pool, bp, &spec, &|_| 1.0).expect("paper");
    let cards = paper_cards(lib, &paper).expect("cards");
    let items: Vec<ForecastItem> = paper
        .questions
        .iter()
        .zip(&cards)
        .filter_map(|(q, c)| ForecastItem::new(&q.domain, c, None))
        .collect();
    let before = forecast(bp, &items);
    let mut attempt = Attempt::new(paper, ExamMode::Exam, None, start);
    for (i, card) in cards.iter().enumerate().take(right) {
        let at = start + Duration::seconds(30 * i as i64);
        attempt.goto(i, at).expect("goto");
        let answer = Response::correct_for(card).expect("a question");
        attempt.answer(answer, at).expect("answer");
    }
    (attempt, before)
}

/// Submits `attempt` at `at` and scores it.
fn finish(lib: &Library, attempt: &mut Attempt, at: DateTime<Utc>) -> Report {
    attempt.submit(at).expect("submit");
    let bp = lib.exam(EXAM).expect("fixture blueprint");
    let cards = paper_cards(lib, &attempt.paper).expect("cards");
    attempt.report(bp, &cards).expect("report")
}

/// Sits and saves a finished attempt (submitted ten minutes after `start`).
fn save_finished(d: &mut Device, lib: &Library, seed: u64, start: DateTime<Utc>, right: usize) {
    let (mut attempt, before) = sit(lib, seed, start, right);
    let now = start + Duration::minutes(10);
    let report = finish(lib, &mut attempt, now);
    d.learner
        .save_attempt(None, &attempt, Some(&report), Some(&before), now)
        .expect("save");
}

/// An attempt history without the local row ids (they differ between devices).
fn history(d: &Device) -> Vec<AttemptSummary> {
    let mut h = d.learner.attempt_history(EXAM).expect("history");
    for a in &mut h {
        a.id = 0;
    }
    h
}

fn exchange(a: &mut Device, b: &mut Device, at: DateTime<Utc>, rng: &mut StdRng) {
    a.sync(at);
    b.sync(at);
    deliver(a, b, Mode::Whole, rng);
    deliver(b, a, Mode::Whole, rng);
}

#[test]
fn finished_attempts_sync_both_ways_once_and_open_ones_stay_home() {
    let lib = exam_library();
    let mut rng = StdRng::seed_from_u64(1);
    let mut a = Device::new(&lib);
    let mut b = Device::new(&lib);
    save_finished(&mut a, &lib, 1, t0(), 9);
    save_finished(&mut b, &lib, 2, t0() + Duration::hours(1), 4);
    // An attempt left open on A: it must stay there.
    let (mut open, _) = sit(&lib, 3, t0() + Duration::hours(2), 0);
    let open_id = a
        .learner
        .save_attempt(None, &open, None, None, t0() + Duration::hours(2))
        .expect("save open");

    exchange(&mut a, &mut b, t0() + Duration::hours(3), &mut rng);
    let into_a = a.sync(t0() + Duration::hours(4));
    let into_b = b.sync(t0() + Duration::hours(4));
    assert_eq!((into_a.attempts, into_b.attempts), (1, 1), "{into_b:?}");
    assert!(into_b.problems.is_empty(), "{:?}", into_b.problems);

    let on_a = history(&a);
    assert_eq!(on_a.len(), 2, "{on_a:?}");
    assert_eq!(on_a, history(&b), "the same history on both devices");
    let scores: Vec<(f64, bool)> = on_a.iter().map(|h| (h.percent.round(), h.passed)).collect();
    assert_eq!(scores, vec![(90.0, true), (40.0, false)]);
    assert!(
        on_a.iter().all(|h| h.forecast.is_some()),
        "forecasts travel"
    );
    assert!(!on_a[0].per_domain.is_empty(), "the report travels");
    assert!(b.learner.open_attempt().expect("open").is_none());
    assert_eq!(
        a.learner.open_attempt().expect("open").map(|s| s.id),
        Some(open_id),
        "the open attempt is still resumable where it was started"
    );

    // Idempotent: nothing new goes out or comes in, the history is unchanged.
    let again = b.sync(t0() + Duration::hours(5));
    assert_eq!((again.attempts, again.exported), (0, 0), "{again:?}");
    assert_eq!(history(&b).len(), 2);

    // Once A finishes the open attempt, it travels too.
    let report = finish(&lib, &mut open, t0() + Duration::hours(6));
    a.learner
        .save_attempt(
            Some(open_id),
            &open,
            Some(&report),
            None,
            t0() + Duration::hours(6),
        )
        .expect("finish");
    exchange(&mut a, &mut b, t0() + Duration::hours(7), &mut rng);
    assert_eq!(b.sync(t0() + Duration::hours(8)).attempts, 1);
    assert_eq!(history(&a), history(&b));
    assert_eq!(history(&b).len(), 3);
}

#[test]
fn a_damaged_attempt_is_skipped_with_a_message_and_the_rest_of_its_file_merges() {
    let lib = exam_library();
    let mut rng = StdRng::seed_from_u64(2);
    let mut a = Device::new(&lib);
    let mut b = Device::new(&lib);
    save_finished(&mut a, &lib, 1, t0(), 9);
    a.sync(t0() + Duration::hours(1));
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    assert_eq!(b.sync(t0() + Duration::hours(1)).attempts, 1);
    let good = history(&b)[0].clone();

    // A later file of A's holding one unreadable attempt, one whose paper is for another
    // exam, a sound one and an answer (written as a newer or buggy examdeck might).
    let (mut attempt, _) = sit(&lib, 5, t0() + Duration::hours(2), 7);
    let report = finish(&lib, &mut attempt, t0() + Duration::hours(3));
    let sound = AttemptRecord {
        uid: "a-sound".into(),
        exam: EXAM.into(),
        started: attempt.started_at.timestamp_millis(),
        finished: (t0() + Duration::hours(3)).timestamp_millis(),
        percent: report.percent,
        scaled: i64::from(report.scaled),
        passed: report.passed,
        state: serde_json::to_string(&attempt).expect("json"),
        report: Some(serde_json::to_string(&report).expect("json")),
        forecast: None,
    };
    let unreadable = AttemptRecord {
        uid: "a-unreadable".into(),
        state: "{\"paper\": 3".into(),
        ..sound.clone()
    };
    let other_exam = AttemptRecord {
        uid: "a-other".into(),
        exam: "another-exam".into(),
        ..sound.clone()
    };
    let (deck, card, ord) = lib
        .items()
        .map(|(k, _, _)| (k.deck, k.card, k.ord))
        .next()
        .expect("an item");
    let answer = ReviewRecord {
        uid: "a-review".into(),
        deck,
        card,
        ord,
        at: (t0() + Duration::hours(3)).timestamp_millis(),
        rating: 3,
        kind: 1,
        time_ms: 4000,
        response: None,
    };
    let records = vec![
        Record::Attempt(unreadable),
        Record::Attempt(other_exam),
        Record::Attempt(sound),
        Record::Review(answer),
    ];
    let a_id = a.id();
    let created = (t0() + Duration::hours(3)).timestamp_millis();
    let dir = examdeck::sync::devices_dir(b.replica.path()).join(&a_id);
    let bytes = examdeck::sync::file::encode(&a_id, created, &records);
    std::fs::write(dir.join(examdeck::sync::file::segment_name(created)), bytes).expect("write");

    let o = b.sync(t0() + Duration::hours(4));
    assert_eq!(o.problems.len(), 2, "{:?}", o.problems);
    assert!(
        o.problems[0]
            .message
            .contains("mock-exam attempt a-unreadable cannot be read"),
        "{}",
        o.problems[0].message
    );
    assert!(
        o.problems[1].message.contains("another-exam"),
        "{}",
        o.problems[1].message
    );
    assert!(o.summary().ends_with("skipped"), "{}", o.summary());
    assert_eq!((o.attempts, o.merged.reviews), (1, 1), "{o:?}");
    let h = history(&b);
    assert_eq!(h.len(), 2);
    assert_eq!(h[0], good);
    assert_eq!(h[1].percent.round(), 70.0);
    // The file is merged: the damaged attempts are not reported again.
    assert!(b.sync(t0() + Duration::hours(5)).problems.is_empty());
}

fn with_new_per_day(d: &Device, n: u32) -> Settings {
    Settings {
        new_per_day: n,
        ..d.learner.settings().clone()
    }
}

#[test]
fn settings_are_stamped_when_saved_so_the_newer_edit_wins_whoever_syncs_last() {
    let lib = library();
    let mut rng = StdRng::seed_from_u64(3);
    let mut a = Device::new(&lib);
    let mut b = Device::new(&lib);
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 9, d).expect("date");
    // Offline edits: A changes the new-card pace at t1, B at t2 > t1; for the exam date it
    // is the other way round.
    let t1 = t0() + Duration::hours(1);
    let t2 = t0() + Duration::hours(2);
    let mut s = b.learner.settings().clone();
    s.exam_dates.insert(EXAM.into(), day(10));
    b.learner.set_settings_at(s, t0()).expect("B's date at t0");
    let s = with_new_per_day(&a, 11);
    a.learner.set_settings_at(s, t1).expect("A's pace at t1");
    let s = with_new_per_day(&b, 22);
    b.learner.set_settings_at(s, t2).expect("B's pace at t2");
    let mut s = a.learner.settings().clone();
    s.exam_dates.insert(EXAM.into(), day(25));
    let t3 = t2 + Duration::minutes(5);
    a.learner.set_settings_at(s, t3).expect("A's date at t3");

    // B syncs first, A syncs last (hours after both edits).
    b.sync(t0() + Duration::hours(3));
    deliver(&b, &mut a, Mode::Whole, &mut rng);
    a.sync(t0() + Duration::hours(9));
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    b.sync(t0() + Duration::hours(10));
    for (name, d) in [("A", &a), ("B", &b)] {
        let s = d.learner.settings();
        assert_eq!(s.new_per_day, 22, "B's newer pace wins on {name}");
        assert_eq!(
            s.exam_dates.get(EXAM),
            Some(&day(25)),
            "A's newer exam date wins on {name}"
        );
    }
    let mut devs = vec![a, b];
    settle(&mut devs, t0() + Duration::hours(11), &mut rng);
    assert_converged(&mut devs, &lib);
}
