//! A replay inside a transaction the caller holds: [`Learner::replay_where`] opens its own,
//! and a bulk merge replays in its own transaction (`learner/merge/batch.rs`), with the
//! build of the log's indexes (unless they are left to the thread behind a sync) as the work
//! done `meanwhile` — on this thread while the last batches replay on the others.
//!
//! [`Learner::replay_where`]: super::Learner::replay_where

use super::{LearnerError, PER_CARD_UP_TO, REPORT_EVERY, Replayed, Replayer, WorkProgress, batch};
use crate::store::items::ItemRow;
use crate::store::{StoreError, Tx};
use std::collections::BTreeSet;

/// What [`replay_in`] replays, and what it does beside the replay.
pub(in crate::learner) struct Job<'j, 'a> {
    /// The scheduling context.
    pub rp: &'j Replayer<'a>,
    /// The cards to replay; None: every card.
    pub cards: Option<&'j BTreeSet<(String, String)>>,
    /// Told how far the replay has come: items (every card) or cards.
    pub progress: &'j mut dyn FnMut(WorkProgress),
    /// Run once the log has been read and before the replayed states are written, while the
    /// last cards replay on other threads.
    pub meanwhile: &'j mut dyn FnMut() -> Result<(), StoreError>,
}

/// Replays `job`'s cards in `tx` and writes the states that changed; returns how many. A
/// scheduler error is put in `failure` and returned as a store error, so the caller's
/// transaction rolls back.
pub(in crate::learner) fn replay_in(
    tx: &Tx<'_>,
    job: Job<'_, '_>,
    failure: &mut Option<LearnerError>,
) -> Result<usize, StoreError> {
    let Job {
        rp,
        cards,
        progress,
        meanwhile,
    } = job;
    let path = tx.path().to_string();
    let total = match cards {
        Some(c) => c.len() as u64,
        None => tx.item_count()?,
    };
    let report = |done| WorkProgress {
        stage: "replaying history",
        done,
        total,
    };
    progress(report(0));
    let mut changed: Vec<(i64, Replayed, bool, bool)> = Vec::new();
    let (mut done, mut reported) = (0u64, 0u64);
    {
        let mut visit = |items: &[ItemRow],
                         states: Result<Vec<Replayed>, LearnerError>|
         -> Result<(), StoreError> {
            let states = match states {
                Ok(s) => s,
                Err(LearnerError::Store(e)) => return Err(e),
                Err(e) => {
                    *failure = Some(e);
                    return Err(StoreError::BadData {
                        path: path.clone(),
                        detail: "the replay stopped".into(),
                    });
                }
            };
            for (row, st) in items.iter().zip(states) {
                if (&row.sched, row.buried_until_ms, row.introduced_ms) != (&st.0, st.1, st.2) {
                    // Whether only the review columns changed (see below).
                    let review_only = (
                        row.sched.phase,
                        row.sched.suspended,
                        row.buried_until_ms,
                        row.introduced_ms,
                    ) == (st.0.phase, st.0.suspended, st.1, st.2);
                    changed.push((row.id, st, row.edited, review_only));
                }
            }
            done += if cards.is_some() {
                1
            } else {
                items.len() as u64
            };
            if done - reported >= REPORT_EVERY {
                reported = done;
                progress(report(done.min(total)));
            }
            Ok(())
        };
        match cards {
            // A card's lookups need the log's item index: while a bulk merge's is dropped or
            // owed (built behind it), one scan replaces reading the whole log per card.
            Some(set) if set.len() <= PER_CARD_UP_TO && !tx.review_log_indexes_missing()? => {
                for (deck, card) in set {
                    let items = tx.card_items(deck, card)?;
                    let states = rp.card(tx, &items);
                    visit(&items, states)?;
                }
                meanwhile()?;
            }
            // Many cards: one sequential pass over the log beats a lookup per card.
            _ => {
                let wanted = |d: &str, c: &str| {
                    cards.is_none_or(|set| set.contains(&(d.to_string(), c.to_string())))
                };
                // Read on this thread, replayed on every core in batches.
                batch::replay_scan((tx, &path), rp, &wanted, &mut visit, meanwhile)?;
            }
        }
    }
    // In row order (neighbouring rows share pages), and only the columns that changed where
    // that spares the item table's other indexes (measured: 22,225 states of a merge).
    changed.sort_unstable_by_key(|c| c.0);
    for (id, (sched, buried, introduced), edited, review_only) in &changed {
        if *review_only {
            tx.set_item_review_state(*id, sched)?;
        } else {
            tx.set_item_state(*id, sched, *buried, *introduced, *edited)?;
        }
    }
    progress(report(total));
    Ok(changed.len())
}
