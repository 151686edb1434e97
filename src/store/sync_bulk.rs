//! A bulk merge without the review log's indexes. Keeping the unique uid index up to date
//! costs most of a large merge's insert (every answer lands on a random page of it), so a
//! large merge drops it with the log's other indexes, and builds them again by one sort each
//! before its transaction commits — or, inside a sync, leaves all three to the thread behind
//! it (`store/checkpoint.rs`). Meanwhile the uids the index would have refused are refused
//! here, from a set read by one scan of the log's uids before it is dropped: the log ends exactly
//! as `INSERT OR IGNORE` with the index would leave it (the first copy of a uid is kept), so
//! the index build cannot fail on a duplicate (if it did, its transaction would roll back).
//! While the index is owed after the commit, whatever adds or looks up a uid from elsewhere
//! builds it first (`Tx::need_uid_index`); the app's own answers get new uids. A tombstone
//! met meanwhile is recorded at once (so its uid is refused from then on) and its answer or
//! event deleted once the uid index is back: a delete by uid without the index reads the
//! whole log.

use super::replay::uid_parts;
use super::sync::ImportMemo;
use super::{Result, Tx};
use std::collections::HashSet;

/// The uids of the review log during a bulk merge, and the tombstones it owes.
#[derive(Debug, Default)]
pub struct BulkUids {
    /// Uids of examdeck's form in the log when the merge began, as numbers, sorted (16 bytes
    /// each instead of a 29-byte string in a hash set: the set of a 200,000-answer log is
    /// 3 MiB).
    local: Vec<u128>,
    /// Uids of that form this merge added.
    added: HashSet<u128, foldhash::fast::RandomState>,
    /// Every other uid in the log or added (imported history, other tools).
    other: HashSet<String, foldhash::fast::RandomState>,
    /// Tombstones met, in order: their answers and events are deleted at the end.
    tombstones: Vec<String>,
    /// Whether `review_item` was built again early, for the item events of the merge.
    item_index: bool,
}

/// A uid of examdeck's form as one number (the map is one-to-one on that form, see
/// [`uid_parts`], and keeps the uids' text order).
fn number(uid: &str) -> Option<u128> {
    uid_parts(uid).map(|(time, random)| (u128::from(time) << 64) | u128::from(random))
}

impl BulkUids {
    /// Whether `uid` is in the log (before or during the merge).
    pub(super) fn contains(&self, uid: &str) -> bool {
        match number(uid) {
            Some(n) => self.local.binary_search(&n).is_ok() || self.added.contains(&n),
            None => self.other.contains(uid),
        }
    }

    /// Records that the merge added `uid` to the log.
    pub(super) fn add(&mut self, uid: &str) {
        match number(uid) {
            Some(n) => {
                self.added.insert(n);
            }
            None => {
                self.other.insert(uid.to_string());
            }
        }
    }

    /// Whether deletions are owed (see [`BulkUids::owe_tombstone`]).
    pub(super) fn owes_tombstones(&self) -> bool {
        !self.tombstones.is_empty()
    }

    /// Owes the deletion of `uid`'s answer or event (see the module doc).
    pub(super) fn owe_tombstone(&mut self, uid: &str) {
        self.tombstones.push(uid.to_string());
    }
}

impl Tx<'_> {
    /// Builds the log's item index again before the end of a bulk merge, at its first item
    /// event: an event is placed after the item's latest answer (`sync_import_event.sql`),
    /// a lookup by item that would otherwise read the whole log, once per event. The
    /// answers inserted after it keep it up to date, as without a bulk merge.
    pub(super) fn review_bulk_item_index(&self, memo: &mut ImportMemo) -> Result<()> {
        if let Some(set) = memo.bulk.as_mut().filter(|s| !s.item_index) {
            self.conn
                .execute_batch(include_str!("sql/review_bulk_item.sql"))
                .map_err(|e| self.err(e))?;
            set.item_index = true;
        }
        Ok(())
    }

    /// Starts a bulk merge in this transaction: reads the log's uids into `memo` (one scan
    /// of the uid index), then drops the log's indexes. Every answer of this transaction
    /// must then go through [`Tx::sync_import_with`] with this `memo`, and
    /// [`Tx::review_bulk_end`] must run before the commit (an interruption before it rolls
    /// back to the indexes as they were).
    pub fn review_bulk_begin(&self, memo: &mut ImportMemo) -> Result<()> {
        let mut set = BulkUids::default();
        {
            let mut stmt = self.prepare(include_str!("sql/review_uids.sql"))?;
            let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.err(e))? {
                let uid = row.get_ref(0).and_then(|v| Ok(v.as_str()?));
                let uid = uid.map_err(|e| self.err(e))?;
                match number(uid) {
                    Some(n) => set.local.push(n),
                    None => {
                        set.other.insert(uid.to_string());
                    }
                }
            }
        }
        // In order when read through the index (sorting sorted numbers is one pass); not
        // while an earlier bulk merge of the sync still owes the index.
        set.local.sort_unstable();
        set.local.shrink_to_fit();
        self.review_indexes_drop()?;
        memo.bulk = Some(set);
        Ok(())
    }

    /// Ends the bulk merge [`Tx::review_bulk_begin`] started: builds the log's indexes again,
    /// or leaves them owed if `behind` (for [`super::Store::checkpoint_behind`]; the unique
    /// uid index is then built by whatever needs it first), then deletes the answers and
    /// events of the tombstones met (after building the uid index). Returns the items each
    /// deletion touched, once per deleted record (as [`Tx::sync_import`] reports a
    /// tombstone). Nothing to do if no bulk merge is open.
    pub fn review_bulk_end(&self, memo: &mut ImportMemo, behind: bool) -> Result<Vec<i64>> {
        let Some(set) = memo.bulk.take() else {
            return Ok(Vec::new());
        };
        if !behind {
            self.review_log_indexes_build()?;
        }
        let mut items = Vec::new();
        for uid in &set.tombstones {
            if let Some(item) = self.delete_uid(uid)? {
                items.push(item);
            }
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::sync::{Record, ReviewRecord};
    use super::*;

    fn answer(uid: &str) -> Record {
        Record::Review(ReviewRecord {
            uid: uid.into(),
            deck: "d".into(),
            card: "c".into(),
            ord: 0,
            at: 1_000,
            rating: 3,
            kind: 1,
            time_ms: 500,
            response: None,
        })
    }

    fn indexes(s: &Store) -> Vec<String> {
        let tx = s.read();
        let mut stmt = tx
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'review' ORDER BY name")
            .expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .expect("names")
    }

    #[test]
    fn known_uids_are_refused_without_the_index_and_a_failed_rebuild_rolls_back() {
        let mut s = Store::open_in_memory().expect("open");
        let odd = "imported-1";
        let canonical = "0199ad610240-5eef3d6a468e3dd4";
        s.write(|tx| {
            let mut memo = ImportMemo::default();
            tx.sync_import_with(&mut memo, "p", &answer(odd), 0)?;
            tx.sync_import_with(&mut memo, "p", &answer(canonical), 0)
        })
        .expect("seed");
        let schema = indexes(&s);
        s.write(|tx| {
            let mut memo = ImportMemo::default();
            tx.review_bulk_begin(&mut memo)?;
            let set = memo.bulk.as_ref().expect("open");
            assert!(set.contains(odd) && set.contains(canonical));
            assert!(!set.contains("0199ad610240-5eef3d6a468e3dd5"));
            for uid in [
                odd,
                canonical,
                "new-1",
                "new-1",
                "0199ad610240-0000000000000001",
            ] {
                tx.sync_import_with(&mut memo, "p", &answer(uid), 0)?;
            }
            let names = |tx: &Tx<'_>| -> Vec<String> {
                let mut stmt = tx
                    .conn
                    .prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'review'")
                    .expect("prepare");
                stmt.query_map([], |r| r.get(0))
                    .and_then(|rows| rows.collect())
                    .expect("names")
            };
            assert!(!names(tx).contains(&"review_item".to_string()));
            // An item event is placed after its item's latest answer: the item index is
            // built for it at once.
            let event = Record::Event(super::super::sync::EventRecord {
                uid: "e-1".into(),
                deck: "d".into(),
                card: "c".into(),
                ord: 0,
                at: 2_000,
                kind: 0,
                until: None,
            });
            tx.sync_import_with(&mut memo, "p", &event, 0)?;
            assert!(names(tx).contains(&"review_item".to_string()));
            assert_eq!(tx.review_bulk_end(&mut memo, false)?, Vec::<i64>::new());
            Ok(())
        })
        .expect("bulk");
        assert_eq!(s.read().review_totals().expect("totals").0, 4);
        assert_eq!(indexes(&s), schema, "indexes built again");
        // A duplicate the set did not see (written behind its back) fails the uid index's
        // build: the whole transaction rolls back, indexes included.
        let r = s.write(|tx| {
            let mut memo = ImportMemo::default();
            tx.review_bulk_begin(&mut memo)?;
            tx.sync_import_with(&mut memo, "p", &answer("new-2"), 0)?;
            tx.conn
                .execute_batch(
                    "INSERT INTO review (uid, item_id, at_ms, rating, kind, time_ms)
                     SELECT uid, item_id, at_ms, rating, kind, time_ms FROM review
                     WHERE uid = 'new-1'",
                )
                .map_err(|e| tx.err(e))?;
            tx.review_bulk_end(&mut memo, false).map(|_| ())
        });
        assert!(r.is_err());
        assert_eq!(s.read().review_totals().expect("totals").0, 4);
        assert_eq!(s.read().review_by_uid("new-2").expect("read"), None);
        assert_eq!(indexes(&s), schema);
        assert_eq!(s.integrity_check().expect("check"), Ok(()));
    }
}
