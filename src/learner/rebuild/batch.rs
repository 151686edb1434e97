//! The replay of many cards on every core: the log is read card by card in one sequential
//! scan (one connection, one thread), cards are gathered in batches, each batch is replayed
//! in parallel (a card's states depend on that card's history only), and the states go back
//! in card order to the caller, which writes them on the one thread. Reading the next batch
//! overlaps replaying the one before.

use super::{Replayed, Replayer, Result};
use crate::store::events::EventRow;
use crate::store::items::ItemRow;
use crate::store::replay::CardLog;
use crate::store::reviews::ReviewRow;
use crate::store::{StoreError, Tx};
use rayon::prelude::*;

/// Cards replayed per batch: enough to share out over the cores, few enough that a batch's
/// logs stay small (a few MiB).
pub(super) const CARDS: usize = 2048;

/// One card's history, owned (the scan lends its items only for the call).
pub(super) struct OwnedLog {
    items: Vec<ItemRow>,
    reviews: Vec<ReviewRow>,
    events: Vec<EventRow>,
}

impl OwnedLog {
    pub(super) fn of(log: CardLog<'_>) -> OwnedLog {
        OwnedLog {
            items: log.items.to_vec(),
            reviews: log.reviews,
            events: log.events,
        }
    }
}

/// The sink of replayed cards: the card's items and their replayed states.
pub(super) type Visit<'v> =
    dyn FnMut(&[ItemRow], Result<Vec<Replayed>>) -> Result<(), StoreError> + 'v;

/// A batch's cards with their replayed states, in card order.
type Done = Vec<(Vec<ItemRow>, Result<Vec<Replayed>>)>;

/// Replays the cards of `batch` in parallel, keeping their order.
fn replay(rp: &Replayer<'_>, batch: Vec<OwnedLog>) -> Done {
    batch
        .into_par_iter()
        .map(|log| {
            let states = rp.log(CardLog {
                items: &log.items,
                reviews: log.reviews,
                events: log.events,
            });
            (log.items, states)
        })
        .collect()
}

/// Hands a finished batch to `visit`, in card order.
fn deliver(
    path: &str,
    job: std::thread::ScopedJoinHandle<'_, Done>,
    visit: &mut Visit<'_>,
) -> Result<(), StoreError> {
    let done = job.join().map_err(|_| StoreError::BadData {
        path: path.to_string(),
        detail: "the replay thread panicked".into(),
    })?;
    for (items, states) in done {
        visit(&items, states)?;
    }
    Ok(())
}

/// Replays the wanted cards of one sequential scan of the log in `tx` (database `path`),
/// handing each card's states to `visit` in card order. Batches are replayed on another
/// thread (on every core) while this one reads the next batch, so reading and replaying
/// overlap; once the log is read, this thread runs `meanwhile` while the last batches replay.
pub(super) fn replay_scan(
    (tx, path): (&Tx<'_>, &str),
    rp: &Replayer<'_>,
    wanted: &dyn Fn(&str, &str) -> bool,
    visit: &mut Visit<'_>,
    meanwhile: &mut dyn FnMut() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    std::thread::scope(|scope| {
        let mut logs = Vec::with_capacity(CARDS);
        let mut running = None;
        tx.for_each_card_log(wanted, &mut |log| {
            logs.push(OwnedLog::of(log));
            if logs.len() >= CARDS {
                // One batch replays while the next is read: memory holds two batches.
                if let Some(job) = running.take() {
                    deliver(path, job, visit)?;
                }
                let batch = std::mem::replace(&mut logs, Vec::with_capacity(CARDS));
                running = Some(scope.spawn(move || replay(rp, batch)));
            }
            Ok(())
        })?;
        let last = (!logs.is_empty()).then(|| scope.spawn(move || replay(rp, logs)));
        let beside = meanwhile();
        for job in [running.take(), last].into_iter().flatten() {
            if beside.is_ok() {
                deliver(path, job, visit)?;
            } else {
                // The transaction rolls back: the states are not wanted.
                let _ = job.join();
            }
        }
        beside
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{corrupt, learner, row, t0};
    use crate::deck::ItemKey;
    use crate::learner::{Answer, synthetic};
    use crate::schedule::Rating;

    #[test]
    fn a_replay_over_several_batches_gives_every_card_its_own_states() {
        // More cards than one batch holds, each answered, so several batches (and a last,
        // partial one) replay in parallel; some cache rows are wrong in each batch.
        let cards = super::CARDS * 2 + 100;
        let lib = synthetic::library(1, cards, 0);
        let mut l = learner(&lib);
        let key = |c: usize| ItemKey {
            deck: "deck-0".into(),
            card: format!("card-{c}"),
            ord: 0,
        };
        for c in 0..cards {
            let rating = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy][c % 4];
            let at = t0() + chrono::Duration::seconds(c as i64);
            l.answer(&key(c), &Answer::new(rating), at).expect("answer");
        }
        let damaged = [1, super::CARDS - 1, super::CARDS, super::CARDS * 2 + 99];
        let good: Vec<_> = damaged.iter().map(|&c| row(&l, &key(c))).collect();
        for &c in &damaged {
            corrupt(&mut l, &key(c));
        }
        let changed = l.rebuild_from_log_with(&mut |_| {}).expect("rebuild");
        assert_eq!(changed, damaged.len(), "only the damaged rows differ");
        let after: Vec<_> = damaged.iter().map(|&c| row(&l, &key(c))).collect();
        assert_eq!(after, good);
    }
}
