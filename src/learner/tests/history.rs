//! History: undo, burial, leeches, reset, mock-exam answers, recall and rebuild from the log.

use super::*;

#[test]
fn undo_many_steps_restores_exact_state() {
    let lib = synthetic::library(1, 6, 3); // cards 2 and 5 are clozes
    let mut now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let snapshot = |l: &Learner| l.store().read().all_items().expect("items");
    let mut snapshots = vec![snapshot(&l)];
    let mut keys = Vec::new();
    for _ in 0..8 {
        let next = l
            .next_item(&StudyScope::All, &lib, now)
            .expect("next")
            .expect("item");
        l.answer(&next.key, &Answer::new(Rating::Hard), now)
            .expect("answer");
        keys.push(next.key);
        snapshots.push(snapshot(&l));
        now += Duration::minutes(3);
    }
    l.suspend(&key(0, 0, 0), now).expect("suspend");
    l.bury(&key(0, 1, 0), now).expect("bury");
    assert_eq!(l.undo_depth(), 10);
    assert_eq!(l.undo().expect("undo"), Some(key(0, 1, 0)));
    assert_eq!(l.undo().expect("undo"), Some(key(0, 0, 0)));
    assert_eq!(snapshot(&l), snapshots[8]);
    for i in (0..8).rev() {
        assert_eq!(l.undo().expect("undo"), Some(keys[i].clone()));
        assert_eq!(snapshot(&l), snapshots[i], "after undoing answer {i}");
    }
    assert_eq!(l.undo().expect("undo"), None);
    assert_eq!(l.store().read().all_reviews().expect("log").len(), 0);
}

#[test]
fn cloze_siblings_are_buried_until_the_next_day() {
    let lib = synthetic::library(1, 1, 1); // one cloze card with c1 and c2
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let next = l
        .next_item(&StudyScope::All, &lib, now)
        .expect("next")
        .expect("item");
    assert_eq!(next.key, key(0, 0, 1));
    l.answer(&next.key, &Answer::new(Rating::Easy), now)
        .expect("answer");
    let sib = l.item_state(&key(0, 0, 2)).expect("state").expect("item");
    assert_eq!(sib.buried_until, Some(t("2026-03-02T04:00:00Z")));
    assert!(
        l.next_item(&StudyScope::All, &lib, now)
            .expect("next")
            .is_none()
    );
    assert_eq!(l.due_counts(&lib, now).expect("counts")[0].new, 0);
    let next = l
        .next_item(&StudyScope::All, &lib, t("2026-03-02T04:00:00Z"))
        .expect("next")
        .expect("sibling back");
    assert_eq!(next.key, key(0, 0, 2));
}

#[test]
fn leech_is_tagged_and_suspended_then_unsuspended() {
    let lib = synthetic::library(1, 1, 0);
    let mut now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let mut s = l.settings().clone();
    s.leech_threshold = 2;
    l.set_settings(s).expect("settings");
    let k = key(0, 0, 0);
    l.answer(&k, &Answer::new(Rating::Easy), now)
        .expect("graduate");
    let mut became = false;
    for _ in 0..2 {
        now = l.item_state(&k).expect("s").expect("i").due.expect("due");
        became = l
            .answer(&k, &Answer::new(Rating::Again), now)
            .expect("lapse")
            .became_leech;
        now += Duration::minutes(10);
        if !became {
            l.answer(&k, &Answer::new(Rating::Good), now)
                .expect("relearn");
        }
    }
    assert!(became);
    let st = l.item_state(&k).expect("state").expect("item");
    assert!(st.leech && st.suspended && st.lapses == 2);
    assert!(
        l.next_item(&StudyScope::All, &lib, now)
            .expect("next")
            .is_none()
    );
    l.unsuspend(&k, now).expect("unsuspend");
    let st = l.item_state(&k).expect("state").expect("item");
    assert!(st.leech && !st.suspended, "still tagged");
}

#[test]
fn reset_makes_new_and_cram_changes_nothing() {
    let lib = synthetic::library(1, 1, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let k = key(0, 0, 0);
    l.answer(&k, &Answer::new(Rating::Easy), now)
        .expect("answer");
    let before = l.item_state(&k).expect("state");
    let cram = Answer {
        kind: ReviewKind::Cram,
        ..Answer::new(Rating::Again)
    };
    let out = l.answer(&k, &cram, now + Duration::hours(1)).expect("cram");
    assert_eq!(out.kind, ReviewKind::Cram);
    assert_eq!(
        l.item_state(&k).expect("state"),
        before,
        "cram is logged only"
    );
    assert_eq!(l.history(&k).expect("history").len(), 2);
    l.reset(&k, now).expect("reset");
    let st = l.item_state(&k).expect("state").expect("item");
    assert_eq!((st.phase, st.reps, st.stability), (Phase::New, 0, None));
    assert_eq!(l.history(&k).expect("history").len(), 2, "history kept");
    assert_eq!(l.recall_at(&k, now).expect("recall"), None);
}

#[test]
fn mock_exam_answers_are_logged_and_schedule() {
    let lib = synthetic::library(1, 1, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let k = key(0, 0, 0);
    let a = Answer {
        rating: Rating::Good,
        kind: ReviewKind::MockExam,
        time_taken_ms: 42_000,
        response: Some("{\"chosen\":[1]}".into()),
    };
    let out = l.answer(&k, &a, now).expect("answer");
    assert_eq!(out.kind, ReviewKind::MockExam);
    assert_eq!(out.state.reps, 1);
    let h = l.history(&k).expect("history");
    assert_eq!(h[0].response.as_deref(), Some("{\"chosen\":[1]}"));
    assert_eq!(
        (h[0].time_taken_ms, h[0].kind),
        (42_000, ReviewKind::MockExam)
    );
    assert_eq!(h[0].id, out.review_id);
}

#[test]
fn recall_at_follows_the_forgetting_curve() {
    let lib = synthetic::library(1, 1, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let k = key(0, 0, 0);
    let st = l
        .answer(&k, &Answer::new(Rating::Easy), now)
        .expect("answer")
        .state;
    let s = f64::from(st.stability.expect("stability"));
    let r0 = l.recall_at(&k, now).expect("recall").expect("studied");
    let r_s = l
        .recall_at(&k, now + Duration::milliseconds((s * DAY_MS as f64) as i64))
        .expect("recall")
        .expect("studied");
    assert!((r0 - 1.0).abs() < 1e-6);
    assert!((r_s - 0.9).abs() < 1e-3, "{r_s}");
    let counts = l.due_counts(&lib, now).expect("counts");
    assert_eq!(counts[0].mastered_fraction, 1.0);
}

/// The rebuild reproduces the cache exactly after a long mixed history: learning, reviews,
/// lapses, leeches, cloze burial, suspend, bury, reset, cram and mock-exam answers.
#[test]
fn rebuild_from_log_equals_cache() {
    let lib = synthetic::library(3, 20, 4);
    let mut now = t("2026-01-05T09:00:00Z");
    let mut l = learner(&lib, now);
    let mut s = l.settings().clone();
    s.leech_threshold = 3;
    s.exam_dates.insert(
        "exam-a".into(),
        NaiveDate::from_ymd_opt(2026, 2, 20).expect("date"),
    );
    l.set_settings(s).expect("settings");
    let mut x: u64 = 12345;
    let mut rnd = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    for day in 0..60 {
        let mut t_day = now + Duration::days(day);
        for _ in 0..40 {
            let Some(next) = l.next_item(&StudyScope::All, &lib, t_day).expect("next") else {
                break;
            };
            let rating = Rating::from_u8(1 + rnd(4) as u8).unwrap_or(Rating::Good);
            let kind = match rnd(20) {
                0 => ReviewKind::Cram,
                1 => ReviewKind::MockExam,
                _ => ReviewKind::Review,
            };
            let a = Answer {
                rating,
                kind,
                time_taken_ms: 1000,
                response: None,
            };
            l.answer(&next.key, &a, t_day).expect("answer");
            match rnd(60) {
                0 => l.suspend(&next.key, t_day).expect("suspend"),
                1 => l.bury(&next.key, t_day).expect("bury"),
                2 => l.reset(&next.key, t_day).expect("reset"),
                3 => l.unsuspend(&next.key, t_day).expect("unsuspend"),
                4 => {
                    l.undo().expect("undo");
                }
                _ => {}
            }
            t_day += Duration::minutes(1 + rnd(6) as i64);
        }
    }
    now += Duration::days(60);
    let before = l.store().read().all_items().expect("items");
    let studied = before.iter().filter(|r| r.sched.reps > 0).count();
    assert!(studied > 30, "{studied}");
    assert!(before.iter().any(|r| r.sched.lapses > 0));
    l.rebuild_from_log().expect("rebuild");
    let after = l.store().read().all_items().expect("items");
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a, b, "item {}", a.key);
    }
    assert_eq!(before.len(), after.len());
    assert!(l.next_item(&StudyScope::All, &lib, now).is_ok());
}
