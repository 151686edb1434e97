//! Registering the deck library with the store: new, edited and removed items.

use super::deck_runs::{DeckRun, deck_runs, ids_repeat, library_fingerprint};
use super::types::*;
use super::{Learner, Result, WorkProgress};
use crate::deck::{ItemKey, Library};
use crate::store::items::{CatalogEntry, CatalogRow};
use crate::store::meta;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

impl Learner {
    /// Registers every item of the library (new ones, changed content hash → `edited`,
    /// missing → `removed`, never deleting history).
    ///
    /// Only the decks whose fingerprint (keys, content hashes, exam, domains, order) differs
    /// from the last sync are read from the database; a library identical to the last one
    /// synced changes nothing and costs no database scan.
    pub fn sync_library(&mut self, library: &Library, now: DateTime<Utc>) -> Result<SyncReport> {
        self.sync_library_with(library, now, &mut |_| {})
    }

    /// [`Learner::sync_library`] reporting progress ("registering cards", of the items of the
    /// decks read) every few thousand items: registering an imported collection of tens of
    /// thousands of cards takes most of a second.
    pub fn sync_library_with(
        &mut self,
        library: &Library,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(WorkProgress),
    ) -> Result<SyncReport> {
        let runs = deck_runs(library);
        let total: u32 = runs.iter().map(|r| r.items).sum();
        let fingerprint = library_fingerprint(&runs);
        let read = self.store.read();
        let last: Option<String> = read.meta_get(meta::LIBRARY)?;
        if last.as_deref() == Some(fingerprint.as_str()) {
            return Ok(SyncReport {
                total,
                ..SyncReport::default()
            });
        }
        // A stored value this version cannot read only costs a full sync.
        let stored: Option<Vec<(String, String)>> =
            read.meta_get(meta::LIBRARY_DECKS).ok().flatten();
        let plan = match stored {
            Some(stored) if !ids_repeat(&runs) => {
                let old: HashMap<&str, &str> = stored
                    .iter()
                    .map(|(d, f)| (d.as_str(), f.as_str()))
                    .collect();
                let todo: Vec<&DeckRun<'_>> = runs
                    .iter()
                    .filter(|r| old.get(r.id) != Some(&r.fingerprint.as_str()))
                    .collect();
                // Rows of the decks read again and of the decks gone; every other row is as
                // the last sync left it.
                let here: HashSet<&str> = runs.iter().map(|r| r.id).collect();
                let mut existing = Vec::new();
                let mut decks = Vec::new();
                for id in todo
                    .iter()
                    .map(|r| r.id)
                    .chain(old.keys().copied().filter(|d| !here.contains(d)))
                {
                    read.catalog_of_deck(id, &mut existing)?;
                    decks.push(id.to_string());
                }
                (todo, existing, Some(decks))
            }
            _ => (runs.iter().collect(), read.catalog()?, None),
        };
        let (todo, existing, touched) = plan;
        let decks: Vec<(String, String)> = runs
            .iter()
            .map(|r| (r.id.to_string(), r.fingerprint.clone()))
            .collect();
        let registered = self.register(&todo, &existing, now, progress, |tx| {
            tx.meta_set(meta::LIBRARY_DECKS, &decks)?;
            tx.meta_set(meta::LIBRARY, &fingerprint)
        });
        // Items per deck change only in the decks read; the others keep their totals.
        match (&registered, touched) {
            (Ok(_), Some(touched)) => self.recount_totals(&touched)?,
            _ => self.forget_totals(),
        }
        let mut report = registered?;
        report.total = total;
        Ok(report)
    }

    /// Registers the items of `runs` against the `existing` rows of their decks (and of
    /// decks gone): inserts, updates, and marks removed the rows no run holds; `finish` runs
    /// in the same transaction.
    fn register(
        &mut self,
        runs: &[&DeckRun<'_>],
        existing: &[CatalogRow],
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(WorkProgress),
        finish: impl FnOnce(&crate::store::Tx<'_>) -> crate::store::Result<()>,
    ) -> Result<SyncReport> {
        let now_ms = now.timestamp_millis();
        let total: u32 = runs.iter().map(|r| r.items).sum();
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
            let mut n = 0usize;
            for run in runs {
                let mut in_deck = 0i64;
                for (deck, card) in run.cards() {
                    for ord in card.item_ordinals() {
                        if n > 0 && n.is_multiple_of(REPORT_EVERY) {
                            progress(step(n));
                        }
                        n += 1;
                        let pos = new_order(run.number, in_deck);
                        in_deck += 1;
                        report.total += 1;
                        let found = index.get(&(run.id, card.id.as_str(), ord));
                        let entry = || CatalogEntry {
                            key: ItemKey {
                                deck: deck.id.clone(),
                                card: card.id.clone(),
                                ord,
                            },
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
                }
            }
            for (row, seen) in existing.iter().zip(&seen) {
                if !row.removed && !seen {
                    tx.mark_removed(row.id)?;
                    report.removed += 1;
                }
            }
            finish(tx)?;
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

    /// Every row's catalogue fields, by key.
    fn catalog(l: &Learner) -> Vec<String> {
        let mut rows: Vec<String> = l
            .store()
            .read()
            .catalog()
            .expect("catalog")
            .into_iter()
            .map(|r| {
                format!(
                    "{:?} {:?} {:?} {} pos={} edited={} removed={}",
                    r.entry.key,
                    r.entry.exam,
                    r.entry.domain,
                    r.entry.content_hash,
                    r.position,
                    r.edited,
                    r.removed
                )
            })
            .collect();
        rows.sort();
        rows
    }

    /// Syncs `lib` into `fast` (decks compared by fingerprint) and into `full` (the stored
    /// fingerprints dropped first, so every row is read), then compares both databases.
    fn sync_both(fast: &mut Learner, full: &mut Learner, lib: &crate::deck::Library, step: &str) {
        let now = chrono::Utc::now();
        let stored: Option<Vec<(String, String)>> = fast
            .store()
            .read()
            .meta_get(crate::store::meta::LIBRARY_DECKS)
            .expect("meta");
        assert!(stored.is_some(), "{step}: per-deck fingerprints stored");
        full.store
            .write(|tx| tx.meta_delete(crate::store::meta::LIBRARY_DECKS))
            .expect("drop");
        // Totals kept before the sync are recounted for the decks it read.
        fast.totals().expect("totals");
        let a = fast.sync_library(lib, now).expect("fast sync");
        let b = full.sync_library(lib, now).expect("full sync");
        assert_eq!(a, b, "{step}: reports");
        assert_eq!(catalog(fast), catalog(full), "{step}: catalogues");
        let counted: HashMap<String, (u32, u32)> = fast
            .store()
            .read()
            .count_totals()
            .expect("count")
            .into_iter()
            .map(|(d, n, s)| (d, (n, s)))
            .collect();
        assert_eq!(fast.totals().expect("totals"), counted, "{step}: totals");
    }

    #[test]
    fn a_sync_of_the_changed_decks_equals_a_full_sync() {
        let mut lib = synthetic::library(6, 12, 3);
        let now = chrono::Utc::now();
        let mut fast = Learner::open_in_memory().expect("open");
        let mut full = Learner::open_in_memory().expect("open");
        fast.sync_library(&lib, now).expect("sync");
        full.sync_library(&lib, now).expect("sync");

        lib.decks[2].deck.cards[4].content_hash = "edited".into();
        sync_both(&mut fast, &mut full, &lib, "a card edited");
        lib.decks[0].deck.cards.remove(1);
        sync_both(&mut fast, &mut full, &lib, "a card removed");
        let mut extra = lib.decks[4].deck.cards[0].clone();
        extra.id = "new-card".into();
        lib.decks[4].deck.cards.insert(0, extra);
        sync_both(&mut fast, &mut full, &lib, "a card added first");
        let gone = lib.decks.remove(3);
        sync_both(&mut fast, &mut full, &lib, "a deck removed");
        let mut inserted = gone.clone();
        inserted.deck.id = "deck-10".into();
        lib.decks.insert(1, inserted);
        sync_both(
            &mut fast,
            &mut full,
            &lib,
            "a deck inserted (later decks renumbered)",
        );
        lib.decks[1].deck.exam = Some("exam-b".into());
        lib.decks[2].deck.cards[0].domain = Some("d9".into());
        sync_both(&mut fast, &mut full, &lib, "exam and domain changed");
        lib.decks.insert(4, gone);
        sync_both(&mut fast, &mut full, &lib, "the removed deck back");
        sync_both(&mut fast, &mut full, &lib, "nothing changed");
        let swapped = lib.decks.swap_remove(0);
        lib.decks.push(swapped);
        sync_both(&mut fast, &mut full, &lib, "decks reordered");
        // The same deck id twice, apart: synced in full by both.
        let twin = lib.decks[0].clone();
        lib.decks.push(twin);
        sync_both(&mut fast, &mut full, &lib, "a deck id repeated");
        lib.decks.pop();
        sync_both(&mut fast, &mut full, &lib, "the repeat gone");
    }
}
