//! Answering, undo, item events (suspend, bury, reset) and per-item history.

use super::types::*;
use super::{Learner, Result, Snapshot, Undo, at, state_of};
use crate::deck::ItemKey;
use crate::schedule::{self, DAY_MS, ItemSched, Phase, ReviewKind};
use crate::store::events::EventKind;
use crate::store::reviews::{ReviewRow, new_uid};
use chrono::{DateTime, Utc};

impl Learner {
    /// Records an answer in one durable transaction and returns what it did.
    pub fn answer(
        &mut self,
        key: &ItemKey,
        answer: &Answer,
        now: DateTime<Utc>,
    ) -> Result<AnswerOutcome> {
        let now_ms = now.timestamp_millis();
        let row = self.row(key)?;
        let kind = match answer.kind {
            ReviewKind::Cram | ReviewKind::MockExam => answer.kind,
            _ => ReviewKind::for_phase(row.sched.phase),
        };
        let (sched, introduced) = if kind.schedules() {
            let ctx = self.ctx(&row, now_ms);
            let next = schedule::apply(&row.sched, answer.rating, now_ms, &ctx)
                .map_err(|e| Self::fsrs_err(key, e))?;
            let introduced = row
                .introduced_ms
                .or(Some(now_ms).filter(|_| row.sched.phase == Phase::New));
            (next, introduced)
        } else {
            (row.sched.clone(), row.introduced_ms)
        };
        let bury_until = self.day_start(self.today(now_ms) + 1);
        let uid = new_uid(now_ms);
        let review = ReviewRow {
            id: 0,
            uid: uid.clone(),
            item_id: row.id,
            at_ms: now_ms,
            rating: answer.rating,
            kind,
            time_ms: answer.time_taken_ms,
            response: answer.response.clone(),
        };
        // An answer stamped before the card's latest history (a clock set back) is replayed
        // in time order; the debt is recorded in the same transaction, so a crash cannot
        // leave the cache unlike a rebuild.
        let out_of_order = self.out_of_order(key, now_ms)?;
        let stamp_before = self.queue_stamp()?;
        let (review_id, buried) = self.store.write(|tx| {
            let review_id = tx.add_review(&review)?;
            if out_of_order {
                Learner::mark_replay(tx, row.id)?;
            }
            tx.set_answered_state(&row, &sched, introduced, false)?;
            let mut buried = Vec::new();
            if kind.schedules() {
                for sibling in tx.siblings(key)? {
                    if sibling.buried_until_ms.is_none_or(|p| p < bury_until) {
                        tx.set_buried(sibling.id, Some(bury_until))?;
                        buried.push(sibling);
                    }
                }
            }
            Ok((review_id, buried))
        })?;
        let siblings: Vec<(i64, Option<i64>)> =
            buried.iter().map(|s| (s.id, s.buried_until_ms)).collect();
        if sched.suspended != row.sched.suspended {
            self.forget_totals();
        }
        self.queue_after_answer(
            stamp_before,
            super::queue::Answered {
                before: &row,
                after: &sched,
                introduced,
                kind,
                buried: &buried,
                bury_until,
            },
            now_ms,
            out_of_order,
        );
        self.undo.push(Undo::Answer {
            review_id,
            before: Snapshot::of(&row),
            siblings,
        });
        let became_leech = sched.leech && !row.sched.leech;
        let mut after = row;
        after.sched = sched;
        after.introduced_ms = introduced;
        after.edited = false;
        if out_of_order {
            self.finish_replay_inner(true)?;
            after = self.row(key)?;
        }
        Ok(AnswerOutcome {
            review_id: uid,
            kind,
            state: state_of(&after),
            became_leech,
        })
    }

    /// Undoes the last answer or item action of this session, restoring the exact previous
    /// state; returns the item, or None when there is nothing to undo. Any number of steps.
    pub fn undo(&mut self) -> Result<Option<ItemKey>> {
        let Some(step) = self.undo.pop() else {
            return Ok(None);
        };
        self.forget_totals();
        let restore = |tx: &crate::store::Tx<'_>, b: &Snapshot| {
            tx.set_item_state(b.id, &b.sched, b.buried, b.introduced, b.edited)
        };
        let res = match &step {
            Undo::Answer {
                review_id,
                before,
                siblings,
            } => self.store.write(|tx| {
                tx.delete_review(*review_id)?;
                restore(tx, before)?;
                for (sid, prev) in siblings {
                    tx.set_buried(*sid, *prev)?;
                }
                Ok(before.key.clone())
            }),
            Undo::Event { event_id, before } => self.store.write(|tx| {
                tx.delete_event(*event_id)?;
                restore(tx, before)?;
                Ok(before.key.clone())
            }),
        };
        match res {
            Ok(key) => Ok(Some(key)),
            Err(e) => {
                self.undo.push(step);
                Err(e.into())
            }
        }
    }

    /// Steps that [`Learner::undo`] can take.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    pub(super) fn event(
        &mut self,
        key: &ItemKey,
        kind: EventKind,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let now_ms = now.timestamp_millis();
        let row = self.row(key)?;
        let mut sched = row.sched.clone();
        let mut buried = row.buried_until_ms;
        let mut introduced = row.introduced_ms;
        let until = match kind {
            EventKind::Suspend => {
                sched.suspended = true;
                None
            }
            EventKind::Unsuspend => {
                sched.suspended = false;
                None
            }
            EventKind::Bury => {
                let u = self.day_start(self.today(now_ms) + 1);
                buried = Some(u);
                Some(u)
            }
            EventKind::Reset => {
                sched = ItemSched {
                    suspended: sched.suspended,
                    ..ItemSched::default()
                };
                buried = None;
                introduced = None;
                None
            }
        };
        self.forget_totals();
        let out_of_order = self.out_of_order(key, now_ms)?;
        let event_id = self.store.write(|tx| {
            let id = tx.add_event(row.id, now_ms, kind, until)?;
            if out_of_order {
                Learner::mark_replay(tx, row.id)?;
            }
            tx.set_item_state(row.id, &sched, buried, introduced, row.edited)?;
            Ok(id)
        })?;
        self.undo.push(Undo::Event {
            event_id,
            before: Snapshot::of(&row),
        });
        if out_of_order {
            self.finish_replay_inner(true)?;
        }
        Ok(())
    }

    /// Keeps an item out of the queue.
    pub fn suspend(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Suspend, now)
    }

    /// Puts a suspended item (a leech too) back in the queue; a leech keeps its tag.
    pub fn unsuspend(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Unsuspend, now)
    }

    /// Keeps an item out of the queue until the next day starts.
    pub fn bury(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Bury, now)
    }

    /// Makes an item new again (its history is kept).
    pub fn reset(&mut self, key: &ItemKey, now: DateTime<Utc>) -> Result<()> {
        self.event(key, EventKind::Reset, now)
    }

    /// Every answer to an item, oldest first.
    pub fn history(&self, key: &ItemKey) -> Result<Vec<ReviewEntry>> {
        let row = self.row(key)?;
        Ok(self
            .store
            .read()
            .reviews_of(row.id)?
            .into_iter()
            .map(|r| ReviewEntry {
                id: r.uid,
                at: at(r.at_ms),
                rating: r.rating,
                kind: r.kind,
                time_taken_ms: r.time_ms,
                response: r.response,
            })
            .collect())
    }

    /// An item's state, None if unknown.
    pub fn item_state(&self, key: &ItemKey) -> Result<Option<ItemState>> {
        Ok(self.store.read().item_by_key(key)?.map(|r| state_of(&r)))
    }

    /// Predicted probability of recall of an item at a moment (None if never studied).
    pub fn recall_at(&self, key: &ItemKey, at: DateTime<Utc>) -> Result<Option<f64>> {
        let row = self.row(key)?;
        Ok(match (row.sched.stability, row.sched.last_review_ms) {
            (Some(s), Some(last)) => Some(schedule::recall(
                s,
                (at.timestamp_millis() - last) as f64 / DAY_MS as f64,
                &self.params,
            )),
            _ => None,
        })
    }
}
