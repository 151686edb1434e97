//! The study queue: learning steps, daily limits, day rollover.

use super::*;

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
