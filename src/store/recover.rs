//! Merging rows salvaged from a damaged database ([`super::salvage`]) into a good one (a copy
//! of the newest good backup, or a fresh database), for `examdeck recover`.
//!
//! - Items are matched by key (deck, card, ord); an item the backup lacks is added.
//! - Answers are matched by their unique id: one the backup has is kept once, a newer one is
//!   appended in log order. An answer whose item row was lost takes the backup's item with the
//!   same id (the backup is an earlier copy of the same database, and ids only grow).
//! - Item events are matched by (item, time, kind, until); a new one is replayed after the
//!   answer it followed. Their global id and origin (schema version 3) are carried over, as
//!   attempts' are: without them an event would be exported again under a new id.
//! - Mock-exam attempts are matched by (exam, start); a newer salvaged state replaces the
//!   backup's. Settings read from the damaged file win (they are newer).
//!
//! The caller rebuilds the item-state cache from the merged log afterwards.

use super::salvage::Salvage;
use super::{Result, Store, Tx};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MergeReport {
    /// Items added (the backup did not have them).
    pub items_added: u32,
    /// Answers read from the damaged database.
    pub reviews_salvaged: u32,
    /// Of those, answers the backup already had.
    pub reviews_known: u32,
    /// Answers added to the backup's log.
    pub reviews_added: u32,
    /// Answers dropped: their item is in neither the salvage nor the backup.
    pub reviews_orphaned: u32,
    /// Item events added.
    pub events_added: u32,
    /// Mock-exam attempts added or brought up to date.
    pub attempts_merged: u32,
    /// Settings rows taken from the damaged database.
    pub settings_restored: u32,
    /// Salvaged rows refused because a value was damaged (a check or type failed).
    pub rows_rejected: u32,
}

fn text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(t) => Some(t),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Integer(i) => Some(*i),
        _ => None,
    }
}

/// Ok(true) if inserted, Ok(false) if a constraint refused the damaged row.
fn tolerate(r: rusqlite::Result<usize>, tx: &Tx<'_>) -> Result<bool> {
    match r {
        Ok(_) => Ok(true),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Ok(false)
        }
        Err(e) => Err(tx.err(e)),
    }
}

impl Store {
    /// Merges `s` into this database in one transaction.
    pub fn merge_salvage(&mut self, s: &Salvage) -> Result<MergeReport> {
        self.write(|tx| {
            let mut report = MergeReport::default();
            let items = merge_items(tx, s, &mut report)?;
            let reviews = merge_reviews(tx, s, &items, &mut report)?;
            merge_events(tx, s, &items, &reviews, &mut report)?;
            merge_attempts(tx, s, &mut report)?;
            merge_meta(tx, s, &mut report)?;
            // The catalog now holds salvaged rows: the library fingerprints (of the backup's or
            // the salvaged catalog) no longer describe it, so the next sync reads every deck.
            tx.meta_delete(super::meta::LIBRARY)?;
            tx.meta_delete(super::meta::LIBRARY_DECKS)?;
            Ok(report)
        })
    }
}

/// Salvaged item id → item id here.
fn merge_items(tx: &Tx<'_>, s: &Salvage, report: &mut MergeReport) -> Result<HashMap<i64, i64>> {
    let mut map = HashMap::new();
    for (rowid, v) in &s.items.rows {
        if v.len() != 10 {
            report.rows_rejected += 1;
            continue;
        }
        let (Some(deck), Some(card), Some(ord)) = (text(&v[0]), text(&v[1]), int(&v[2])) else {
            report.rows_rejected += 1;
            continue;
        };
        let found: Option<i64> = tx
            .prepare(include_str!("sql/recover_item_id.sql"))?
            .query_row(params![deck, card, ord], |r| r.get(0))
            .optional()
            .map_err(|e| tx.err(e))?;
        if let Some(id) = found {
            map.insert(*rowid, id);
            continue;
        }
        let inserted = tx
            .prepare(include_str!("sql/recover_item_insert.sql"))?
            .execute(rusqlite::params_from_iter(v.iter()));
        if tolerate(inserted, tx)? {
            map.insert(*rowid, tx.conn.last_insert_rowid());
            report.items_added += 1;
        } else {
            report.rows_rejected += 1;
        }
    }
    Ok(map)
}

/// The item here for a salvaged item id (see the module doc).
fn item_here(tx: &Tx<'_>, items: &HashMap<i64, i64>, salvaged: i64) -> Result<Option<i64>> {
    if let Some(id) = items.get(&salvaged) {
        return Ok(Some(*id));
    }
    tx.prepare(include_str!("sql/recover_item_exists.sql"))?
        .query_row([salvaged], |r| r.get(0))
        .optional()
        .map_err(|e| tx.err(e))
}

/// Salvaged review id → review id here.
fn merge_reviews(
    tx: &Tx<'_>,
    s: &Salvage,
    items: &HashMap<i64, i64>,
    report: &mut MergeReport,
) -> Result<HashMap<i64, i64>> {
    // A salvaged answer is matched by uid, and a duplicate refused by the uid index.
    tx.need_uid_index()?;
    let mut map = HashMap::new();
    for (rowid, v) in &s.reviews.rows {
        report.reviews_salvaged += 1;
        if v.len() != 7 {
            report.rows_rejected += 1;
            continue;
        }
        let (Some(uid), Some(item)) = (text(&v[0]), int(&v[1])) else {
            report.rows_rejected += 1;
            continue;
        };
        let known: Option<i64> = tx
            .prepare(include_str!("sql/recover_review_id.sql"))?
            .query_row([uid], |r| r.get(0))
            .optional()
            .map_err(|e| tx.err(e))?;
        if let Some(id) = known {
            map.insert(*rowid, id);
            report.reviews_known += 1;
            continue;
        }
        let Some(item) = item_here(tx, items, item)? else {
            report.reviews_orphaned += 1;
            continue;
        };
        let inserted = tx
            .prepare(include_str!("sql/recover_review_insert.sql"))?
            .execute(params![uid, item, v[2], v[3], v[4], v[5], v[6]]);
        if tolerate(inserted, tx)? {
            map.insert(*rowid, tx.conn.last_insert_rowid());
            report.reviews_added += 1;
        } else {
            report.rows_rejected += 1;
        }
    }
    Ok(map)
}

fn merge_events(
    tx: &Tx<'_>,
    s: &Salvage,
    items: &HashMap<i64, i64>,
    reviews: &HashMap<i64, i64>,
    report: &mut MergeReport,
) -> Result<()> {
    for (_, v) in &s.events.rows {
        // 7 columns from a database of version 3 or later, 5 from an older one.
        if v.len() != 5 && v.len() != 7 {
            report.rows_rejected += 1;
            continue;
        }
        let (Some(item), Some(at), Some(kind), Some(after)) =
            (int(&v[0]), int(&v[1]), int(&v[2]), int(&v[4]))
        else {
            report.rows_rejected += 1;
            continue;
        };
        let Some(item) = item_here(tx, items, item)? else {
            report.rows_rejected += 1;
            continue;
        };
        let (uid, origin) = match v.get(5..7) {
            Some([uid, origin]) => (uid.clone(), origin.clone()),
            _ => (Value::Null, Value::Null),
        };
        let exists = tx
            .prepare(include_str!("sql/recover_event_exists.sql"))?
            .exists(params![item, at, kind, v[3]])
            .map_err(|e| tx.err(e))?;
        if exists {
            // The same event, perhaps from before it was exported: it keeps the global id it
            // got then, or it would be exported again under a new one.
            if uid != Value::Null {
                let updated = tx
                    .prepare(include_str!("sql/recover_event_ids.sql"))?
                    .execute(params![item, at, kind, v[3], uid, origin]);
                tolerate(updated, tx)?;
            }
            continue;
        }
        let after = match reviews.get(&after) {
            Some(id) => *id,
            None if after == 0 => 0,
            None => tx
                .prepare(include_str!("sql/recover_review_before.sql"))?
                .query_row([at], |r| r.get(0))
                .map_err(|e| tx.err(e))?,
        };
        let inserted = tx
            .prepare(include_str!("sql/recover_event_insert.sql"))?
            .execute(params![item, at, kind, v[3], after, uid, origin]);
        if tolerate(inserted, tx)? {
            report.events_added += 1;
        } else {
            report.rows_rejected += 1;
        }
    }
    Ok(())
}

/// Attempts are matched by (exam, start). The global id and origin an attempt got when it
/// was exported are carried over too: without them it would be exported again under a new
/// id, a duplicate on every other device.
fn merge_attempts(tx: &Tx<'_>, s: &Salvage, report: &mut MergeReport) -> Result<()> {
    for (_, v) in &s.attempts.rows {
        // 12 columns from a database of version 4 or later, 10 from an older one.
        if v.len() != 10 && v.len() != 12 {
            report.rows_rejected += 1;
            continue;
        }
        let (Some(exam), Some(started), Some(updated)) = (text(&v[0]), int(&v[1]), int(&v[2]))
        else {
            report.rows_rejected += 1;
            continue;
        };
        let (uid, origin) = match v.get(10..12) {
            Some([uid, origin]) => (uid.clone(), origin.clone()),
            _ => (Value::Null, Value::Null),
        };
        let here: Option<(i64, i64)> = tx
            .prepare(include_str!("sql/recover_attempt_find.sql"))?
            .query_row(params![exam, started], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(|e| tx.err(e))?;
        let done = match here {
            Some((id, here_updated)) => {
                let newer = here_updated < updated;
                let state = if newer {
                    tx.prepare(include_str!("sql/recover_attempt_update.sql"))?
                        .execute(params![id, v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]])
                } else {
                    Ok(0)
                };
                // Even when the backup's state is as new, it may predate the export.
                let ids = state.and_then(|_| {
                    tx.conn
                        .prepare_cached(include_str!("sql/recover_attempt_ids.sql"))?
                        .execute(params![id, uid, origin])
                });
                if !newer {
                    tolerate(ids, tx)?;
                    continue;
                }
                ids
            }
            None => tx
                .prepare(include_str!("sql/recover_attempt_insert.sql"))?
                .execute(rusqlite::params_from_iter(
                    v[..10].iter().chain([&uid, &origin]),
                )),
        };
        if tolerate(done, tx)? {
            report.attempts_merged += 1;
        } else {
            report.rows_rejected += 1;
        }
    }
    Ok(())
}

fn merge_meta(tx: &Tx<'_>, s: &Salvage, report: &mut MergeReport) -> Result<()> {
    for (_, v) in &s.meta.rows {
        if v.len() != 2 {
            report.rows_rejected += 1;
            continue;
        }
        let (Some(key), Some(value)) = (text(&v[0]), text(&v[1])) else {
            report.rows_rejected += 1;
            continue;
        };
        // Only values that still parse: a damaged setting must not replace a good one.
        if serde_json::from_str::<serde_json::Value>(value).is_err() {
            report.rows_rejected += 1;
            continue;
        }
        let set = tx
            .prepare(include_str!("sql/meta_set.sql"))?
            .execute(params![key, value]);
        if tolerate(set, tx)? {
            report.settings_restored += 1;
        } else {
            report.rows_rejected += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
