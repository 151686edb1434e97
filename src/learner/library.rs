//! Registering the deck library with the store: new, edited and removed items.

use super::types::*;
use super::{Learner, Result, WorkProgress};
use crate::deck::Library;
use crate::store::items::CatalogEntry;
use crate::store::meta;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

impl Learner {
    /// Registers every item of the library (new ones, changed content hash → `edited`,
    /// missing → `removed`, never deleting history).
    ///
    /// A library identical to the last one synced (same fingerprint of keys, content hashes,
    /// exams, domains and order) changes nothing and costs no database scan.
    pub fn sync_library(&mut self, library: &Library, now: DateTime<Utc>) -> Result<SyncReport> {
        self.sync_library_with(library, now, &mut |_| {})
    }

    /// [`Learner::sync_library`] reporting progress ("registering cards", of all items) every
    /// few thousand items: registering an imported collection of tens of thousands of cards
    /// takes most of a second.
    pub fn sync_library_with(
        &mut self,
        library: &Library,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(WorkProgress),
    ) -> Result<SyncReport> {
        let now_ms = now.timestamp_millis();
        let (fingerprint, total) = library_fingerprint(library);
        let last: Option<String> = self.store.read().meta_get(meta::LIBRARY)?;
        if last.as_deref() == Some(fingerprint.as_str()) {
            return Ok(SyncReport {
                total,
                ..SyncReport::default()
            });
        }
        self.forget_totals();
        let existing = self.store.read().catalog()?;
        let index: HashMap<(&str, &str, u16), usize> = existing
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let k = &r.entry.key;
                ((k.deck.as_str(), k.card.as_str(), k.ord), i)
            })
            .collect();
        // Cards first seen in a peer's reviews (placeholders) whose deck has now arrived.
        let mut arrived = std::collections::BTreeSet::new();
        let report = self.store.write(|tx| {
            let mut report = SyncReport::default();
            let mut seen = vec![false; existing.len()];
            let step = |done: usize| WorkProgress {
                stage: "registering cards",
                done: done as u64,
                total: u64::from(total),
            };
            progress(step(0));
            let mut decks_seen = 0i64;
            let mut this_deck: Option<&str> = None;
            let mut in_deck = 0i64;
            for (n, (key, deck, card)) in library.items().enumerate() {
                if n > 0 && n % REPORT_EVERY == 0 {
                    progress(step(n));
                }
                if this_deck != Some(deck.id.as_str()) {
                    this_deck = Some(deck.id.as_str());
                    decks_seen += 1;
                    in_deck = 0;
                }
                let pos = new_order(decks_seen, in_deck);
                in_deck += 1;
                report.total += 1;
                let found = index.get(&(key.deck.as_str(), key.card.as_str(), key.ord));
                let entry = || CatalogEntry {
                    key: key.clone(),
                    exam: deck.exam.clone(),
                    domain: card.domain.clone(),
                    content_hash: card.content_hash.clone(),
                };
                match found {
                    None => {
                        tx.insert_item(&entry(), pos, now_ms)?;
                        report.added += 1;
                    }
                    Some(&i) => {
                        seen[i] = true;
                        let row = &existing[i];
                        let placeholder = row.entry.content_hash.is_empty();
                        if placeholder {
                            arrived.insert(row.id);
                        }
                        let changed = row.entry.content_hash != card.content_hash;
                        let edited = changed && !placeholder;
                        report.edited += u32::from(edited);
                        report.restored += u32::from(row.removed);
                        if changed
                            || row.removed
                            || row.entry.exam != deck.exam
                            || row.entry.domain != card.domain
                            || row.position != pos
                        {
                            tx.update_catalog(row.id, &entry(), pos, row.edited || edited)?;
                        }
                    }
                }
            }
            for (row, seen) in existing.iter().zip(&seen) {
                if !row.removed && !seen {
                    tx.mark_removed(row.id)?;
                    report.removed += 1;
                }
            }
            tx.meta_set(meta::LIBRARY, &fingerprint)?;
            progress(step(total as usize));
            Ok(report)
        })?;
        // Their reviews were replayed without the deck's exam; replay them with it.
        self.replay_items(&arrived)?;
        Ok(report)
    }
}

/// Room for one deck's items in the new-card order: a deck file holds at most 8 MiB, so far
/// fewer items than this.
const DECK_STRIDE: i64 = 1 << 24;

/// Position of a deck's `in_deck`-th item in the new-card order (library order). Spaced per
/// deck so that adding or removing a card renumbers only its own deck, not every item after
/// it: a one-file edit in a 50,000-card library rewrote tens of thousands of rows.
fn new_order(deck_number: i64, in_deck: i64) -> i64 {
    deck_number * DECK_STRIDE + in_deck
}

/// Items registered between two progress reports (a few tens of milliseconds).
const REPORT_EVERY: usize = 2048;

/// SHA-256 over every item's key, exam, domain and content hash in library order, and the
/// number of items.
fn library_fingerprint(library: &Library) -> (String, u32) {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    // The numbering scheme of `new_order`: a database numbered otherwise is renumbered once.
    h.update(b"new-order:per-deck-stride-24\0");
    let mut n = 0u32;
    for (key, deck, card) in library.items() {
        n += 1;
        for part in [
            key.deck.as_str(),
            key.card.as_str(),
            deck.exam.as_deref().unwrap_or("\u{1}"),
            card.domain.as_deref().unwrap_or("\u{1}"),
            card.content_hash.as_str(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.update(key.ord.to_le_bytes());
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    (hex, n)
}

#[cfg(test)]
mod tests {
    use super::super::{Learner, synthetic};
    use std::collections::HashMap;

    fn positions(l: &Learner) -> HashMap<(String, String), i64> {
        l.store()
            .read()
            .catalog()
            .expect("catalog")
            .into_iter()
            .filter(|r| !r.removed)
            .map(|r| ((r.entry.key.deck, r.entry.key.card), r.position))
            .collect()
    }

    #[test]
    fn removing_a_card_renumbers_only_its_own_deck_and_keeps_library_order() {
        let mut lib = synthetic::library(3, 20, 0);
        let mut l = Learner::open_in_memory().expect("open");
        let now = chrono::Utc::now();
        l.sync_library(&lib, now).expect("sync");
        let before = positions(&l);
        // New cards come in library order: positions rise along `items()`.
        let order: Vec<i64> = lib
            .items()
            .map(|(k, _, _)| before[&(k.deck.clone(), k.card.clone())])
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

        lib.decks[0].deck.cards.remove(0);
        let report = l.sync_library(&lib, now).expect("sync again");
        assert_eq!(report.removed, 1);
        let after = positions(&l);
        let first = &lib.decks[0].deck.id;
        for (key, pos) in &after {
            if &key.0 != first {
                assert_eq!(before[key], *pos, "{key:?} was renumbered");
            }
        }
        let order: Vec<i64> = lib
            .items()
            .map(|(k, _, _)| after[&(k.deck.clone(), k.card.clone())])
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    }
}
