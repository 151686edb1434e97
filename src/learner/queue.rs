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
mod tests;
