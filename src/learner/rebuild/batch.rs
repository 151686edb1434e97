//! The replay of many cards on every core: the log is read card by card in one sequential
//! scan (one connection, one thread), cards are gathered in batches, each batch is replayed
//! in parallel (a card's states depend on that card's history only), and the states go back
//! in card order to the caller, which writes them on the one thread.

use super::{Replayed, Replayer, Result};
use crate::store::events::EventRow;
use crate::store::items::ItemRow;
use crate::store::replay::CardLog;
use crate::store::reviews::ReviewRow;
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
pub(super) type Visit<'v, E> = dyn FnMut(&[ItemRow], Result<Vec<Replayed>>) -> Result<(), E> + 'v;

/// Replays the cards of `batch` in parallel (emptying it) and hands each to `visit` in order.
pub(super) fn flush<E>(
    rp: &Replayer<'_>,
    batch: &mut Vec<OwnedLog>,
    visit: &mut Visit<'_, E>,
) -> Result<(), E> {
    let done: Vec<(Vec<ItemRow>, Result<Vec<Replayed>>)> = std::mem::take(batch)
        .into_par_iter()
        .map(|log| {
            let states = rp.log(CardLog {
                items: &log.items,
                reviews: log.reviews,
                events: log.events,
            });
            (log.items, states)
        })
        .collect();
    for (items, states) in done {
        visit(&items, states)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::deck::ItemKey;
    use crate::learner::{Answer, Learner, synthetic};
    use crate::schedule::{ItemSched, Rating};

    #[test]
    fn a_replay_over_several_batches_gives_every_card_its_own_states() {
        // More cards than one batch holds, each answered, so several batches (and a last,
        // partial one) replay in parallel; some cache rows are wrong in each batch.
        let cards = super::CARDS * 2 + 100;
        let lib = synthetic::library(1, cards, 0);
        let t0 = crate::schedule::day::from_ms(1_780_000_000_000);
        let mut l = Learner::open_in_memory().expect("open");
        l.set_time_zone(chrono::Utc);
        l.sync_library(&lib, t0).expect("library");
        let key = |c: usize| ItemKey {
            deck: "deck-0".into(),
            card: format!("card-{c}"),
            ord: 0,
        };
        for c in 0..cards {
            let rating = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy][c % 4];
            let at = t0 + chrono::Duration::seconds(c as i64);
            l.answer(&key(c), &Answer::new(rating), at).expect("answer");
        }
        let row = |l: &Learner, c: usize| {
            l.store()
                .read()
                .item_by_key(&key(c))
                .expect("read")
                .expect("item")
        };
        let damaged = [1, super::CARDS - 1, super::CARDS, super::CARDS * 2 + 99];
        let good: Vec<_> = damaged.iter().map(|&c| row(&l, c)).collect();
        for &c in &damaged {
            let r = row(&l, c);
            let bad = ItemSched {
                stability: Some(999.0),
                reps: 77,
                ..r.sched.clone()
            };
            l.store
                .write(|tx| tx.set_item_state(r.id, &bad, None, None, r.edited))
                .expect("write");
        }
        let changed = l.rebuild_from_log_with(&mut |_| {}).expect("rebuild");
        assert_eq!(changed, damaged.len(), "only the damaged rows differ");
        let after: Vec<_> = damaged.iter().map(|&c| row(&l, c)).collect();
        assert_eq!(after, good);
    }
}
