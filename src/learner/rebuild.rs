//! Rebuilding items' state from the review log and item events: all of them
//! ([`Learner::rebuild_from_log`]) or the cards whose history a sync merge changed
//! ([`Learner::replay_cards`]). Both replay in time order (ties: reviews before events, then
//! by global id), so every device computes the same state from the same merged log whatever
//! order the records arrived in.

use super::{Learner, Result};
use crate::deck::ItemKey;
use crate::schedule::{self, ItemSched, Phase};
use crate::store::StoreError;
use crate::store::events::{EventKind, EventRow};
use crate::store::items::ItemRow;
use crate::store::reviews::ReviewRow;
use std::collections::{BTreeSet, HashMap};

/// Replayed state of one item: scheduling state, buried until, introduced at.
type Replayed = (ItemSched, Option<i64>, Option<i64>);

/// One step of an item's history.
enum Step<'a> {
    Review(&'a ReviewRow),
    Event(&'a EventRow),
}

impl Step<'_> {
    fn order(&self) -> (i64, u8, &str, i64) {
        match self {
            Step::Review(r) => (r.at_ms, 0, r.uid.as_str(), r.id),
            Step::Event(e) => (e.at_ms, 1, e.uid.as_deref().unwrap_or(""), e.id),
        }
    }
}

impl Learner {
    /// Recomputes every item's state from the review log and item events alone (with the
    /// current settings), in one transaction. Clears the undo stack.
    pub fn rebuild_from_log(&mut self) -> Result<()> {
        let read = self.store.read();
        let items = read.all_items()?;
        let reviews = read.all_reviews()?;
        let events = read.all_events()?;
        let states = self.replay(&items, &reviews, &events)?;
        self.write_states(&items, &states)
    }

    /// Recomputes the state of every ordinal of the cards `(deck, card)` from their log, as
    /// [`Learner::rebuild_from_log`] would. Clears the undo stack.
    pub fn replay_cards(&mut self, cards: &BTreeSet<(String, String)>) -> Result<()> {
        self.replay_cards_keeping_undo(cards)?;
        self.undo.clear();
        Ok(())
    }

    /// Whether the card of `key` holds history later than `at_ms` (a clock set back): the
    /// step about to be written must then be replayed in time order.
    pub(super) fn out_of_order(&self, key: &ItemKey, at_ms: i64) -> Result<bool> {
        let latest = self.store.read().card_latest_at(&key.deck, &key.card)?;
        Ok(latest.is_some_and(|l| l > at_ms))
    }

    pub(super) fn replay_cards_keeping_undo(
        &mut self,
        cards: &BTreeSet<(String, String)>,
    ) -> Result<()> {
        let read = self.store.read();
        let (mut items, mut reviews, mut events) = (Vec::new(), Vec::new(), Vec::new());
        for (deck, card) in cards {
            for id in read.items_of_card(deck, card)? {
                let Some(row) = read.item_by_id(id)? else {
                    continue;
                };
                reviews.extend(read.reviews_of(id)?);
                events.extend(read.events_of(id)?);
                items.push(row);
            }
        }
        let states = self.replay(&items, &reviews, &events)?;
        self.store.write(|tx| {
            for (row, (sched, buried, introduced)) in items.iter().zip(&states) {
                tx.set_item_state(row.id, sched, *buried, *introduced, row.edited)?;
            }
            Ok(())
        })?;
        self.forget_totals();
        Ok(())
    }

    fn write_states(&mut self, items: &[ItemRow], states: &[Replayed]) -> Result<()> {
        self.store.write(|tx| {
            for (row, (sched, buried, introduced)) in items.iter().zip(states) {
                tx.set_item_state(row.id, sched, *buried, *introduced, row.edited)?;
            }
            Ok(())
        })?;
        self.undo.clear();
        self.forget_totals();
        Ok(())
    }

    /// Replays `reviews` and `events` (of `items` only) in time order.
    fn replay(
        &self,
        items: &[ItemRow],
        reviews: &[ReviewRow],
        events: &[EventRow],
    ) -> Result<Vec<Replayed>> {
        let mut index: HashMap<i64, usize> = HashMap::new();
        let mut states: Vec<Replayed> = Vec::with_capacity(items.len());
        let mut groups: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, row) in items.iter().enumerate() {
            index.insert(row.id, i);
            states.push((ItemSched::default(), None, None));
            groups
                .entry((row.key.deck.as_str(), row.key.card.as_str()))
                .or_default()
                .push(i);
        }
        let bad = |what: String| StoreError::BadData {
            path: self.store.path().to_string(),
            detail: what,
        };
        let mut steps: Vec<Step> = reviews.iter().map(Step::Review).collect();
        steps.extend(events.iter().map(Step::Event));
        steps.sort_by(|a, b| a.order().cmp(&b.order()));
        for step in steps {
            let r = match step {
                Step::Event(e) => {
                    let i = *index.get(&e.item_id).ok_or_else(|| {
                        bad(format!("event {} names unknown item {}", e.id, e.item_id))
                    })?;
                    let st = &mut states[i];
                    match e.kind {
                        EventKind::Suspend => st.0.suspended = true,
                        EventKind::Unsuspend => st.0.suspended = false,
                        EventKind::Bury => st.1 = e.until_ms,
                        EventKind::Reset => {
                            st.0 = ItemSched {
                                suspended: st.0.suspended,
                                ..ItemSched::default()
                            };
                            st.1 = None;
                            st.2 = None;
                        }
                    }
                    continue;
                }
                Step::Review(r) => r,
            };
            let i = *index
                .get(&r.item_id)
                .ok_or_else(|| bad(format!("review {} names unknown item {}", r.uid, r.item_id)))?;
            if !r.kind.schedules() {
                continue;
            }
            let row = &items[i];
            let ctx = self.ctx(row, r.at_ms);
            let prev = &states[i].0;
            let next = schedule::apply(prev, r.rating, r.at_ms, &ctx)
                .map_err(|e| Self::fsrs_err(&row.key, e))?;
            if prev.phase == Phase::New && states[i].2.is_none() {
                states[i].2 = Some(r.at_ms);
            }
            states[i].0 = next;
            let bury_until = self.day_start(self.today(r.at_ms) + 1);
            if let Some(sibs) = groups.get(&(row.key.deck.as_str(), row.key.card.as_str())) {
                for &j in sibs {
                    let s = &mut states[j];
                    if j != i
                        && matches!(s.0.phase, Phase::New | Phase::Review)
                        && s.1.is_none_or(|p| p < bury_until)
                    {
                        s.1 = Some(bury_until);
                    }
                }
            }
        }
        Ok(states)
    }
}
