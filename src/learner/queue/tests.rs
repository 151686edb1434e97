use super::*;
use crate::learner::{Answer, synthetic};
use crate::schedule::{DeckLimits, Rating};
use chrono::{Duration, TimeZone, Utc};

fn learner(lib: &crate::deck::Library, start: chrono::DateTime<Utc>) -> Learner {
    let mut l = Learner::open_in_memory().expect("open");
    l.set_time_zone(Utc);
    let mut s = l.settings().clone();
    s.new_per_day = 12;
    s.reviews_per_day = 40;
    s.deck_limits.insert(
        "deck-1".into(),
        DeckLimits {
            new_per_day: 3,
            reviews_per_day: 5,
        },
    );
    s.exam_dates.insert(
        "exam-a".into(),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 20).expect("date"),
    );
    l.set_settings(s).expect("settings");
    l.sync_library(lib, start).expect("sync");
    l
}

/// Studies `days` days of `per_day` answers in `scope`; `fresh` drops the queue before
/// every `next_item`, so each choice comes from a queue built from the store alone.
fn study(
    l: &mut Learner,
    lib: &crate::deck::Library,
    scope: &StudyScope,
    fresh: bool,
    start: chrono::DateTime<Utc>,
) -> Vec<String> {
    let mut picks = Vec::new();
    for day in 0..4 {
        let mut now = start + Duration::days(day);
        for i in 0..60 {
            if fresh {
                l.queue = None;
            }
            let Some(next) = l.next_item(scope, lib, now).expect("next") else {
                picks.push("none".into());
                break;
            };
            picks.push(format!(
                "{}/{}/{}",
                next.key.deck, next.key.card, next.key.ord
            ));
            let rating = match i % 7 {
                0 => Rating::Again,
                3 => Rating::Hard,
                _ => Rating::Good,
            };
            l.answer(&next.key, &Answer::new(rating), now)
                .expect("answer");
            now += Duration::seconds(40);
        }
    }
    picks
}

#[test]
fn the_kept_queue_chooses_as_a_rebuilt_one() {
    let lib = synthetic::library(4, 40, 5);
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
        .single()
        .expect("time");
    for scope in [
        StudyScope::All,
        StudyScope::Deck("deck-1".into()),
        StudyScope::Exam("exam-a".into()),
    ] {
        let mut kept = learner(&lib, start);
        let mut rebuilt = learner(&lib, start);
        let a = study(&mut kept, &lib, &scope, false, start);
        let b = study(&mut rebuilt, &lib, &scope, true, start);
        assert_eq!(a, b, "{scope:?}");
        assert!(a.len() > 20, "{scope:?}: studied {}", a.len());
    }
}

/// Counts without the decks at zero (a kept queue keeps a deck at 0, a rebuilt one omits it).
fn nonzero(m: &HashMap<String, u32>) -> std::collections::BTreeMap<String, u32> {
    m.iter()
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| (d.clone(), *n))
        .collect()
}

#[test]
fn answers_keep_the_queue_and_its_heads_equal_to_a_rebuilt_one() {
    // Every 2nd card a cloze with two deletions: most answers bury a sibling.
    let lib = synthetic::library(3, 30, 2);
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
        .single()
        .expect("time");
    let mut l = learner(&lib, start);
    let mut now = start;
    let mut buried_some = 0;
    let mut heads_checked = 0;
    for i in 0..40 {
        let Some(next) = l.next_item(&StudyScope::All, &lib, now).expect("next") else {
            break;
        };
        let rating = if i % 5 == 0 {
            Rating::Again
        } else {
            Rating::Good
        };
        let before = l
            .store()
            .read()
            .siblings(&next.key)
            .expect("siblings")
            .len();
        l.answer(&next.key, &Answer::new(rating), now)
            .expect("answer");
        buried_some += usize::from(before > 0);
        let kept = l.queue.clone().expect("the answer kept the queue");
        let stamp = l.store().read().change_stamp().expect("stamp");
        let today = l.today(now.timestamp_millis());
        let built = l
            .build_queue(&StudyScope::All, stamp, today, kept.counted_until)
            .expect("build");
        assert_eq!(
            nonzero(&kept.new_by_deck),
            nonzero(&built.new_by_deck),
            "answer {i}"
        );
        assert_eq!(
            nonzero(&kept.due_by_deck),
            nonzero(&built.due_by_deck),
            "answer {i}"
        );
        assert_eq!(kept.tally.new, built.tally.new, "answer {i}");
        assert_eq!(kept.tally.reviews, built.tally.reviews, "answer {i}");
        assert_eq!(
            kept.new_all.as_ref().map(nonzero),
            built.new_all.as_ref().map(nonzero),
            "answer {i}"
        );
        assert!(kept.valid_until <= built.valid_until, "answer {i}");
        // The kept heads are prefixes of what the store returns now.
        let read = l.store().read();
        let at = kept.counted_until;
        let all_reviews = read.reviews_due(&kept.filter, at, 10_000).expect("reviews");
        let all_new = read.new_items(&kept.filter, at, 10_000).expect("new");
        for (head, all) in [(&kept.reviews_head, all_reviews), (&kept.new_head, all_new)] {
            let Some(h) = head else { continue };
            heads_checked += 1;
            assert!(h.items.len() <= all.len(), "answer {i}");
            assert_eq!(h.items, all[..h.items.len()], "answer {i}");
            if h.complete {
                assert_eq!(h.items.len(), all.len(), "answer {i}");
            }
        }
        now += Duration::seconds(30);
    }
    assert!(
        buried_some > 5,
        "only {buried_some} answers buried a sibling"
    );
    assert!(heads_checked > 30, "only {heads_checked} heads kept");
}

#[test]
fn the_overview_counts_as_the_separate_queries() {
    let lib = synthetic::library(4, 30, 5);
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
        .single()
        .expect("time");
    let mut l = learner(&lib, start);
    study(&mut l, &lib, &StudyScope::All, false, start);
    let mut something = false;
    for days in [0, 3, 5, 18] {
        let now = start + Duration::days(days);
        let o = l.overview(&lib, now).expect("overview");
        assert!(!o.plans.is_empty(), "an exam date is set");
        assert_eq!(
            o.plans,
            l.exam_plans(&lib, now).expect("plans"),
            "day {days}"
        );
        let today = l.today_totals(&lib, &o.counts, now).expect("today");
        assert_eq!(o.today, today, "day {days}");
        something |= o.counts.iter().any(|c| c.new > 0 || c.review > 0);
    }
    assert!(something, "nothing to count on any day");
}

#[test]
fn another_write_rebuilds_the_queue() {
    let lib = synthetic::library(2, 10, 0);
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
        .single()
        .expect("time");
    let mut l = learner(&lib, start);
    let first = l
        .next_item(&StudyScope::All, &lib, start)
        .expect("next")
        .expect("an item");
    // Suspending is not an answer: the kept counts must not offer the item again.
    l.suspend(&first.key, start).expect("suspend");
    let second = l
        .next_item(&StudyScope::All, &lib, start)
        .expect("next")
        .expect("an item");
    assert_ne!(first.key, second.key);
    let q = l.queue.as_ref().expect("queue kept");
    let new: u32 = q.new_by_deck.values().sum();
    assert_eq!(new, 19, "the suspended item left the new count");
}
