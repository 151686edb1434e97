//! The library as a library sync sees it: runs of items of one deck in library order, each
//! with its number in the new-card order and a fingerprint of everything the sync writes for
//! it (keys, exam, domain, content hash, position). A sync compares these fingerprints with
//! the ones stored at the last sync and reads only the decks whose fingerprint changed.

use crate::deck::{Card, Deck, Library, LoadedDeck};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// The numbering scheme of `new_order` and of these fingerprints: a database synced under
/// another one is synced in full once.
const SCHEME: &[u8] = b"new-order:per-deck-stride-24;deck-runs-2\0";

/// Consecutive items of one deck in library order.
pub(super) struct DeckRun<'a> {
    /// The deck's number in the new-card order (1, 2, … in library order).
    pub number: i64,
    /// The deck id (every item's key deck).
    pub id: &'a str,
    /// The loaded decks of the run (one, unless the library holds the same id twice in a row).
    pub decks: &'a [LoadedDeck],
    /// Items (cloze deletions counted one by one).
    pub items: u32,
    /// SHA-256 (hex) of the number, the id, and each deck's exam and card digest.
    pub fingerprint: String,
}

impl<'a> DeckRun<'a> {
    /// The run's cards in library order, with their deck.
    pub fn cards(&self) -> impl Iterator<Item = (&'a Deck, &'a Card)> + use<'a> {
        self.decks
            .iter()
            .flat_map(|d| d.deck.cards.iter().map(move |c| (&d.deck, c)))
    }

    /// Hashes the run and counts its items (from each deck's [`SyncDigest`]: a deck from the
    /// library cache is not decoded for it).
    fn fingerprint(&mut self) {
        let mut h = Sha256::new();
        h.update(SCHEME);
        h.update(self.number.to_le_bytes());
        h.update(self.id.as_bytes());
        h.update([0]);
        let mut items = 0u32;
        for d in self.decks {
            let digest = d.deck.cards.digest();
            items += digest.items;
            h.update(d.deck.exam.as_deref().unwrap_or("\u{1}").as_bytes());
            h.update([0]);
            h.update(digest.hash);
            h.update(digest.items.to_le_bytes());
        }
        self.items = items;
        self.fingerprint = hex(&h.finalize());
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The library's deck runs, in library order, fingerprinted on every core.
pub(super) fn deck_runs(library: &Library) -> Vec<DeckRun<'_>> {
    let mut runs: Vec<DeckRun<'_>> = Vec::new();
    let decks = &library.decks;
    let mut start = 0;
    while start < decks.len() {
        let id = decks[start].deck.id.as_str();
        let mut end = start + 1;
        while end < decks.len() && decks[end].deck.id == id {
            end += 1;
        }
        let run = DeckRun {
            number: 0,
            id,
            decks: &decks[start..end],
            items: 0,
            fingerprint: String::new(),
        };
        start = end;
        // A deck with no cards has no items and takes no number (as in `Library::items`).
        if run.decks.iter().any(|d| !d.deck.cards.is_empty()) {
            runs.push(run);
        }
    }
    for (n, run) in runs.iter_mut().enumerate() {
        run.number = n as i64 + 1;
    }
    runs.par_iter_mut().for_each(DeckRun::fingerprint);
    runs
}

/// The fingerprint of the whole library: of its runs' ids and fingerprints, in order.
pub(super) fn library_fingerprint(runs: &[DeckRun<'_>]) -> String {
    let mut h = Sha256::new();
    h.update(SCHEME);
    for run in runs {
        h.update(run.id.as_bytes());
        h.update([0]);
        h.update(run.fingerprint.as_bytes());
    }
    hex(&h.finalize())
}

/// Whether two runs share a deck id (decks with the same id apart in library order, each
/// numbered on its own): the fingerprints stored per deck id cannot tell them apart, so such
/// a library is synced in full.
pub(super) fn ids_repeat(runs: &[DeckRun<'_>]) -> bool {
    let mut seen = std::collections::HashSet::new();
    runs.iter().any(|r| !seen.insert(r.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learner::synthetic;

    #[test]
    fn runs_hold_every_item_in_library_order() {
        let mut lib = synthetic::library(4, 9, 2);
        lib.decks[1].deck.cards.clear();
        let runs = deck_runs(&lib);
        let from_runs: Vec<(String, String, u16)> = runs
            .iter()
            .flat_map(|r| {
                r.cards().flat_map(move |(d, c)| {
                    c.item_ordinals()
                        .map(move |o| (d.id.clone(), c.id.clone(), o))
                })
            })
            .collect();
        let from_library: Vec<(String, String, u16)> = lib
            .items()
            .map(|(k, _, _)| (k.deck, k.card, k.ord))
            .collect();
        assert_eq!(from_runs, from_library);
        // The deck with no cards takes no number.
        let numbers: Vec<i64> = runs.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 2, 3]);
        let items: u32 = runs.iter().map(|r| r.items).sum();
        assert_eq!(items as usize, from_library.len());
    }

    #[test]
    fn a_fingerprint_changes_with_what_the_sync_writes_and_only_in_its_deck() {
        let lib = synthetic::library(3, 5, 2);
        let base: Vec<String> = deck_runs(&lib).into_iter().map(|r| r.fingerprint).collect();
        let edits: [fn(&mut Library); 4] = [
            |l| l.decks[1].deck.cards[0].content_hash.push('x'),
            |l| l.decks[1].deck.cards[2].domain = Some("other".into()),
            |l| l.decks[1].deck.exam = Some("exam-z".into()),
            |l| l.decks[1].deck.cards[3].id.push('x'),
        ];
        for (i, edit) in edits.iter().enumerate() {
            let mut changed = lib.clone();
            edit(&mut changed);
            let now: Vec<String> = deck_runs(&changed)
                .into_iter()
                .map(|r| r.fingerprint)
                .collect();
            assert_eq!(now[0], base[0], "edit {i}");
            assert_ne!(now[1], base[1], "edit {i}");
            assert_eq!(now[2], base[2], "edit {i}");
        }
    }
}
