//! The in-memory study queue: what `next_item` needs to choose among tens of thousands of
//! due and new items without fetching them all on every call — per deck of the studied
//! scope, the due reviews and the new items, and today's tally.
//!
//! It is built from the store with a few counting queries, then kept up to date by
//! [`Learner::answer`] (the study loop's only write). Any other write — undo, suspend, a
//! library sync, a merge, another process — changes the store's change stamp and the queue
//! is built again; so are a new day and the end of a burial. Reviews that fall due as time
//! passes are counted incrementally (an index range of the few items due since).

use super::{Learner, Result};
use crate::learner::StudyScope;
use crate::schedule::queue::{Candidate, Tally};
use crate::schedule::{DeckLimits, ItemSched, Phase, ReviewKind};
use crate::store::items::{ItemRow, ScopeFilter};
use std::collections::HashMap;

/// Per-deck counts of one scope, valid for one change stamp of the store.
#[derive(Debug, Clone)]
pub(super) struct QueueCache {
    scope: StudyScope,
    filter: ScopeFilter,
    /// The store's change stamp the counts reflect.
    stamp: (u64, i64),
    /// Start of the day the tally counts from (UTC ms).
    day_start: i64,
    /// The counts hold until the next day or the end of a burial, whichever comes first.
    valid_until: i64,
    /// Reviews due by this moment are counted.
    counted_until: i64,
    /// Due reviews in scope, not buried, per deck.
    pub(super) due_by_deck: HashMap<String, u32>,
    /// New items in scope, not buried, per deck.
    pub(super) new_by_deck: HashMap<String, u32>,
    /// New items of every deck (exam pacing), kept only while an exam date is set.
    pub(super) new_all: Option<HashMap<String, u32>>,
    /// Today's answers so far.
    pub(super) tally: Tally,
    /// The first due reviews of the scope in queue order, fetched when first needed.
    pub(super) reviews_head: Option<Head>,
    /// The first new items of the scope in queue order, fetched when first needed.
    pub(super) new_head: Option<Head>,
    /// Today's limits per deck and overall, kept while no exam date sets a pace (then they
    /// depend only on the settings and the decks, and a change to either rebuilds the queue).
    pub(super) limits: Option<(HashMap<String, DeckLimits>, DeckLimits)>,
}

/// The first candidates of one kind in queue order: a prefix of what the store's query
/// returns. Answers only take items out of these lists (an answered review is due again days
/// later, a new item is new no more) and reviews falling due as time passes sort after every
/// item due before, so the prefix stays right until it runs out.
#[derive(Debug, Clone)]
pub(super) struct Head {
    /// The candidates, in order.
    pub(super) items: Vec<Candidate>,
    /// The prefix is the whole list.
    pub(super) complete: bool,
}

/// The store filter of a (non-custom) scope.
pub(super) fn filter_of(scope: &StudyScope) -> ScopeFilter {
    match scope {
        StudyScope::Deck(d) => ScopeFilter {
            deck: Some(d.clone()),
            ..ScopeFilter::default()
        },
        StudyScope::Exam(e) => ScopeFilter {
            exam: Some(e.clone()),
            ..ScopeFilter::default()
        },
        StudyScope::Domain { exam, domain } => ScopeFilter {
            exam: Some(exam.clone()),
            domain: Some(domain.clone()),
            ..ScopeFilter::default()
        },
        StudyScope::All | StudyScope::Items(_) => ScopeFilter::default(),
    }
}

/// Whether `row` is in `filter`, exactly as the queue queries decide it.
fn in_filter(filter: &ScopeFilter, row: &ItemRow) -> bool {
    let deck = &row.key.deck;
    let deck_ok = filter.deck.as_deref().is_none_or(|d| {
        deck == d
            || deck
                .strip_prefix(d)
                .is_some_and(|rest| rest.starts_with('/'))
    });
    deck_ok
        && filter
            .exam
            .as_deref()
            .is_none_or(|e| row.exam.as_deref() == Some(e))
        && filter
            .domain
            .as_deref()
            .is_none_or(|d| row.domain.as_deref() == Some(d))
}

fn to_map(pairs: Vec<(String, u32)>) -> HashMap<String, u32> {
    pairs.into_iter().collect()
}

/// Adds `after - before` (each 0 or 1) to a deck's count.
fn shift(map: &mut HashMap<String, u32>, deck: &str, before: bool, after: bool) {
    match (before, after) {
        (true, false) => {
            if let Some(n) = map.get_mut(deck) {
                *n = n.saturating_sub(1);
            }
        }
        (false, true) => *map.entry(deck.to_string()).or_default() += 1,
        _ => {}
    }
}

impl Learner {
    /// The queue of `scope` at `now_ms`: reused while nothing else wrote to the store, built
    /// again otherwise; reviews due since the last call are added.
    pub(super) fn queue_for(&mut self, scope: &StudyScope, now_ms: i64) -> Result<&QueueCache> {
        let today = self.today(now_ms);
        let day_start = self.day_start(today);
        let stamp = self.store.read().change_stamp()?;
        let reusable = self.queue.as_ref().is_some_and(|q| {
            q.scope == *scope
                && q.stamp == stamp
                && q.day_start == day_start
                && q.counted_until <= now_ms
                && now_ms < q.valid_until
                && q.new_all.is_some() != self.settings.exam_dates.is_empty()
        });
        let q = match self.queue.take() {
            Some(mut q) if reusable => {
                if q.counted_until < now_ms {
                    let read = self.store.read();
                    for (deck, n) in
                        read.count_reviews_due_between(&q.filter, q.counted_until, now_ms)?
                    {
                        *q.due_by_deck.entry(deck).or_default() += n;
                        // They come after every item in the head, which is no longer all.
                        if let Some(h) = q.reviews_head.as_mut() {
                            h.complete = false;
                        }
                    }
                    q.counted_until = now_ms;
                }
                q
            }
            _ => self.build_queue(scope, stamp, today, now_ms)?,
        };
        Ok(self.queue.insert(q))
    }

    fn build_queue(
        &self,
        scope: &StudyScope,
        stamp: (u64, i64),
        today: i64,
        now_ms: i64,
    ) -> Result<QueueCache> {
        let read = self.store.read();
        let filter = filter_of(scope);
        let day_start = self.day_start(today);
        let next_day = self.day_start(today + 1);
        let valid_until = read
            .next_burial_end(now_ms)?
            .map_or(next_day, |b| b.min(next_day));
        let mut tally = Tally::default();
        for (deck, n) in read.introduced_since(day_start)? {
            tally.new += n;
            tally.new_by_deck.insert(deck, n);
        }
        for (deck, n) in read.reviewed_since(day_start)? {
            tally.reviews += n;
            tally.reviews_by_deck.insert(deck, n);
        }
        let new_all = if self.settings.exam_dates.is_empty() {
            None
        } else {
            Some(to_map(read.count_new(now_ms)?))
        };
        Ok(QueueCache {
            due_by_deck: to_map(read.count_reviews_due_between(&filter, i64::MIN, now_ms)?),
            new_by_deck: to_map(read.count_new_in(&filter, now_ms)?),
            scope: scope.clone(),
            filter,
            stamp,
            day_start,
            valid_until,
            counted_until: now_ms,
            new_all,
            tally,
            reviews_head: None,
            new_head: None,
            limits: None,
        })
    }

    /// The store's change stamp if a queue is kept (read before an answer is written).
    pub(super) fn queue_stamp(&self) -> Result<Option<(u64, i64)>> {
        match self.queue {
            Some(_) => Ok(Some(self.store.read().change_stamp()?)),
            None => Ok(None),
        }
    }

    /// Brings the queue up to date after an answer (and the siblings it buried) written at
    /// `now_ms`. `other_writes`: the answer also changed other items (a replay) — the queue is
    /// built again.
    pub(super) fn queue_after_answer(
        &mut self,
        stamp_before: Option<(u64, i64)>,
        a: Answered<'_>,
        now_ms: i64,
        other_writes: bool,
    ) {
        let matches = self
            .queue
            .as_ref()
            .is_some_and(|q| stamp_before == Some(q.stamp));
        // The answer is committed: a failure here only costs a rebuild of the queue.
        let stamp = self.store.read().change_stamp();
        let (Ok(stamp), Some(q), true) = (stamp, self.queue.as_mut(), matches && !other_writes)
        else {
            self.queue = None;
            return;
        };
        q.count_change(a.before, &a.before.sched, a.after, a.before.buried_until_ms);
        for sibling in a.buried {
            q.count_change(sibling, &sibling.sched, &sibling.sched, Some(a.bury_until));
        }
        // A burial that ends before the counts' own end must end them.
        if !a.buried.is_empty() && a.bury_until > q.counted_until {
            q.valid_until = q.valid_until.min(a.bury_until);
        }
        let deck = a.before.key.deck.as_str();
        if a.before.introduced_ms.is_none() && a.introduced.is_some_and(|t| t >= q.day_start) {
            q.tally.new += 1;
            *q.tally.new_by_deck.entry(deck.to_string()).or_default() += 1;
        }
        if a.kind == ReviewKind::Review && now_ms >= q.day_start {
            q.tally.reviews += 1;
            *q.tally.reviews_by_deck.entry(deck.to_string()).or_default() += 1;
        }
        q.stamp = stamp;
    }
}

/// One answer as the queue sees it.
pub(super) struct Answered<'a> {
    /// The item before the answer.
    pub before: &'a ItemRow,
    /// Its state after.
    pub after: &'a ItemSched,
    /// When it was introduced (after the answer).
    pub introduced: Option<i64>,
    /// The kind of review written.
    pub kind: ReviewKind,
    /// Siblings the answer buried, as they were before.
    pub buried: &'a [ItemRow],
    /// Until when they are buried.
    pub bury_until: i64,
}

impl QueueCache {
    /// Moves `row` between the counts as its state goes from `before` to `after` and its
    /// burial from the row's to `buried_after`.
    fn count_change(
        &mut self,
        row: &ItemRow,
        before: &ItemSched,
        after: &ItemSched,
        buried_after: Option<i64>,
    ) {
        let cut = self.counted_until;
        let unburied = |b: Option<i64>| b.is_none_or(|b| b <= cut);
        let open = |s: &ItemSched, b: Option<i64>| !row.removed && !s.suspended && unburied(b);
        let is_new = |s: &ItemSched, b| open(s, b) && s.phase == Phase::New;
        let is_due = |s: &ItemSched, b| {
            open(s, b) && s.phase == Phase::Review && s.due_ms.is_some_and(|d| d <= cut)
        };
        let b0 = row.buried_until_ms;
        let deck = row.key.deck.as_str();
        let id = row.id;
        for (head, is) in [
            (&mut self.reviews_head, is_due(after, buried_after)),
            (&mut self.new_head, is_new(after, buried_after)),
        ] {
            if is {
                // Still (or newly) in the list, maybe elsewhere in it (a cram answer leaves
                // the state as it was): fetched again when needed.
                *head = None;
            } else if let Some(h) = head.as_mut() {
                h.items.retain(|c| c.id != id);
            }
        }
        if in_filter(&self.filter, row) {
            shift(
                &mut self.new_by_deck,
                deck,
                is_new(before, b0),
                is_new(after, buried_after),
            );
            shift(
                &mut self.due_by_deck,
                deck,
                is_due(before, b0),
                is_due(after, buried_after),
            );
        }
        if let Some(all) = self.new_all.as_mut() {
            shift(all, deck, is_new(before, b0), is_new(after, buried_after));
        }
    }
}

/// The first candidate within its deck's limit, from the cached `head` and, when none in it
/// is, fetching more (`limit` candidates at a time, 16 first, 8 times more each time) — the
/// first such candidate of the whole list, as the head is a prefix of it.
pub(super) fn first_within(
    head: &mut Option<Head>,
    mut fetch: impl FnMut(u32) -> Result<Vec<Candidate>>,
    done_by_deck: &HashMap<String, u32>,
    done_total: u32,
    deck_limit: impl Fn(&str) -> u32,
    overall_limit: u32,
) -> Result<Option<Candidate>> {
    if overall_limit <= done_total {
        return Ok(None);
    }
    loop {
        if let Some(h) = head.as_ref() {
            if let Some(c) = h
                .items
                .iter()
                .find(|c| done_by_deck.get(&c.deck).copied().unwrap_or(0) < deck_limit(&c.deck))
            {
                return Ok(Some(c.clone()));
            }
            if h.complete {
                return Ok(None);
            }
        }
        let limit = head.as_ref().map_or(16, |h| {
            u32::try_from(h.items.len())
                .unwrap_or(u32::MAX)
                .saturating_mul(8)
                .max(16)
        });
        let items = fetch(limit)?;
        let complete = (items.len() as u64) < u64::from(limit) || limit == u32::MAX;
        *head = Some(Head { items, complete });
    }
}

#[cfg(test)]
mod tests {
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
}
