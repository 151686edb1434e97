//! Tests of the learner rules on an in-memory database.

use super::*;
use crate::deck::Library;
use crate::schedule::{DAY_MS, DeckLimits, Phase, Rating, ReviewKind};
use chrono::{Duration, NaiveDate, TimeZone};

fn t(s: &str) -> DateTime<Utc> {
    s.parse().expect("test time")
}

fn key(deck: usize, card: usize, ord: u16) -> ItemKey {
    ItemKey {
        deck: format!("deck-{deck}"),
        card: format!("card-{card}"),
        ord,
    }
}

fn learner(lib: &Library, now: DateTime<Utc>) -> Learner {
    let mut l = Learner::open_in_memory().expect("open");
    l.set_time_zone(Utc);
    l.sync_library(lib, now).expect("sync");
    l
}

fn good(l: &mut Learner, k: &ItemKey, now: DateTime<Utc>) -> AnswerOutcome {
    l.answer(k, &Answer::new(Rating::Good), now)
        .expect("answer")
}

/// Answers whatever comes next with `rating` until nothing is left; returns the count.
fn drain(
    l: &mut Learner,
    lib: &Library,
    scope: &StudyScope,
    mut now: DateTime<Utc>,
    rating: Rating,
) -> usize {
    let mut n = 0;
    while let Some(next) = l.next_item(scope, lib, now).expect("next") {
        l.answer(&next.key, &Answer::new(rating), now)
            .expect("answer");
        n += 1;
        now += Duration::seconds(10);
        assert!(n < 10_000, "runaway queue");
    }
    n
}

#[test]
fn sync_adds_flags_edited_and_removed_keeping_history() {
    let mut lib = synthetic::library(2, 3, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = Learner::open_in_memory().expect("open");
    let r = l.sync_library(&lib, now).expect("sync");
    assert_eq!((r.added, r.edited, r.removed, r.total), (6, 0, 0, 6));
    good(&mut l, &key(0, 0, 0), now);
    good(&mut l, &key(0, 1, 0), now);

    // Edit card 0, remove card 1.
    lib.decks[0].deck.cards[0].content_hash = "changed".into();
    let removed = lib.decks[0].deck.cards.remove(1);
    let r = l.sync_library(&lib, now).expect("sync");
    assert_eq!((r.added, r.edited, r.removed), (0, 1, 1));
    let s = l.item_state(&key(0, 0, 0)).expect("state").expect("item");
    assert!(s.edited && s.reps == 1, "edited keeps its progress");
    let s = l.item_state(&key(0, 1, 0)).expect("state").expect("item");
    assert!(s.removed);
    assert_eq!(
        l.history(&key(0, 1, 0)).expect("history").len(),
        1,
        "history kept"
    );
    // A removed item is not offered.
    let scope = StudyScope::Items(vec![key(0, 1, 0)]);
    assert!(l.next_item(&scope, &lib, now).expect("next").is_none());

    // The next answer clears the edited flag; NextItem shows it before.
    let scope = StudyScope::Items(vec![key(0, 0, 0)]);
    let later = now + Duration::minutes(15);
    let next = l
        .next_item(&scope, &lib, later)
        .expect("next")
        .expect("item");
    assert!(next.edited);
    good(&mut l, &key(0, 0, 0), later);
    assert!(
        !l.item_state(&key(0, 0, 0))
            .expect("state")
            .expect("item")
            .edited
    );

    // The card comes back: restored with its history.
    lib.decks[0].deck.cards.insert(1, removed);
    let r = l.sync_library(&lib, now).expect("sync");
    assert_eq!((r.restored, r.removed), (1, 0));
    let s = l.item_state(&key(0, 1, 0)).expect("state").expect("item");
    assert!(!s.removed && s.reps == 1);
}

#[test]
fn learning_steps_through_the_queue() {
    let lib = synthetic::library(1, 1, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let next = l
        .next_item(&StudyScope::All, &lib, now)
        .expect("next")
        .expect("item");
    assert_eq!(next.phase, Phase::New);
    assert_eq!(next.previews[0].label(), "1m");
    assert_eq!(next.previews[2].label(), "10m");
    let out = good(&mut l, &next.key, now);
    assert_eq!(out.kind, ReviewKind::Learn);
    assert_eq!(out.state.phase, Phase::Learning);
    // Due in 10 minutes: within learn-ahead it is still offered (nothing else left).
    let next = l
        .next_item(&StudyScope::All, &lib, now)
        .expect("next")
        .expect("learn ahead");
    assert_eq!(next.phase, Phase::Learning);
    let later = now + Duration::minutes(10);
    let out = good(&mut l, &next.key, later);
    assert_eq!(out.state.phase, Phase::Review);
    assert!(
        l.next_item(&StudyScope::All, &lib, later)
            .expect("next")
            .is_none()
    );
    // It comes back when due, as a review.
    let due = out.state.due.expect("due");
    let next = l
        .next_item(&StudyScope::All, &lib, due)
        .expect("next")
        .expect("due");
    assert_eq!(next.phase, Phase::Review);
    let out = good(&mut l, &next.key, due);
    assert_eq!(out.kind, ReviewKind::Review);
}

#[test]
fn daily_new_limit_overall_and_per_deck_resets_at_four() {
    let lib = synthetic::library(2, 30, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let mut s = l.settings().clone();
    s.new_per_day = 15;
    s.deck_limits.insert(
        "deck-0".into(),
        DeckLimits {
            new_per_day: 5,
            reviews_per_day: 100,
        },
    );
    l.set_settings(s).expect("settings");
    let counts = l.due_counts(&lib, now).expect("counts");
    assert_eq!((counts[0].new, counts[1].new), (5, 15));
    let n = drain(&mut l, &lib, &StudyScope::All, now, Rating::Easy);
    assert_eq!(n, 15, "overall limit");
    let counts = l.due_counts(&lib, now).expect("counts");
    assert_eq!((counts[0].new, counts[1].new), (0, 0));
    let introduced: u32 = [0, 1]
        .iter()
        .map(|d| {
            (0..30)
                .filter(|c| {
                    l.item_state(&key(*d, *c, 0))
                        .ok()
                        .flatten()
                        .is_some_and(|s| s.reps > 0)
                })
                .count() as u32
        })
        .sum();
    assert_eq!(introduced, 15);
    let deck0 = (0..30)
        .filter(|c| {
            l.item_state(&key(0, *c, 0))
                .ok()
                .flatten()
                .is_some_and(|s| s.reps > 0)
        })
        .count();
    assert_eq!(deck0, 5, "deck limit");
    // 03:59 next morning: still the same day. 04:00: a new day.
    let before = t("2026-03-02T03:59:00Z");
    assert!(
        l.next_item(&StudyScope::All, &lib, before)
            .expect("next")
            .is_none()
    );
    let after = t("2026-03-02T04:00:00Z");
    let next = l
        .next_item(&StudyScope::All, &lib, after)
        .expect("next")
        .expect("new day");
    assert!(next.phase == Phase::New || next.phase == Phase::Review);
}

#[test]
fn review_limit() {
    let lib = synthetic::library(1, 40, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let mut s = l.settings().clone();
    s.new_per_day = 40;
    s.reviews_per_day = 7;
    s.fuzz = false;
    l.set_settings(s).expect("settings");
    drain(&mut l, &lib, &StudyScope::All, now, Rating::Easy);
    // A month later all 40 are due; only 7 reviews today.
    let later = now + Duration::days(30);
    assert_eq!(l.due_counts(&lib, later).expect("counts")[0].review, 7);
    assert_eq!(
        drain(&mut l, &lib, &StudyScope::All, later, Rating::Good),
        7
    );
    // Custom study of named items ignores limits.
    let scope = StudyScope::Items(vec![key(0, 39, 0)]);
    assert!(l.next_item(&scope, &lib, later).expect("next").is_some());
}

#[test]
fn day_rollover_across_dst_in_berlin() {
    use chrono_tz::Europe::Berlin;
    let lib = synthetic::library(1, 10, 0);
    // Saturday 2026-03-28 10:00 CET; DST starts Sunday 02:00.
    let now = Berlin
        .with_ymd_and_hms(2026, 3, 28, 10, 0, 0)
        .single()
        .expect("time")
        .with_timezone(&Utc);
    let mut l = Learner::open_in_memory().expect("open");
    l.set_time_zone(Berlin);
    l.sync_library(&lib, now).expect("sync");
    let mut s = l.settings().clone();
    s.new_per_day = 2;
    l.set_settings(s).expect("settings");
    assert_eq!(drain(&mut l, &lib, &StudyScope::All, now, Rating::Easy), 2);
    // 03:59 CEST on Sunday is still Saturday's study day; 04:00 CEST starts Sunday's.
    let before = Berlin
        .with_ymd_and_hms(2026, 3, 29, 3, 59, 0)
        .single()
        .expect("time")
        .with_timezone(&Utc);
    let after = before + Duration::minutes(1);
    assert_eq!(l.due_counts(&lib, before).expect("counts")[0].new, 0);
    assert_eq!(l.due_counts(&lib, after).expect("counts")[0].new, 2);
    // Easy on Saturday: due at the start of a later study day, 04:00 local (CEST).
    let st = l.item_state(&key(0, 0, 0)).expect("state").expect("item");
    let due = st.due.expect("due").with_timezone(&Berlin);
    assert_eq!(due.format("%H:%M").to_string(), "04:00");
}

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

#[test]
fn exam_date_pace_and_final_days_top_up() {
    let lib = synthetic::library(2, 50, 0); // deck-0 serves exam-a
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let mut s = l.settings().clone();
    s.exam_dates.insert(
        "exam-a".into(),
        NaiveDate::from_ymd_opt(2026, 3, 11).expect("date"),
    );
    l.set_settings(s).expect("settings");
    let plans = l.exam_plans(&lib, now).expect("plans");
    assert_eq!(plans.len(), 1);
    // 50 new items, 10 days left, 3 final days: 7 days → 8 a day, but never below 20.
    assert_eq!(
        (plans[0].days_left, plans[0].new_left, plans[0].new_per_day),
        (10, 50, 20)
    );
    let mut s = l.settings().clone();
    s.new_per_day = 5;
    l.set_settings(s).expect("settings");
    let plans = l.exam_plans(&lib, now).expect("plans");
    assert_eq!(plans[0].new_per_day, 8);
    let counts = l.due_counts(&lib, now).expect("counts");
    assert_eq!((counts[0].new, counts[1].new), (8, 5));

    // Study the exam deck Easy; items whose next review lands after the exam are pulled
    // before it.
    let scope = StudyScope::Exam("exam-a".into());
    drain(&mut l, &lib, &scope, now, Rating::Easy);
    let exam_start = t("2026-03-11T04:00:00Z");
    for c in 0..50 {
        if let Some(st) = l.item_state(&key(0, c, 0)).expect("state")
            && st.reps > 0
        {
            let r = l
                .recall_at(&key(0, c, 0), exam_start)
                .expect("recall")
                .expect("studied");
            assert!(st.due.expect("due") < exam_start || r >= 0.9, "item {c}");
        }
    }
    // In the final days, studied items below the target on exam day are due (top-ups), even
    // beyond the daily review limit.
    let mut s = l.settings().clone();
    s.reviews_per_day = 1;
    l.set_settings(s).expect("settings");
    let final_day = t("2026-03-08T10:00:00Z");
    let counts = l.due_counts(&lib, final_day).expect("counts");
    assert!(counts[0].review > 0, "{counts:?}");
    let n = drain(&mut l, &lib, &scope, final_day, Rating::Good);
    assert!(n > 1, "top-ups beyond the limit of 1: {n}");
    // Each studied item is now above the target on exam day or due before it.
    for c in 0..50 {
        if let Some(st) = l.item_state(&key(0, c, 0)).expect("state")
            && st.reps > 0
            && !st.phase.is_learning()
        {
            let r = l
                .recall_at(&key(0, c, 0), exam_start)
                .expect("recall")
                .expect("studied");
            assert!(
                r >= 0.9 || st.due.expect("due") < exam_start,
                "item {c}: {r}"
            );
        }
    }
}

#[test]
fn stats_cover_days_forecast_retention_and_phases() {
    let lib = synthetic::library(2, 10, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = learner(&lib, now);
    drain(&mut l, &lib, &StudyScope::All, now, Rating::Easy);
    let early = l.stats(&lib, now).expect("stats");
    assert_eq!(
        early.forecast.iter().sum::<u32>(),
        20,
        "all 20 due within 30 days"
    );
    assert_eq!(early.forecast[0], 0);
    let later = now + Duration::days(20);
    drain(&mut l, &lib, &StudyScope::All, later, Rating::Good);
    let st = l.stats(&lib, later).expect("stats");
    assert_eq!(st.reviews_per_day.len(), 2);
    assert_eq!(st.reviews_per_day[0].reviews, 20);
    assert_eq!(
        st.total_reviews,
        u64::from(st.reviews_per_day.iter().map(|d| d.reviews).sum::<u32>())
    );
    assert_eq!(st.forecast.len(), 30);
    assert_eq!(st.phases.review, 20);
    assert_eq!(st.retention_by_deck.len(), 2);
    assert_eq!(st.retention_by_deck[0].rate, Some(1.0));
    assert!(st.retention_by_domain.iter().any(|r| r.key == "exam-a/d1"));
    let json = serde_json::to_string(&st).expect("json");
    assert!(json.contains("forecast"));
}

#[test]
fn optimize_reports_both_log_losses() {
    let lib = synthetic::library(1, 150, 0);
    let now = t("2026-01-01T10:00:00Z");
    let mut l = learner(&lib, now);
    let mut s = l.settings().clone();
    s.new_per_day = 150;
    s.reviews_per_day = 9999;
    l.set_settings(s).expect("settings");
    let mut x: u64 = 7;
    for day in 0..90 {
        let mut t_day = now + Duration::days(day);
        while let Some(next) = l.next_item(&StudyScope::All, &lib, t_day).expect("next") {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            let p = l
                .recall_at(&next.key, t_day)
                .expect("recall")
                .unwrap_or(0.3);
            let r = if ((x >> 33) % 1000) as f64 / 1000.0 < p {
                Rating::Good
            } else {
                Rating::Again
            };
            l.answer(&next.key, &Answer::new(r), t_day).expect("answer");
            t_day += Duration::seconds(30);
        }
    }
    let mut seen = Vec::new();
    let report = l.optimize(&mut |p| seen.push(p)).expect("optimize");
    println!("{report:?}");
    assert!(report.current_log_loss.is_finite() && report.new_log_loss.is_finite());
    assert_eq!(
        report.accepted,
        report.new_log_loss < report.current_log_loss
    );
    assert_eq!(seen.first(), Some(&0.0));
    assert_eq!(seen.last(), Some(&1.0));
    if report.accepted {
        assert_eq!(l.settings().fsrs_parameters, report.parameters);
    }
}

#[test]
fn open_on_disk_backs_up_once_a_day_and_names_backup_when_corrupt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let lib = synthetic::library(1, 3, 0);
    {
        let mut l = Learner::open(dir.path(), now).expect("open");
        l.sync_library(&lib, now).expect("sync");
        assert!(l.wait_for_backup().expect("backup").is_some());
        assert_eq!(l.backups().expect("backups").len(), 1);
    }
    {
        let mut l = Learner::open(dir.path(), now + Duration::hours(1)).expect("open");
        assert!(
            l.wait_for_backup().expect("backup").is_none(),
            "at most once a day"
        );
        assert_eq!(l.backups().expect("backups").len(), 1);
    }
    std::fs::write(dir.path().join(DB_FILE), vec![1u8; 4096]).expect("damage");
    let _ = std::fs::remove_file(dir.path().join("examdeck.sqlite3-wal"));
    let err = Learner::open(dir.path(), now + Duration::days(1)).expect_err("corrupt");
    let msg = err.to_string();
    assert!(msg.contains("damaged") && msg.contains("backups"), "{msg}");
    let b = l_backups(dir.path());
    Learner::restore(dir.path(), &b, now + Duration::days(1)).expect("restore");
    Learner::open(dir.path(), now + Duration::days(1)).expect("opens after restore");
}

fn l_backups(dir: &Path) -> PathBuf {
    backup::list(dir).expect("list").remove(0).path
}

#[test]
fn damaged_pages_are_reported_with_the_newest_good_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let lib = synthetic::library(4, 200, 0);
    {
        let mut l = Learner::open(dir.path(), now).expect("open");
        l.sync_library(&lib, now).expect("sync");
        drain(&mut l, &lib, &StudyScope::All, now, Rating::Good);
        l.wait_for_backup().expect("backup");
        l.backup_now(now + Duration::minutes(5))
            .expect("backup with data");
    }
    let good = backup::list(dir.path()).expect("list").remove(0).path;
    // Damage a page in the middle of the file (the schema on page 1 stays readable).
    let db = dir.path().join(DB_FILE);
    let mut bytes = std::fs::read(&db).expect("read");
    assert!(bytes.len() > 40_000, "{}", bytes.len());
    for b in &mut bytes[4096 * 5..4096 * 5 + 3000] {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).expect("write");
    let msg = match Learner::open(dir.path(), now + Duration::days(1)) {
        Err(e) => e.to_string(),
        Ok(mut l) => l
            .wait_for_backup()
            .expect_err("quick_check fails")
            .to_string(),
    };
    assert!(msg.contains("damaged"), "{msg}");
    assert!(msg.contains(&good.display().to_string()), "{msg}");
}

#[test]
fn two_learners_on_one_database_take_turns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let lib = synthetic::library(1, 40, 0);
    let mut a = Learner::open(dir.path(), now).expect("open a");
    a.set_time_zone(Utc);
    a.sync_library(&lib, now).expect("sync");
    let mut b = Learner::open(dir.path(), now).expect("open b");
    b.set_time_zone(Utc);
    let handle = std::thread::spawn(move || {
        for c in 20..40 {
            b.answer(&key(0, c, 0), &Answer::new(Rating::Good), now)
                .expect("b answers");
        }
        b
    });
    for c in 0..20 {
        a.answer(&key(0, c, 0), &Answer::new(Rating::Good), now)
            .expect("a answers");
    }
    let b = handle.join().expect("thread");
    assert_eq!(a.store().read().all_reviews().expect("log").len(), 40);
    assert_eq!(b.store().integrity_check().expect("check"), Ok(()));
}
