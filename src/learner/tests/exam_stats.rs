//! Exam-date pacing, statistics and the optimizer.

use super::*;

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
