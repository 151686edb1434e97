//! The `item` table: one row per reviewable item (deck + card + cloze number), holding its
//! content hash, catalogue flags (edited, removed) and the cached scheduling state.

use super::{Result, Tx};
use crate::deck::ItemKey;
use crate::schedule::{ItemSched, Phase};
use rusqlite::{OptionalExtension, Row, named_params, params};

pub use super::queue::ScopeFilter;

/// An item row.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    /// Row id.
    pub id: i64,
    /// Its key.
    pub key: ItemKey,
    /// Exam its deck serves.
    pub exam: Option<String>,
    /// Blueprint domain.
    pub domain: Option<String>,
    /// Content hash at the last sync.
    pub content_hash: String,
    /// Library order (new items are introduced in this order).
    pub position: i64,
    /// Content changed since the learner last answered it.
    pub edited: bool,
    /// No longer in any loaded deck (history kept).
    pub removed: bool,
    /// Scheduling state (cache).
    pub sched: ItemSched,
    /// Buried (out of the queue) until this moment, UTC ms.
    pub buried_until_ms: Option<i64>,
    /// When it was first answered (introduced), UTC ms.
    pub introduced_ms: Option<i64>,
}

/// What to register for one library item.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEntry {
    /// Key.
    pub key: ItemKey,
    /// Exam of its deck.
    pub exam: Option<String>,
    /// Domain of its card.
    pub domain: Option<String>,
    /// Content hash.
    pub content_hash: String,
}

/// The catalogue part of an item row (what a library sync compares).
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogRow {
    /// Row id.
    pub id: i64,
    /// Key, exam, domain and content hash.
    pub entry: CatalogEntry,
    /// Library order.
    pub position: i64,
    /// Flagged edited.
    pub edited: bool,
    /// Flagged removed.
    pub removed: bool,
}

fn catalog_row(r: &Row<'_>) -> rusqlite::Result<CatalogRow> {
    Ok(CatalogRow {
        id: r.get(0)?,
        entry: CatalogEntry {
            key: key_of(r)?,
            exam: r.get(4)?,
            domain: r.get(5)?,
            content_hash: r.get(6)?,
        },
        position: r.get(7)?,
        edited: r.get(8)?,
        removed: r.get(9)?,
    })
}

fn key_of(r: &Row<'_>) -> rusqlite::Result<ItemKey> {
    let ord: i64 = r.get(3)?;
    Ok(ItemKey {
        deck: r.get(1)?,
        card: r.get(2)?,
        ord: u16::try_from(ord).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(3, ord))?,
    })
}

pub(super) fn map_row(r: &Row<'_>) -> rusqlite::Result<ItemRow> {
    Ok(ItemRow {
        id: r.get(0)?,
        key: key_of(r)?,
        exam: r.get(4)?,
        domain: r.get(5)?,
        content_hash: r.get(6)?,
        position: r.get(7)?,
        edited: r.get(8)?,
        removed: r.get(9)?,
        sched: ItemSched {
            phase: r.get(10)?,
            step: r.get(11)?,
            due_ms: r.get(12)?,
            last_review_ms: r.get(13)?,
            stability: r.get::<_, Option<f64>>(14)?.map(|v| v as f32),
            difficulty: r.get::<_, Option<f64>>(15)?.map(|v| v as f32),
            interval_days: r.get(16)?,
            reps: r.get(17)?,
            lapses: r.get(18)?,
            leech: r.get(19)?,
            suspended: r.get(20)?,
        },
        buried_until_ms: r.get(21)?,
        introduced_ms: r.get(22)?,
    })
}

impl Tx<'_> {
    /// The item with this key.
    pub fn item_by_key(&self, key: &ItemKey) -> Result<Option<ItemRow>> {
        self.prepare(include_str!("sql/item_by_key.sql"))?
            .query_row(params![key.deck, key.card, key.ord], map_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The item with this id.
    pub fn item_by_id(&self, id: i64) -> Result<Option<ItemRow>> {
        self.prepare(include_str!("sql/item_by_id.sql"))?
            .query_row([id], map_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every item, by id.
    pub fn all_items(&self) -> Result<Vec<ItemRow>> {
        let mut stmt = self.prepare(include_str!("sql/item_all.sql"))?;
        let rows = stmt
            .query_map([], map_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// The catalogue of every item (for a library sync).
    pub fn catalog(&self) -> Result<Vec<CatalogRow>> {
        let mut stmt = self.prepare(include_str!("sql/item_catalog.sql"))?;
        let rows = stmt
            .query_map([], catalog_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// The catalogue of one deck's items, appended to `out` (a sync of the decks that
    /// changed).
    pub fn catalog_of_deck(&self, deck: &str, out: &mut Vec<CatalogRow>) -> Result<()> {
        let mut stmt = self.prepare(include_str!("sql/item_catalog_deck.sql"))?;
        let rows = stmt
            .query_map([deck], catalog_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        out.extend(rows.map_err(|e| self.err(e))?);
        Ok(())
    }

    /// Registers a new item; returns its id.
    pub fn insert_item(&self, e: &CatalogEntry, position: i64, now_ms: i64) -> Result<i64> {
        self.prepare(include_str!("sql/item_insert.sql"))?
            .execute(named_params! {
                ":deck": e.key.deck, ":card": e.key.card, ":ord": e.key.ord, ":exam": e.exam,
                ":domain": e.domain, ":hash": e.content_hash, ":position": position, ":now": now_ms,
            })
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Updates an item's catalogue data at a sync (and clears `removed`).
    pub fn update_catalog(
        &self,
        id: i64,
        e: &CatalogEntry,
        position: i64,
        edited: bool,
    ) -> Result<()> {
        self.prepare(include_str!("sql/item_sync_update.sql"))?
            .execute(named_params! {
                ":id": id, ":exam": e.exam, ":domain": e.domain, ":hash": e.content_hash,
                ":position": position, ":edited": edited,
            })
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Flags an item as no longer in the library.
    pub fn mark_removed(&self, id: i64) -> Result<()> {
        self.prepare(include_str!("sql/item_mark_removed.sql"))?
            .execute([id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Writes an item's cached state.
    pub fn set_item_state(
        &self,
        id: i64,
        s: &ItemSched,
        buried_until_ms: Option<i64>,
        introduced_ms: Option<i64>,
        edited: bool,
    ) -> Result<()> {
        self.prepare(include_str!("sql/item_set_state.sql"))?
            .execute(named_params! {
                ":id": id, ":phase": s.phase, ":step": s.step, ":due": s.due_ms,
                ":last": s.last_review_ms, ":stability": s.stability.map(f64::from),
                ":difficulty": s.difficulty.map(f64::from), ":interval": s.interval_days,
                ":reps": s.reps, ":lapses": s.lapses, ":leech": s.leech,
                ":suspended": s.suspended, ":buried": buried_until_ms,
                ":introduced": introduced_ms, ":edited": edited,
            })
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Writes the state an answer left on `before`'s item. The burial stays as it was; only
    /// the columns that may have changed are set (each set column rewrites every index on
    /// it, even to the same value): suspension only when it changed, the introduction only
    /// when this answer introduced the item.
    pub fn set_answered_state(
        &self,
        before: &ItemRow,
        s: &ItemSched,
        introduced_ms: Option<i64>,
        edited: bool,
    ) -> Result<()> {
        if s.suspended != before.sched.suspended {
            return self.set_item_state(
                before.id,
                s,
                before.buried_until_ms,
                introduced_ms,
                edited,
            );
        }
        self.prepare(include_str!("sql/item_set_answered.sql"))?
            .execute(named_params! {
                ":id": before.id, ":phase": s.phase, ":step": s.step, ":due": s.due_ms,
                ":last": s.last_review_ms, ":stability": s.stability.map(f64::from),
                ":difficulty": s.difficulty.map(f64::from), ":interval": s.interval_days,
                ":reps": s.reps, ":lapses": s.lapses, ":leech": s.leech, ":edited": edited,
            })
            .map_err(|e| self.err(e))?;
        if introduced_ms != before.introduced_ms {
            self.prepare(include_str!("sql/item_set_introduced.sql"))?
                .execute(named_params! {":id": before.id, ":introduced": introduced_ms})
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Other cloze deletions of the same card that are new or in review (whole rows: the
    /// learner's queue counts the ones an answer buries).
    pub fn siblings(&self, key: &ItemKey) -> Result<Vec<ItemRow>> {
        let mut stmt = self.prepare(include_str!("sql/item_siblings.sql"))?;
        let rows = stmt
            .query_map(params![key.deck, key.card, key.ord], map_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Sets an item's burial.
    pub fn set_buried(&self, id: i64, until_ms: Option<i64>) -> Result<()> {
        self.prepare(include_str!("sql/item_set_buried.sql"))?
            .execute(params![id, until_ms])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Per deck: new items not buried (before daily limits).
    pub fn count_new(&self, now_ms: i64) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.prepare(include_str!("sql/counts_new.sql"))?;
        let rows = stmt
            .query_map(named_params! {":now": now_ms}, |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Per deck: (reviews due by `now_ms`, (re)learning items due by `learn_until_ms`).
    pub fn count_due(&self, now_ms: i64, learn_until_ms: i64) -> Result<Vec<(String, u32, u32)>> {
        let mut stmt = self.prepare(include_str!("sql/counts_due.sql"))?;
        let rows = stmt
            .query_map(
                named_params! {":now": now_ms, ":learn_until": learn_until_ms.max(now_ms)},
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Per deck: items whose predicted recall is still ≥ 0.9 at `now_ms`.
    pub fn count_mastered(&self, now_ms: i64) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.prepare(include_str!("sql/counts_mastered.sql"))?;
        let rows = stmt
            .query_map(named_params! {":now": now_ms}, |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Per deck: (items, suspended items), removed items excluded.
    pub fn count_totals(&self) -> Result<Vec<(String, u32, u32)>> {
        let mut stmt = self.prepare(include_str!("sql/counts_totals.sql"))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// One deck's (items, suspended items), removed items excluded.
    pub fn count_totals_of(&self, deck: &str) -> Result<(u32, u32)> {
        self.prepare(include_str!("sql/counts_totals_deck.sql"))?
            .query_row([deck], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))
    }

    /// Exam top-ups per deck.
    pub fn count_top_ups(
        &self,
        exam: &str,
        now_ms: i64,
        exam_start_ms: i64,
        final_start_ms: i64,
        factor: f64,
    ) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.prepare(include_str!("sql/count_top_up.sql"))?;
        let rows = stmt
            .query_map(
                named_params! {
                    ":now": now_ms, ":top_exam": exam, ":exam_start": exam_start_ms,
                    ":final_start": final_start_ms, ":factor": factor,
                },
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// New items introduced since `since_ms`, per deck.
    pub fn introduced_since(&self, since_ms: i64) -> Result<Vec<(String, u32)>> {
        self.pairs(include_str!("sql/tally_new.sql"), since_ms)
    }

    /// Reviews (kind review) done since `since_ms`, per deck.
    pub fn reviewed_since(&self, since_ms: i64) -> Result<Vec<(String, u32)>> {
        self.pairs(include_str!("sql/tally_reviews.sql"), since_ms)
    }

    fn pairs(&self, sql: &str, since_ms: i64) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.prepare(sql)?;
        let rows = stmt
            .query_map([since_ms], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Counts by (deck, phase, suspended).
    pub fn phase_counts(&self) -> Result<Vec<(String, Phase, bool, u32)>> {
        let mut stmt = self.prepare(include_str!("sql/stats_phases.sql"))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Due moments of studied items due before `until_ms`.
    pub fn due_before(&self, until_ms: i64) -> Result<Vec<i64>> {
        let mut stmt = self.prepare(include_str!("sql/stats_forecast.sql"))?;
        let rows = stmt
            .query_map([until_ms], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::*;

    fn entry(card: &str, ord: u16) -> CatalogEntry {
        CatalogEntry {
            key: ItemKey {
                deck: "d".into(),
                card: card.into(),
                ord,
            },
            exam: Some("x".into()),
            domain: None,
            content_hash: "h".into(),
        }
    }

    #[test]
    fn insert_read_update() {
        let mut s = Store::open_in_memory().expect("open");
        let id = s
            .write(|tx| tx.insert_item(&entry("a", 0), 0, 5))
            .expect("insert");
        let row = s
            .read()
            .item_by_key(&entry("a", 0).key)
            .expect("read")
            .expect("row");
        assert_eq!(
            (row.id, row.sched.phase, row.edited),
            (id, Phase::New, false)
        );
        let sched = ItemSched {
            phase: Phase::Review,
            stability: Some(3.3),
            difficulty: Some(5.5),
            due_ms: Some(10),
            ..ItemSched::default()
        };
        s.write(|tx| tx.set_item_state(id, &sched, Some(7), Some(8), true))
            .expect("update");
        let row = s.read().item_by_id(id).expect("read").expect("row");
        assert_eq!(row.sched, sched, "f32 survives the REAL column exactly");
        assert_eq!(
            (row.buried_until_ms, row.introduced_ms, row.edited),
            (Some(7), Some(8), true)
        );
    }

    /// Every column of an item row, as stored.
    fn stored(s: &Store, id: i64) -> Vec<rusqlite::types::Value> {
        s.conn
            .query_row("SELECT * FROM item WHERE id = ?1", [id], |r| {
                (0..r.as_ref().column_count()).map(|i| r.get(i)).collect()
            })
            .expect("row")
    }

    #[test]
    fn an_answered_state_is_stored_as_the_full_write_stores_it() {
        let before_sched = ItemSched {
            phase: Phase::Review,
            stability: Some(2.0),
            difficulty: Some(4.0),
            due_ms: Some(5),
            last_review_ms: Some(1),
            reps: 1,
            ..ItemSched::default()
        };
        let after_sched = ItemSched {
            stability: Some(9.5),
            due_ms: Some(900),
            last_review_ms: Some(100),
            reps: 2,
            leech: true,
            ..before_sched.clone()
        };
        // (state after, introduced after): the same introduction and suspension (the
        // narrow write), a first answer (introduction set), a leech suspended (full write).
        let cases = [
            (after_sched.clone(), Some(50)),
            (after_sched.clone(), Some(100)),
            (
                ItemSched {
                    suspended: true,
                    ..after_sched.clone()
                },
                Some(50),
            ),
        ];
        for (after, introduced) in cases {
            let mut narrow = Store::open_in_memory().expect("open");
            let mut full = Store::open_in_memory().expect("open");
            let mut rows = Vec::new();
            for s in [&mut narrow, &mut full] {
                let id = s
                    .write(|tx| {
                        let id = tx.insert_item(&entry("a", 0), 0, 5)?;
                        tx.set_item_state(id, &before_sched, Some(70), Some(50), true)?;
                        Ok(id)
                    })
                    .expect("insert");
                rows.push(s.read().item_by_id(id).expect("read").expect("row"));
            }
            let before = &rows[0];
            narrow
                .write(|tx| tx.set_answered_state(before, &after, introduced, false))
                .expect("narrow");
            full.write(|tx| tx.set_item_state(before.id, &after, Some(70), introduced, false))
                .expect("full");
            assert_eq!(
                stored(&narrow, before.id),
                stored(&full, before.id),
                "{after:?} {introduced:?}"
            );
            let row = narrow
                .read()
                .item_by_id(before.id)
                .expect("read")
                .expect("row");
            assert_eq!((row.sched, row.introduced_ms), (after, introduced));
        }
    }

    #[test]
    fn scope_matches_sub_decks_only() {
        let mut s = Store::open_in_memory().expect("open");
        s.write(|tx| {
            for (i, deck) in ["a", "a/b", "ab"].iter().enumerate() {
                let mut e = entry("c", 0);
                e.key.deck = (*deck).into();
                tx.insert_item(&e, i as i64, 0)?;
            }
            Ok(())
        })
        .expect("insert");
        let scope = ScopeFilter {
            deck: Some("a".into()),
            ..ScopeFilter::default()
        };
        let got = s.read().new_items(&scope, 0, 10).expect("query");
        let decks: Vec<&str> = got.iter().map(|c| c.deck.as_str()).collect();
        assert_eq!(decks, vec!["a", "a/b"]);
    }
}
