//! Rebuilding items' state from the review log and item events: all of them
//! ([`Learner::rebuild_from_log`]) or the cards whose history a sync merge or an import
//! changed ([`Learner::replay_cards`]). Both replay in time order (ties: reviews before events,
//! then by global id), so every device computes the same state from the same merged log
//! whatever order the records arrived in.
//!
//! A card's items depend only on that card's history (answering one ordinal buries its
//! siblings), so the replay streams one card at a time from SQL: memory stays bounded by the
//! largest card's history, not by the log, and only rows whose state changed are written.

use super::{Learner, LearnerError, Result};
use crate::deck::ItemKey;
use crate::schedule::exam::ExamPolicy;
use crate::schedule::{self, Context, ItemSched, Phase, Settings, Zone, fuzz};
use crate::store::Tx;
use crate::store::events::{EventKind, EventRow};
use crate::store::items::ItemRow;
use crate::store::replay::CardLog;
use crate::store::reviews::ReviewRow;
use std::collections::BTreeSet;

/// Replayed state of one item: scheduling state, buried until, introduced at.
type Replayed = (ItemSched, Option<i64>, Option<i64>);

/// How far a long job (history import, replay) has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkProgress {
    /// What is being done ("importing history", "replaying history").
    pub stage: &'static str,
    /// Units done (answers or items).
    pub done: u64,
    /// Units in all.
    pub total: u64,
}

/// Up to this many cards, a replay reads each card's log by lookups; more are replayed from one
/// sequential pass over the whole log.
const PER_CARD_UP_TO: usize = 500;

/// Items (or cards) replayed between two progress reports: a few milliseconds of work.
const REPORT_EVERY: u64 = 512;

/// One step of an item's history, with the index of its item in the card.
enum Step {
    Review(usize, ReviewRow),
    Event(usize, EventRow),
}

impl Step {
    fn order(&self) -> (i64, u8, &str, i64) {
        match self {
            Step::Review(_, r) => (r.at_ms, 0, r.uid.as_str(), r.id),
            Step::Event(_, e) => (e.at_ms, 1, e.uid.as_deref().unwrap_or(""), e.id),
        }
    }
}

mod batch;
mod days;
pub(super) mod within;

/// The scheduling context by parts (borrowed beside the store, so a replay can compute
/// inside its write transaction). Answering uses the same context, so a replay gives what
/// answering gave.
pub(super) struct Replayer<'a> {
    fsrs: &'a fsrs::FSRS,
    params: &'a [f32],
    settings: &'a Settings,
    zone: &'a dyn Zone,
    /// The same zone with its days remembered, for replaying many answers.
    days: days::DayCache<'a>,
}

impl<'a> Replayer<'a> {
    pub(super) fn of(
        fsrs: &'a fsrs::FSRS,
        params: &'a [f32],
        settings: &'a Settings,
        zone: &'a dyn Zone,
    ) -> Replayer<'a> {
        Replayer {
            fsrs,
            params,
            settings,
            zone,
            days: days::DayCache::new(zone, settings.day_start_hour),
        }
    }

    fn today(&self, now_ms: i64) -> i64 {
        self.days.day_of(now_ms, self.settings.day_start_hour)
    }

    fn day_start(&self, day: i64) -> i64 {
        self.days.day_start(day, self.settings.day_start_hour)
    }

    /// The context for answering `row` at `now_ms`.
    pub(super) fn ctx(&self, row: &ItemRow, now_ms: i64) -> Context<'a> {
        self.ctx_in(row, now_ms, self.zone)
    }

    /// [`Replayer::ctx`] counting days in `zone` (the replay's memo of days).
    fn ctx_in<'z>(&self, row: &ItemRow, now_ms: i64, zone: &'z dyn Zone) -> Context<'z>
    where
        'a: 'z,
    {
        let today = zone.day_of(now_ms, self.settings.day_start_hour);
        let exam = row
            .exam
            .as_deref()
            .and_then(|e| self.settings.exam_dates.get(e))
            .and_then(|date| ExamPolicy::new(*date, today, self.settings));
        Context {
            fsrs: self.fsrs,
            parameters: self.params,
            settings: self.settings,
            zone,
            retention: self
                .settings
                .retention_for(&row.key.deck, row.exam.as_deref()),
            fuzz_seed: fuzz::seed(&row.key.deck, &row.key.card, row.key.ord),
            exam,
        }
    }

    /// Replays the history of one card's `items` (read in `tx`, item by item) in time order.
    fn card(&self, tx: &Tx<'_>, items: &[ItemRow]) -> Result<Vec<Replayed>> {
        let (mut reviews, mut events) = (Vec::new(), Vec::new());
        for row in items {
            reviews.extend(tx.replay_reviews_of(row.id)?);
            events.extend(tx.events_of(row.id)?);
        }
        self.log(CardLog {
            items,
            reviews,
            events,
        })
    }

    /// Replays one card's whole history in time order.
    fn log(&self, log: CardLog<'_>) -> Result<Vec<Replayed>> {
        let items = log.items;
        let index = |id: i64| items.iter().position(|r| r.id == id);
        let mut steps = Vec::with_capacity(log.reviews.len() + log.events.len());
        for r in log.reviews {
            if let Some(i) = index(r.item_id) {
                steps.push(Step::Review(i, r));
            }
        }
        for e in log.events {
            if let Some(i) = index(e.item_id) {
                steps.push(Step::Event(i, e));
            }
        }
        steps.sort_by(|a, b| a.order().cmp(&b.order()));
        let mut states: Vec<Replayed> = vec![(ItemSched::default(), None, None); items.len()];
        for step in steps {
            let (i, r) = match step {
                Step::Event(i, e) => {
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
                Step::Review(i, r) => (i, r),
            };
            if !r.kind.schedules() {
                continue;
            }
            let row = &items[i];
            let ctx = self.ctx_in(row, r.at_ms, &self.days);
            let prev = &states[i].0;
            let next = schedule::apply(prev, r.rating, r.at_ms, &ctx)
                .map_err(|e| Learner::fsrs_err(&row.key, e))?;
            if prev.phase == Phase::New && states[i].2.is_none() {
                states[i].2 = Some(r.at_ms);
            }
            states[i].0 = next;
            // Answering one ordinal buries its siblings until the next day.
            let bury_until = self.day_start(self.today(r.at_ms) + 1);
            for (j, s) in states.iter_mut().enumerate() {
                if j != i
                    && matches!(s.0.phase, Phase::New | Phase::Review)
                    && s.1.is_none_or(|p| p < bury_until)
                {
                    s.1 = Some(bury_until);
                }
            }
        }
        Ok(states)
    }
}

impl Learner {
    /// Recomputes every item's state from the review log and item events alone (with the
    /// current settings), in one transaction. Clears the undo stack.
    pub fn rebuild_from_log(&mut self) -> Result<()> {
        self.rebuild_from_log_with(&mut |_| {}).map(|_| ())
    }

    /// [`Learner::rebuild_from_log`], reporting progress (items replayed of all items) every
    /// few milliseconds of work; returns how many items' state changed.
    pub fn rebuild_from_log_with(
        &mut self,
        progress: &mut dyn FnMut(WorkProgress),
    ) -> Result<usize> {
        let n = self.replay_where(None, progress)?;
        self.undo.clear();
        Ok(n)
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
        self.replay_where(Some(cards), &mut |_| {}).map(|_| ())
    }

    /// Replays `cards` (None: every card) in one write transaction — reading, replaying and
    /// writing inside it, so an answer given meanwhile by another connection is never
    /// overwritten by a stale state. Progress counts items (every card) or cards (`cards`).
    /// Returns how many items' state changed (only those rows are written).
    pub(super) fn replay_where(
        &mut self,
        cards: Option<&BTreeSet<(String, String)>>,
        progress: &mut dyn FnMut(WorkProgress),
    ) -> Result<usize> {
        let rp = Replayer::of(&self.fsrs, &self.params, &self.settings, self.zone.as_ref());
        // A scheduler error cannot travel as a store error: it is kept here and the
        // transaction rolled back.
        let mut failure: Option<LearnerError> = None;
        let written = self.store.write(|tx| {
            let job = within::Job {
                rp: &rp,
                cards,
                progress,
                meanwhile: &mut || Ok(()),
            };
            within::replay_in(tx, job, &mut failure)
        });
        self.forget_totals();
        match (written, failure) {
            (Err(_), Some(e)) => Err(e),
            (r, _) => Ok(r?),
        }
    }
}

#[cfg(test)]
mod tests;
