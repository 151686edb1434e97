//! Peer files merged while some of their records were of types this examdeck does not read
//! (written by a newer one). They are remembered with the record-type version of the examdeck
//! that merged them; a later examdeck that reads more types forgets that they were merged, so
//! the next sync merges them again — harmless, as every record merges idempotently (answers,
//! events and attempts by global id, settings by their clocks).

use crate::learner::{Learner, Result};
use crate::store::{StoreError, Tx, meta};
use serde::{Deserialize, Serialize};

/// What `meta` holds under [`meta::SYNC_PARTIAL`].
#[derive(Debug, Default, Serialize, Deserialize)]
struct Partial {
    /// The record-type version of the examdeck that merged them.
    kinds: u32,
    /// (device, file name) of each.
    files: Vec<(String, String)>,
}

/// Remembers that `peer`'s file `name` was merged with records of unknown types skipped.
pub(super) fn remember(tx: &Tx<'_>, peer: &str, name: &str) -> Result<(), StoreError> {
    let mut p: Partial = tx.meta_get(meta::SYNC_PARTIAL)?.unwrap_or_default();
    let file = (peer.to_string(), name.to_string());
    if !p.files.contains(&file) {
        p.files.push(file);
    }
    tx.meta_set(meta::SYNC_PARTIAL, &p)
}

impl Learner {
    /// Before a sync's merges: if `kinds` (the record-type version of this examdeck,
    /// `sync::file::KINDS_VERSION`) is newer than the one that merged the files remembered as
    /// partly read, forgets that they were merged (the sync merges them again); then
    /// remembers `kinds`. Returns how many files are merged again. Writes nothing when
    /// nothing changed.
    pub fn forget_partial_merges(&mut self, kinds: u32) -> Result<usize> {
        let p: Partial = self
            .store
            .read()
            .meta_get(meta::SYNC_PARTIAL)?
            .unwrap_or_default();
        if p.kinds >= kinds {
            return Ok(0);
        }
        let n = p.files.len();
        self.store.write(|tx| {
            for (device, name) in &p.files {
                tx.sync_file_forget(device, name)?;
            }
            tx.meta_set(
                meta::SYNC_PARTIAL,
                &Partial {
                    kinds,
                    files: Vec::new(),
                },
            )
        })?;
        Ok(n)
    }
}
