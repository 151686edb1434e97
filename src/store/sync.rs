//! The store side of sync through a shared folder: which local records are not yet
//! exported, importing a peer's records (idempotent: by uid, tombstones win), the peer files
//! already merged, and settings with last-writer-wins stamps. The file format and the merge
//! orchestration live in [`crate::sync`]; this module only runs SQL.

use super::{Result, Tx};
use rusqlite::{OptionalExtension, named_params, params};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// One answer as exchanged between devices: keyed by deck/card/ordinal, never by a row id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRecord {
    /// Globally unique review id.
    pub uid: String,
    /// Deck id.
    pub deck: String,
    /// Card id.
    pub card: String,
    /// Ordinal (cloze deletion) of the card.
    pub ord: u16,
    /// When, UTC ms.
    pub at: i64,
    /// Rating 1–4.
    pub rating: u8,
    /// Review kind 0–4 (learn, review, relearn, cram, mock exam).
    pub kind: u8,
    /// Time taken, ms.
    pub time_ms: u32,
    /// The answer given to a question (JSON text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// One item event (suspend 0, unsuspend 1, bury 2, reset 3) as exchanged between devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Globally unique event id.
    pub uid: String,
    /// Deck id.
    pub deck: String,
    /// Card id.
    pub card: String,
    /// Ordinal.
    pub ord: u16,
    /// When, UTC ms.
    pub at: i64,
    /// Event kind 0–3.
    pub kind: u8,
    /// For a burial: until when, UTC ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
}

/// One setting key with its last-writer-wins stamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingRecord {
    /// Flattened settings key (`new_per_day`, `exam_dates/aws-scs-c03`, …).
    pub key: String,
    /// The value as JSON text (`null`: removed).
    pub value: String,
    /// Hybrid logical clock, ms.
    pub hlc: i64,
    /// The device that wrote it (ties of `hlc` go to the greater device id).
    pub device: String,
}

impl SettingRecord {
    /// Whether this stamp beats `other`'s (later clock, then greater device id).
    pub fn beats(&self, other: &SettingRecord) -> bool {
        (self.hlc, &self.device) > (other.hlc, &other.device)
    }
}

/// A record of a device's sync files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Record {
    /// An answer.
    Review(ReviewRecord),
    /// An item event.
    Event(EventRecord),
    /// An exported answer or event that was undone.
    Tomb {
        /// Its uid.
        uid: String,
    },
    /// A setting.
    Setting(SettingRecord),
    /// A finished mock-exam attempt (merged by [`super::sync_attempts`]).
    Attempt(super::sync_attempts::AttemptRecord),
}

/// The most attempts in one exported file (each may be tens of kilobytes; the rest go in
/// the next sync's file).
pub const ATTEMPTS_PER_FILE: usize = 200;

/// What importing one record changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// Nothing (already known, or tombstoned).
    Nothing,
    /// The history of this item changed.
    Item(i64),
    /// A setting changed.
    Setting,
}

/// What the import of many records in one transaction remembers between them: the item ids
/// already looked up (or created), and whether any uid is tombstoned at all (usually none:
/// then no record needs the lookup).
#[derive(Debug, Default)]
pub struct ImportMemo {
    items: HashMap<(String, String, u16), i64, foldhash::fast::RandomState>,
    tombstones: Option<bool>,
    /// The log's uids while a bulk merge has its indexes dropped ([`Tx::review_bulk_begin`]).
    pub(super) bulk: Option<super::sync_bulk::BulkUids>,
}

impl ImportMemo {
    /// Whether an open bulk merge met tombstones: their deletions wait for the uid index
    /// ([`Tx::review_bulk_end`]), so until then the log still holds what they delete.
    pub fn bulk_owes_tombstones(&self) -> bool {
        self.bulk.as_ref().is_some_and(|b| b.owes_tombstones())
    }
}

/// A borrowed lookup key for [`ImportMemo`]'s owned `(deck, card, ord)` keys (no allocation
/// per looked-up record).
trait MemoKey {
    fn key(&self) -> (&str, &str, u16);
}

impl MemoKey for (String, String, u16) {
    fn key(&self) -> (&str, &str, u16) {
        (&self.0, &self.1, self.2)
    }
}

impl MemoKey for (&str, &str, u16) {
    fn key(&self) -> (&str, &str, u16) {
        (self.0, self.1, self.2)
    }
}

impl<'a> std::borrow::Borrow<dyn MemoKey + 'a> for (String, String, u16) {
    fn borrow(&self) -> &(dyn MemoKey + 'a) {
        self
    }
}

impl PartialEq for dyn MemoKey + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for dyn MemoKey + '_ {}

impl std::hash::Hash for dyn MemoKey + '_ {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state)
    }
}

/// Page cache of a connection that merges or imports many answers, KiB: the review log's
/// indexes of a few hundred thousand answers fit, so bulk inserts rarely wait for a page.
const BULK_CACHE_KIB: i64 = 16 * 1024;

impl Tx<'_> {
    /// Widens this connection's page cache for a bulk insert (it stays so until closed).
    pub fn bulk_cache(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)
            .map_err(|e| self.err(e))
    }

    /// Local records not yet exported (at most `limit` of each kind), giving item events a
    /// global id first (`<device>-<random>`).
    pub fn sync_pending(&self, device: &str, limit: usize) -> Result<Vec<Record>> {
        self.prepare(include_str!("sql/sync_event_uids.sql"))?
            .execute([device])
            .map_err(|e| self.err(e))?;
        let limit = limit as i64;
        let mut out = Vec::new();
        let mut stmt = self.prepare(include_str!("sql/sync_pending_reviews.sql"))?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(Record::Review(ReviewRecord {
                    uid: r.get(0)?,
                    deck: r.get(1)?,
                    card: r.get(2)?,
                    ord: r.get(3)?,
                    at: r.get(4)?,
                    rating: r.get(5)?,
                    kind: r.get(6)?,
                    time_ms: r.get(7)?,
                    response: r.get(8)?,
                }))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        out.extend(rows);
        let mut stmt = self.prepare(include_str!("sql/sync_pending_events.sql"))?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(Record::Event(EventRecord {
                    uid: r.get(0)?,
                    deck: r.get(1)?,
                    card: r.get(2)?,
                    ord: r.get(3)?,
                    at: r.get(4)?,
                    kind: r.get(5)?,
                    until: r.get(6)?,
                }))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        out.extend(rows);
        let mut stmt = self.prepare(include_str!("sql/sync_pending_tombstones.sql"))?;
        let rows = stmt
            .query_map([limit], |r| Ok(Record::Tomb { uid: r.get(0)? }))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        out.extend(rows);
        for s in self.sync_settings()? {
            if s.1.is_none() {
                out.push(Record::Setting(s.0));
            }
        }
        out.extend(self.sync_pending_attempts(device, (limit as usize).min(ATTEMPTS_PER_FILE))?);
        Ok(out)
    }

    /// Marks records as exported by `device` (after their file was written).
    pub fn sync_mark_exported(&self, device: &str, records: &[Record]) -> Result<()> {
        let mut review = self.prepare(include_str!("sql/sync_mark_review.sql"))?;
        for r in records {
            let run = match r {
                Record::Review(r) => review.execute(params![device, r.uid]),
                Record::Event(e) => self
                    .prepare(include_str!("sql/sync_mark_event.sql"))?
                    .execute(params![device, e.uid]),
                Record::Tomb { uid } => self
                    .prepare(include_str!("sql/sync_mark_tombstone.sql"))?
                    .execute(params![device, uid]),
                Record::Setting(_) | Record::Attempt(_) => continue,
            };
            run.map_err(|e| self.err(e))?;
        }
        self.sync_mark_attempts(device, records)?;
        if records.iter().any(|r| matches!(r, Record::Setting(_))) {
            self.prepare(include_str!("sql/sync_setting_mark.sql"))?
                .execute([device])
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// The row id of an item, creating a removed placeholder for a card this device does not
    /// have yet (its reviews take effect when the deck arrives).
    fn item_or_placeholder(
        &self,
        memo: &mut ImportMemo,
        (deck, card, ord): (&str, &str, u16),
        now_ms: i64,
    ) -> Result<i64> {
        if let Some(id) = memo.items.get(&(deck, card, ord) as &dyn MemoKey) {
            return Ok(*id);
        }
        let found: Option<i64> = self
            .prepare(include_str!("sql/item_id_by_key.sql"))?
            .query_row(params![deck, card, ord], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        let id = match found {
            Some(id) => id,
            None => self
                .prepare(include_str!("sql/item_placeholder.sql"))?
                .query_row(params![deck, card, ord, now_ms], |r| r.get(0))
                .map_err(|e| self.err(e))?,
        };
        memo.items
            .insert((deck.to_string(), card.to_string(), ord), id);
        Ok(id)
    }

    fn tombstoned(&self, memo: &mut ImportMemo, uid: &str) -> Result<bool> {
        let any = match memo.tombstones {
            Some(any) => any,
            None => {
                let any = self
                    .prepare(include_str!("sql/sync_any_tombstone.sql"))?
                    .query_row([], |r| r.get(0))
                    .map_err(|e| self.err(e))?;
                memo.tombstones = Some(any);
                any
            }
        };
        if !any {
            return Ok(false);
        }
        self.prepare(include_str!("sql/sync_is_tombstoned.sql"))?
            .query_row([uid], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    /// Imports one record from `peer` (already validated by the caller). Idempotent and
    /// commutative: reviews and events by uid, a tombstone removes and forever excludes its
    /// uid, a setting is kept only if its stamp beats the local one.
    pub fn sync_import(&self, peer: &str, record: &Record, now_ms: i64) -> Result<Imported> {
        self.sync_import_with(&mut ImportMemo::default(), peer, record, now_ms)
    }

    /// [`Tx::sync_import`] for one of many records imported in this transaction: `memo`
    /// (fresh for each transaction) saves the lookups already made.
    pub fn sync_import_with(
        &self,
        memo: &mut ImportMemo,
        peer: &str,
        record: &Record,
        now_ms: i64,
    ) -> Result<Imported> {
        match record {
            Record::Review(r) => {
                if self.tombstoned(memo, &r.uid)? {
                    return Ok(Imported::Nothing);
                }
                // Without the uid index (a bulk merge), the uids it would refuse are refused here;
                // else the index refuses them, built first if an earlier bulk merge owes it.
                match &memo.bulk {
                    Some(b) if b.contains(&r.uid) => return Ok(Imported::Nothing),
                    Some(_) => {}
                    None => self.need_uid_index()?,
                }
                let item = self.item_or_placeholder(memo, (&r.deck, &r.card, r.ord), now_ms)?;
                let n = self
                    .prepare(include_str!("sql/sync_import_review.sql"))?
                    .execute(params![
                        r.uid, item, r.at, r.rating, r.kind, r.time_ms, r.response, peer
                    ])
                    .map_err(|e| self.err(e))?;
                if let Some(b) = memo.bulk.as_mut().filter(|_| n > 0) {
                    b.add(&r.uid);
                }
                Ok(if n > 0 {
                    Imported::Item(item)
                } else {
                    Imported::Nothing
                })
            }
            Record::Event(e) => {
                if self.tombstoned(memo, &e.uid)? {
                    return Ok(Imported::Nothing);
                }
                let item = self.item_or_placeholder(memo, (&e.deck, &e.card, e.ord), now_ms)?;
                self.review_bulk_item_index(memo)?;
                let n = self
                    .prepare(include_str!("sql/sync_import_event.sql"))?
                    .execute(named_params! {
                        ":item": item, ":at": e.at, ":kind": e.kind, ":until": e.until,
                        ":uid": e.uid, ":origin": peer,
                    })
                    .map_err(|e| self.err(e))?;
                Ok(if n > 0 {
                    Imported::Item(item)
                } else {
                    Imported::Nothing
                })
            }
            Record::Tomb { uid } => {
                memo.tombstones = Some(true);
                self.prepare(include_str!("sql/sync_tombstone_add.sql"))?
                    .execute(params![uid, peer])
                    .map_err(|e| self.err(e))?;
                if let Some(b) = memo.bulk.as_mut() {
                    // Deleted when the uid index is back ([`Tx::review_bulk_end`]).
                    b.owe_tombstone(uid);
                    return Ok(Imported::Nothing);
                }
                Ok(self
                    .delete_uid(uid)?
                    .map_or(Imported::Nothing, Imported::Item))
            }
            Record::Setting(s) => {
                let current = self.sync_settings()?.into_iter().find(|c| c.0.key == s.key);
                if current.is_some_and(|c| !s.beats(&c.0)) {
                    return Ok(Imported::Nothing);
                }
                self.sync_setting_put(s, Some(peer))?;
                Ok(Imported::Setting)
            }
            // Checked and merged by the learner (`merge_attempts`), before this file.
            Record::Attempt(_) => Ok(Imported::Nothing),
        }
    }

    /// Deletes the answer, else the event, with this uid (a tombstone's work); its item.
    pub(super) fn delete_uid(&self, uid: &str) -> Result<Option<i64>> {
        self.need_uid_index()?;
        for sql in [
            include_str!("sql/sync_delete_review_uid.sql"),
            include_str!("sql/sync_delete_event_uid.sql"),
        ] {
            let item: Option<i64> = self
                .prepare(sql)?
                .query_row([uid], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))?;
            if item.is_some() {
                return Ok(item);
            }
        }
        Ok(None)
    }

    /// Records a local undo of an exported answer as a tombstone (call before deleting it).
    pub fn tombstone_review(&self, review_id: i64) -> Result<()> {
        self.prepare(include_str!("sql/sync_tombstone_review.sql"))?
            .execute([review_id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Records a local undo of an exported event as a tombstone (call before deleting it).
    pub fn tombstone_event(&self, event_id: i64) -> Result<()> {
        self.prepare(include_str!("sql/sync_tombstone_event.sql"))?
            .execute([event_id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Names of a peer's files already merged.
    pub fn sync_files_of(&self, device: &str) -> Result<HashSet<String>> {
        let mut stmt = self.prepare(include_str!("sql/sync_files_of.sql"))?;
        let rows = stmt
            .query_map([device], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<HashSet<String>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Forgets that a peer's file was merged (it is merged again at the next sync).
    pub fn sync_file_forget(&self, device: &str, name: &str) -> Result<()> {
        self.prepare(include_str!("sql/sync_file_forget.sql"))?
            .execute([device, name])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Remembers a peer file as merged, with its number of records.
    pub fn sync_file_add(&self, device: &str, name: &str, records: usize) -> Result<()> {
        self.prepare(include_str!("sql/sync_file_add.sql"))?
            .execute(params![device, name, records as i64])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Devices whose files were ever merged.
    pub fn sync_devices_seen(&self) -> Result<HashSet<String>> {
        let mut stmt = self.prepare(include_str!("sql/sync_devices_seen.sql"))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<HashSet<String>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Every stamped setting, with its origin (None: changed here, not yet exported).
    pub fn sync_settings(&self) -> Result<Vec<(SettingRecord, Option<String>)>> {
        let mut stmt = self.prepare(include_str!("sql/sync_settings_all.sql"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    SettingRecord {
                        key: r.get(0)?,
                        value: r.get(1)?,
                        hlc: r.get(2)?,
                        device: r.get(3)?,
                    },
                    r.get(4)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Writes a stamped setting (`origin` None: a local change still to export).
    pub fn sync_setting_put(&self, s: &SettingRecord, origin: Option<&str>) -> Result<()> {
        self.prepare(include_str!("sql/sync_setting_put.sql"))?
            .execute(params![s.key, s.value, s.hlc, s.device, origin])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The latest answer or event time of any ordinal of a card, UTC ms.
    pub fn card_latest_at(&self, deck: &str, card: &str) -> Result<Option<i64>> {
        self.prepare(include_str!("sql/card_latest_at.sql"))?
            .query_row([deck, card], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Row ids of every ordinal of a card (a card's items are replayed together: answering
    /// one buries its siblings).
    pub fn items_of_card(&self, deck: &str, card: &str) -> Result<Vec<i64>> {
        let mut stmt = self.prepare(include_str!("sql/item_card_group.sql"))?;
        let rows = stmt
            .query_map([deck, card], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>());
        rows.map_err(|e| self.err(e))
    }
}
