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
            for (pos, (key, deck, card)) in library.items().enumerate() {
                if pos > 0 && pos % REPORT_EVERY == 0 {
                    progress(step(pos));
                }
                let pos = pos as i64;
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

/// Items registered between two progress reports (a few tens of milliseconds).
const REPORT_EVERY: usize = 2048;

/// SHA-256 over every item's key, exam, domain and content hash in library order, and the
/// number of items.
fn library_fingerprint(library: &Library) -> (String, u32) {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
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
