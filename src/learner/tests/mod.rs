//! Tests of the learner rules on an in-memory database, one module per job; the helpers
//! they share.

mod disk;
mod exam_stats;
mod history;
mod library;
mod queue;

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
