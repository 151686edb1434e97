//! Choosing the next item: learning items when due, then reviews and new items interleaved,
//! within the daily limits of each deck and overall.

use super::{DeckLimits, Phase};
use std::collections::HashMap;

/// An item that could be shown, as the store found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Store id of the item.
    pub id: i64,
    /// Its deck.
    pub deck: String,
    /// When it is due (UTC ms; new items: their position).
    pub due_ms: i64,
    /// Its phase.
    pub phase: Phase,
}

/// Answers already given today, per deck and overall (new items introduced, reviews done).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// New items introduced today, per deck.
    pub new_by_deck: HashMap<String, u32>,
    /// Reviews done today, per deck.
    pub reviews_by_deck: HashMap<String, u32>,
    /// New items introduced today.
    pub new: u32,
    /// Reviews done today.
    pub reviews: u32,
}

/// Today's limits: per deck and overall.
pub struct Limits<'a> {
    /// Limits of a deck.
    pub deck: &'a dyn Fn(&str) -> DeckLimits,
    /// Limits over all decks.
    pub overall: DeckLimits,
}

/// The candidates of one kind that fit within the limits, in order.
pub fn within_limits<'c>(
    candidates: &'c [Candidate],
    done_by_deck: &HashMap<String, u32>,
    done_total: u32,
    deck_limit: impl Fn(&str) -> u32,
    overall_limit: u32,
) -> Vec<&'c Candidate> {
    let mut taken: HashMap<&str, u32> = HashMap::new();
    let mut left = overall_limit.saturating_sub(done_total);
    let mut out = Vec::new();
    for c in candidates {
        if left == 0 {
            break;
        }
        let done = done_by_deck.get(&c.deck).copied().unwrap_or(0);
        let t = taken.entry(&c.deck).or_insert(0);
        if done + *t < deck_limit(&c.deck) {
            *t += 1;
            left -= 1;
            out.push(c);
        }
    }
    out
}

/// The next item to show.
///
/// `learning` are (re)learning items due within the learn-ahead window (sorted by due),
/// `reviews` are due reviews (sorted by due), `news` are new items (in deck order).
pub fn pick<'c>(
    learning: &'c [Candidate],
    reviews: &'c [Candidate],
    news: &'c [Candidate],
    tally: &Tally,
    limits: &Limits<'_>,
    now_ms: i64,
) -> Option<&'c Candidate> {
    if let Some(c) = learning.first().filter(|c| c.due_ms <= now_ms) {
        return Some(c);
    }
    let revs = within_limits(
        reviews,
        &tally.reviews_by_deck,
        tally.reviews,
        |d| (limits.deck)(d).reviews_per_day,
        limits.overall.reviews_per_day,
    );
    let new = within_limits(
        news,
        &tally.new_by_deck,
        tally.new,
        |d| (limits.deck)(d).new_per_day,
        limits.overall.new_per_day,
    );
    choose(
        learning,
        revs.first().map(|c| (*c, revs.len() as u64)),
        new.first().map(|c| (*c, new.len() as u64)),
        tally,
    )
}

/// The choice of [`pick`] from what it needs of each list: the first due learning item (or
/// the first within the learn-ahead window), and for reviews and new items the first one
/// within the limits with how many fit within them today. The learner's in-memory queue
/// keeps those counts instead of fetching every candidate.
pub fn choose<'c>(
    learning: &'c [Candidate],
    review: Option<(&'c Candidate, u64)>,
    new: Option<(&'c Candidate, u64)>,
    tally: &Tally,
) -> Option<&'c Candidate> {
    match (review, new) {
        (Some((r, revs)), Some((n, news))) => {
            // Spread new items evenly among today's reviews.
            let planned_new = u64::from(tally.new) + news;
            let planned = planned_new + u64::from(tally.reviews) + revs;
            let done = u64::from(tally.new) + u64::from(tally.reviews);
            if u64::from(tally.new) * planned < planned_new * (done + 1) {
                Some(n)
            } else {
                Some(r)
            }
        }
        (Some((r, _)), None) => Some(r),
        (None, Some((n, _))) => Some(n),
        (None, None) => learning.first(),
    }
}

/// How many candidates of one kind fit within today's limits, from per-deck counts: the
/// length of [`within_limits`] over the complete list of candidates.
pub fn count_within_limits<'d>(
    per_deck: impl IntoIterator<Item = (&'d str, u32)>,
    done_by_deck: &HashMap<String, u32>,
    done_total: u32,
    deck_limit: impl Fn(&str) -> u32,
    overall_limit: u32,
) -> u64 {
    let fit: u64 = per_deck
        .into_iter()
        .map(|(deck, n)| {
            let done = done_by_deck.get(deck).copied().unwrap_or(0);
            u64::from(n.min(deck_limit(deck).saturating_sub(done)))
        })
        .sum();
    fit.min(u64::from(overall_limit.saturating_sub(done_total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, deck: &str, due: i64, phase: Phase) -> Candidate {
        Candidate {
            id,
            deck: deck.into(),
            due_ms: due,
            phase,
        }
    }

    fn lim(new: u32, rev: u32) -> DeckLimits {
        DeckLimits {
            new_per_day: new,
            reviews_per_day: rev,
        }
    }

    #[test]
    fn learning_due_comes_first_and_learn_ahead_last() {
        let learning = [c(1, "a", 100, Phase::Learning)];
        let reviews = [c(2, "a", 50, Phase::Review)];
        let deck = |_: &str| lim(20, 200);
        let limits = Limits {
            deck: &deck,
            overall: lim(20, 200),
        };
        let t = Tally::default();
        assert_eq!(
            pick(&learning, &reviews, &[], &t, &limits, 100).map(|c| c.id),
            Some(1)
        );
        assert_eq!(
            pick(&learning, &reviews, &[], &t, &limits, 99).map(|c| c.id),
            Some(2)
        );
        assert_eq!(
            pick(&learning, &[], &[], &t, &limits, 99).map(|c| c.id),
            Some(1)
        );
        assert_eq!(pick(&[], &[], &[], &t, &limits, 99), None);
    }

    #[test]
    fn deck_and_overall_limits() {
        let news: Vec<_> = (0..10)
            .map(|i| c(i, if i < 5 { "a" } else { "b" }, i, Phase::New))
            .collect();
        let mut done = HashMap::new();
        done.insert("a".to_string(), 2);
        let got = within_limits(&news, &done, 2, |d| if d == "a" { 3 } else { 10 }, 5);
        let ids: Vec<i64> = got.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![0, 5, 6], "deck a has 1 left, overall 3 left");
    }

    #[test]
    fn limit_reached_means_nothing_new() {
        let news = [c(1, "a", 0, Phase::New)];
        let deck = |_: &str| lim(20, 200);
        let limits = Limits {
            deck: &deck,
            overall: lim(20, 200),
        };
        let t = Tally {
            new: 20,
            ..Tally::default()
        };
        assert_eq!(pick(&[], &[], &news, &t, &limits, 0), None);
    }

    #[test]
    fn new_items_are_interleaved() {
        let reviews: Vec<_> = (0..30).map(|i| c(i, "a", i, Phase::Review)).collect();
        let news: Vec<_> = (100..110).map(|i| c(i, "a", i, Phase::New)).collect();
        let deck = |_: &str| lim(10, 200);
        let limits = Limits {
            deck: &deck,
            overall: lim(10, 200),
        };
        let mut t = Tally::default();
        let (mut r, mut n) = (reviews.as_slice(), news.as_slice());
        let mut order = String::new();
        while let Some(x) = pick(&[], r, n, &t, &limits, 1000) {
            if x.phase == Phase::New {
                order.push('n');
                t.new += 1;
                n = &n[1..];
            } else {
                order.push('r');
                t.reviews += 1;
                r = &r[1..];
            }
        }
        assert_eq!(order.len(), 40);
        assert_eq!(order.matches('n').count(), 10);
        // One new item in every block of four.
        for chunk in order.as_bytes().chunks(4) {
            assert_eq!(chunk.iter().filter(|&&b| b == b'n').count(), 1, "{order}");
        }
    }

    #[test]
    fn counts_match_the_list_within_limits() {
        let news: Vec<_> = (0..30)
            .map(|i| c(i, ["a", "b", "c"][(i % 3) as usize], i, Phase::New))
            .collect();
        let mut done = HashMap::new();
        done.insert("a".to_string(), 4);
        let limit = |d: &str| match d {
            "a" => 6,
            "b" => 3,
            _ => 20,
        };
        let per_deck = [("a", 10), ("b", 10), ("c", 10)];
        for overall in [0, 5, 10, 14, 15, 40] {
            let listed = within_limits(&news, &done, 4, limit, overall).len() as u64;
            let counted = count_within_limits(per_deck, &done, 4, limit, overall);
            assert_eq!(counted, listed, "overall limit {overall}");
        }
    }
}
