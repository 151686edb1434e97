//! The library as a library sync sees it: runs of items of one deck in library order, each
//! with its number in the new-card order and a fingerprint of everything the sync writes for
//! it (keys, exam, domain, content hash, position). A sync compares these fingerprints with
//! the ones stored at the last sync and reads only the decks whose fingerprint changed.

use crate::deck::{Card, Deck, Library};
use sha2::{Digest, Sha256};

/// The numbering scheme of `new_order` and of these fingerprints: a database synced under
/// another one is synced in full once.
const SCHEME: &[u8] = b"new-order:per-deck-stride-24;deck-runs-1\0";

/// Consecutive items of one deck in library order.
pub(super) struct DeckRun<'a> {
    /// The deck's number in the new-card order (1, 2, … in library order).
    pub number: i64,
    /// The deck id (every item's key deck).
    pub id: &'a str,
    /// Its cards in library order, with their deck.
    pub cards: Vec<(&'a Deck, &'a Card)>,
    /// Items (cloze deletions counted one by one).
    pub items: u32,
    /// SHA-256 (hex) of the number, id and every item's key, exam, domain and content hash.
    pub fingerprint: String,
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Appends a field and its terminator (`\u{1}` stands for "none").
fn field(buf: &mut Vec<u8>, s: Option<&str>) {
    buf.extend_from_slice(s.unwrap_or("\u{1}").as_bytes());
    buf.push(0);
}

/// The library's deck runs, in library order.
pub(super) fn deck_runs(library: &Library) -> Vec<DeckRun<'_>> {
    let mut runs: Vec<DeckRun<'_>> = Vec::new();
    for (deck, card) in library.cards() {
        if runs.last().is_none_or(|r| r.id != deck.id) {
            runs.push(DeckRun {
                number: runs.len() as i64 + 1,
                id: deck.id.as_str(),
                cards: Vec::new(),
                items: 0,
                fingerprint: String::new(),
            });
        }
        if let Some(run) = runs.last_mut() {
            run.cards.push((deck, card));
        }
    }
    let mut buf = Vec::new();
    for run in &mut runs {
        buf.clear();
        buf.extend_from_slice(SCHEME);
        buf.extend_from_slice(&run.number.to_le_bytes());
        field(&mut buf, Some(run.id));
        for (deck, card) in &run.cards {
            for ord in card.ordinals() {
                run.items += 1;
                field(&mut buf, Some(&card.id));
                buf.extend_from_slice(&ord.to_le_bytes());
                field(&mut buf, deck.exam.as_deref());
                field(&mut buf, card.domain.as_deref());
                field(&mut buf, Some(&card.content_hash));
            }
        }
        run.fingerprint = hex(&Sha256::digest(&buf));
    }
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

/// Whether two runs share a deck id (decks with the same id apart in library order): the
/// fingerprints stored per deck id cannot tell them apart, so such a library is synced in full.
pub(super) fn ids_repeat(runs: &[DeckRun<'_>]) -> bool {
    let mut seen = std::collections::HashSet::new();
    runs.iter().any(|r| !seen.insert(r.id))
}
