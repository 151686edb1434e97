//! The learner side of sync: this device's identity, exporting the records not yet
//! exported, and merging a peer's records (then replaying the cards whose history changed,
//! and applying settings that won by last-writer-wins). Files and folders are
//! [`crate::sync`]'s job; SQL is the store's.

use super::{Learner, Result, WorkProgress};
use crate::schedule::Settings;
use crate::store::sync::{ImportMemo, Imported, Record, SettingRecord};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

mod batch;
mod partial;

pub use batch::{BatchFile, BatchOutcome};

/// Meta key of this device's identity.
const DEVICE: &str = "sync_device";
/// Meta key of the sync folder chosen in Settings or by `examdeck sync --dir`.
const FOLDER: &str = "sync_folder";

/// Meta key of items whose replay a merge still owes (a crash between the merge and the
/// replay leaves it set; the next sync finishes it).
const PENDING: &str = "sync_replay_pending";

/// Items to replay after a merge; `all`: rebuild everything (settings changed).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Pending {
    all: bool,
    items: BTreeSet<i64>,
}

/// This data folder's identity in a sync folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Random id (32 hex digits), also the name of its folder.
    pub id: String,
    /// Name shown to the learner (default: the host name).
    pub name: String,
}

/// What merging one peer file changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MergeCounts {
    /// Records read.
    pub records: usize,
    /// New answers.
    pub reviews: usize,
    /// New item events.
    pub events: usize,
    /// Answers or events removed by a tombstone (undone on their device).
    pub undone: usize,
    /// Settings keys that won.
    pub settings: usize,
}

impl MergeCounts {
    /// Adds another file's counts.
    pub fn add(&mut self, o: &MergeCounts) {
        self.records += o.records;
        self.reviews += o.reviews;
        self.events += o.events;
        self.undone += o.undone;
        self.settings += o.settings;
    }
}

/// Settings as flat keys: top-level fields, and one key per entry of a map field
/// (`exam_dates/aws-scs-c03`), so that two devices changing different exam dates both win.
pub fn flatten_settings(s: &Settings) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(Value::Object(fields)) = serde_json::to_value(s) {
        for (k, v) in fields {
            match v {
                Value::Object(entries) => {
                    for (sk, sv) in entries {
                        out.insert(format!("{k}/{sk}"), sv.to_string());
                    }
                }
                other => {
                    out.insert(k, other.to_string());
                }
            }
        }
    }
    out
}

/// The settings given by stamped keys over the defaults (`null` removes a map entry).
pub fn unflatten_settings(rows: &[SettingRecord]) -> Option<Settings> {
    let mut obj = serde_json::to_value(Settings::default()).ok()?;
    let fields = obj.as_object_mut()?;
    for r in rows {
        let v: Value = serde_json::from_str(&r.value).ok()?;
        match r.key.split_once('/') {
            Some((k, sk)) => {
                let map = fields
                    .entry(k.to_string())
                    .or_insert_with(|| Value::Object(Default::default()));
                let map = map.as_object_mut()?;
                if v.is_null() {
                    map.remove(sk);
                } else {
                    map.insert(sk.to_string(), v);
                }
            }
            None => {
                fields.insert(r.key.clone(), v);
            }
        }
    }
    let s: Settings = serde_json::from_value(obj).ok()?;
    s.validate().is_ok().then_some(s)
}

/// The records in the order a merge inserts them: answers first, by uid (uids begin with
/// the time, so the log's indexes fill in order instead of at random pages), then the rest as
/// they came. Every record is idempotent and commutative, so the order changes no outcome.
fn bulk_order(records: &[Record]) -> Vec<&Record> {
    let mut out: Vec<&Record> = records.iter().collect();
    out.sort_by(|a, b| match (a, b) {
        (Record::Review(x), Record::Review(y)) => x.uid.cmp(&y.uid),
        (Record::Review(_), _) => std::cmp::Ordering::Less,
        (_, Record::Review(_)) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    });
    out
}

/// Imports one peer file's `records` (not its attempts) in the caller's transaction and
/// remembers the file as merged; adds to `counts` and to the `changed` items.
pub(super) fn import_file(
    tx: &Tx<'_>,
    memo: &mut ImportMemo,
    (peer, file, records): (&str, &str, &[Record]),
    now_ms: i64,
    counts: &mut MergeCounts,
    changed: &mut BTreeSet<i64>,
) -> Result<(), StoreError> {
    counts.records += records.len();
    for r in bulk_order(records) {
        match (tx.sync_import_with(memo, peer, r, now_ms)?, r) {
            (Imported::Item(id), Record::Review(_)) => {
                counts.reviews += 1;
                changed.insert(id);
            }
            (Imported::Item(id), Record::Event(_)) => {
                counts.events += 1;
                changed.insert(id);
            }
            (Imported::Item(id), _) => {
                counts.undone += 1;
                changed.insert(id);
            }
            (Imported::Setting, _) => counts.settings += 1,
            (Imported::Nothing, _) => {}
        }
    }
    tx.sync_file_add(peer, file, records.len())
}

/// Records durably, in the caller's transaction, the replay a merge owes: the `changed`
/// items, or everything if settings changed.
pub(super) fn owe_replay(
    tx: &Tx<'_>,
    changed: &BTreeSet<i64>,
    settings: bool,
) -> Result<(), StoreError> {
    if !changed.is_empty() || settings {
        let mut p: Pending = tx.meta_get(PENDING)?.unwrap_or_default();
        p.items.extend(changed.iter().copied());
        p.all |= settings;
        tx.meta_set(PENDING, &p)?;
    }
    Ok(())
}

impl Learner {
    /// This data folder's sync identity, created on first use (random id, host name).
    pub fn device(&mut self) -> Result<Device> {
        if let Some(d) = self.store.read().meta_get::<Device>(DEVICE)? {
            return Ok(d);
        }
        let id = format!("{:032x}", rand::random::<u128>());
        let name = gethostname::gethostname()
            .to_string_lossy()
            .chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect::<String>();
        let d = Device {
            id,
            name: if name.trim().is_empty() {
                "this computer".into()
            } else {
                name
            },
        };
        self.store.write(|tx| tx.meta_set(DEVICE, &d))?;
        Ok(d)
    }

    /// The sync folder remembered for this data folder, if any.
    pub fn sync_folder(&self) -> Result<Option<std::path::PathBuf>> {
        Ok(self.store.read().meta_get(FOLDER)?)
    }

    /// Remembers (or forgets, with None) the sync folder.
    pub fn set_sync_folder(&mut self, dir: Option<&std::path::Path>) -> Result<()> {
        self.store.write(|tx| tx.meta_set(FOLDER, &dir))?;
        Ok(())
    }

    /// Renames this device (shown on the other devices after the next sync).
    pub fn set_device_name(&mut self, name: &str) -> Result<Device> {
        let mut d = self.device()?;
        d.name = name
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect();
        self.store.write(|tx| tx.meta_set(DEVICE, &d))?;
        Ok(d)
    }

    /// Stamps settings changed since the last export (hybrid logical clock: never behind
    /// any stamp seen, so a device with a slow clock still wins when it writes later).
    /// Returns whether any key changed (states are then rebuilt: every device replays the
    /// log with the same settings).
    pub(super) fn stamp_settings(&mut self, device: &str, now_ms: i64) -> Result<bool> {
        let flat = flatten_settings(&self.settings);
        let defaults = flatten_settings(&Settings::default());
        let changed = self.store.write(|tx| {
            let mut changed = false;
            let rows: BTreeMap<String, SettingRecord> = tx
                .sync_settings()?
                .into_iter()
                .map(|(r, _)| (r.key.clone(), r))
                .collect();
            let mut hlc = rows
                .values()
                .map(|r| r.hlc + 1)
                .max()
                .unwrap_or(0)
                .max(now_ms);
            let removed = rows
                .keys()
                .filter(|k| k.contains('/') && !flat.contains_key(*k));
            let null = "null".to_string();
            let keys: BTreeSet<&String> = flat.keys().chain(removed).collect();
            for key in keys {
                let value = flat.get(key).unwrap_or(&null);
                let unchanged = match rows.get(key) {
                    Some(r) => &r.value == value,
                    // Never stamp an untouched default: a new device must not reset the
                    // learner's settings.
                    None => defaults.get(key).unwrap_or(&null) == value,
                };
                if !unchanged {
                    let rec = SettingRecord {
                        key: key.clone(),
                        value: value.clone(),
                        hlc,
                        device: device.to_string(),
                    };
                    tx.sync_setting_put(&rec, None)?;
                    hlc += 1;
                    changed = true;
                }
            }
            Ok(changed)
        })?;
        Ok(changed)
    }

    /// Exports up to `limit` records of each kind not yet exported: `write` stores them
    /// (a file written atomically); they are marked exported only if it succeeds. Returns the
    /// number of records written (0: nothing to export, `write` not called).
    pub fn export_pending(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
        write: impl FnOnce(&[Record]) -> std::io::Result<()>,
    ) -> Result<usize> {
        self.finish_replay()?;
        let device = self.device()?;
        // Settings are stamped when saved; a change not yet exported still rebuilds here.
        let unexported = self.settings_unexported()?;
        if self.stamp_settings(&device.id, now.timestamp_millis())? || unexported {
            self.rebuild_from_log()?;
        }
        let path = self.store.path().to_string();
        let n = self.store.write(|tx| {
            let records = tx.sync_pending(&device.id, limit)?;
            if records.is_empty() {
                return Ok(0);
            }
            write(&records).map_err(|error| StoreError::Io {
                path: path.clone(),
                error,
            })?;
            tx.sync_mark_exported(&device.id, &records)?;
            Ok(records.len())
        })?;
        Ok(n)
    }

    /// Names of a peer's files already merged.
    pub fn merged_files(&self, peer: &str) -> Result<std::collections::HashSet<String>> {
        Ok(self.store.read().sync_files_of(peer)?)
    }

    /// Whether files of `peer` were ever merged here.
    pub fn knows_device(&self, peer: &str) -> Result<bool> {
        Ok(self.store.read().sync_devices_seen()?.contains(peer))
    }

    /// Merges the records of one peer file in one transaction (remembering the file as
    /// merged), then replays the cards whose history changed and applies settings that won.
    pub fn merge_file(
        &mut self,
        peer: &str,
        file: &str,
        records: &[Record],
        now: DateTime<Utc>,
    ) -> Result<MergeCounts> {
        let counts = self.merge_records(peer, file, records, now)?;
        self.finish_replay()?;
        Ok(counts)
    }

    /// [`Learner::merge_file`] without the replay: the cards whose history changed are only
    /// recorded (durably, in the same transaction) for [`Learner::finish_replay`], so a sync
    /// of many files replays each card once, at the end.
    pub fn merge_records(
        &mut self,
        peer: &str,
        file: &str,
        records: &[Record],
        now: DateTime<Utc>,
    ) -> Result<MergeCounts> {
        let now_ms = now.timestamp_millis();
        let mut counts = MergeCounts::default();
        self.store.write(|tx| {
            tx.bulk_cache()?;
            let mut changed = BTreeSet::new();
            let mut memo = ImportMemo::default();
            import_file(
                tx,
                &mut memo,
                (peer, file, records),
                now_ms,
                &mut counts,
                &mut changed,
            )?;
            owe_replay(tx, &changed, counts.settings > 0)
        })?;
        self.after_merge(&counts)?;
        Ok(counts)
    }

    /// What follows a merge's commit: cached totals dropped, settings that won applied.
    pub(super) fn after_merge(&mut self, counts: &MergeCounts) -> Result<()> {
        self.forget_totals();
        if counts.settings > 0 {
            let rows: Vec<SettingRecord> = self
                .store
                .read()
                .sync_settings()?
                .into_iter()
                .map(|(r, _)| r)
                .collect();
            // Settings no longer valid after a merge (a peer from a newer examdeck) are kept
            // in the table but not applied.
            if let Some(s) = unflatten_settings(&rows).filter(|s| s != &self.settings) {
                self.set_settings(s)?;
            }
        }
        Ok(())
    }

    /// Replays what merges (or an answer stamped before a card's latest history) left to
    /// replay — all of it after an interrupted merge.
    pub fn finish_replay(&mut self) -> Result<()> {
        self.finish_replay_with(&mut |_| {})
    }

    /// [`Learner::finish_replay`], reporting progress.
    pub fn finish_replay_with(&mut self, progress: &mut dyn FnMut(WorkProgress)) -> Result<()> {
        self.finish_pending(false, progress)
    }

    /// Records, inside the caller's transaction, that `item`'s card must be replayed.
    pub(super) fn mark_replay(tx: &crate::store::Tx<'_>, item: i64) -> Result<(), StoreError> {
        let mut p: Pending = tx.meta_get(PENDING)?.unwrap_or_default();
        p.items.insert(item);
        tx.meta_set(PENDING, &p)
    }

    pub(super) fn finish_replay_inner(&mut self, keep_undo: bool) -> Result<()> {
        self.finish_pending(keep_undo, &mut |_| {})
    }

    fn finish_pending(
        &mut self,
        keep_undo: bool,
        progress: &mut dyn FnMut(WorkProgress),
    ) -> Result<()> {
        let Some(p) = self.store.read().meta_get::<Pending>(PENDING)? else {
            return Ok(());
        };
        if p.all {
            self.rebuild_from_log_with(progress)?;
        } else {
            let cards = self.cards_of(&p.items)?;
            self.replay_where(Some(&cards), progress)?;
            if !keep_undo {
                self.undo.clear();
            }
        }
        self.store.write(|tx| tx.meta_delete(PENDING))?;
        Ok(())
    }

    /// Replays the cards of these items only (however many: the replay streams card by
    /// card, and items whose history did not change keep their rows untouched).
    pub(super) fn replay_items(&mut self, items: &BTreeSet<i64>) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let cards = self.cards_of(items)?;
        self.replay_cards(&cards)
    }

    /// The cards `(deck, card)` of these items.
    pub(super) fn cards_of(&self, items: &BTreeSet<i64>) -> Result<BTreeSet<(String, String)>> {
        Ok(self.store.read().cards_of_items(items)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_flatten_round_trip_and_map_entries_are_keys() {
        let mut s = Settings {
            new_per_day: 7,
            ..Settings::default()
        };
        s.exam_dates.insert(
            "aws".into(),
            chrono::NaiveDate::from_ymd_opt(2027, 1, 2).expect("date"),
        );
        let flat = flatten_settings(&s);
        assert_eq!(flat.get("new_per_day").map(String::as_str), Some("7"));
        assert_eq!(
            flat.get("exam_dates/aws").map(String::as_str),
            Some("\"2027-01-02\"")
        );
        let rows: Vec<SettingRecord> = flat
            .iter()
            .map(|(k, v)| SettingRecord {
                key: k.clone(),
                value: v.clone(),
                hlc: 1,
                device: "a".into(),
            })
            .collect();
        assert_eq!(unflatten_settings(&rows), Some(s.clone()));
        let mut removed = rows.clone();
        removed.retain(|r| r.key != "exam_dates/aws");
        removed.push(SettingRecord {
            key: "exam_dates/aws".into(),
            value: "null".into(),
            hlc: 2,
            device: "a".into(),
        });
        let back = unflatten_settings(&removed).expect("valid");
        assert!(back.exam_dates.is_empty());
        let bad = vec![SettingRecord {
            key: "desired_retention".into(),
            value: "7.5".into(),
            hlc: 3,
            device: "a".into(),
        }];
        assert_eq!(
            unflatten_settings(&bad),
            None,
            "invalid settings are refused"
        );
    }
}
