//! The `item_event` table: suspend, unsuspend, bury and reset, each replayed after the review
//! that preceded it, so the log rebuilds them too.

use super::{Result, Tx};
use rusqlite::params;

/// What happened to an item outside an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Kept out of the queue.
    Suspend = 0,
    /// Back in the queue (a leech keeps its tag).
    Unsuspend = 1,
    /// Out of the queue until a moment.
    Bury = 2,
    /// Back to new (history kept).
    Reset = 3,
}

impl EventKind {
    pub(super) fn from_i64(v: i64) -> Option<EventKind> {
        match v {
            0 => Some(EventKind::Suspend),
            1 => Some(EventKind::Unsuspend),
            2 => Some(EventKind::Bury),
            3 => Some(EventKind::Reset),
            _ => None,
        }
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// Row id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// When, UTC ms.
    pub at_ms: i64,
    /// What.
    pub kind: EventKind,
    /// For a burial: until when.
    pub until_ms: Option<i64>,
    /// Row id of the last review before it (0: none).
    pub after_review: i64,
    /// Global id (None until exported by sync).
    pub uid: Option<String>,
}

impl Tx<'_> {
    /// Records an event; returns its row id.
    pub fn add_event(
        &self,
        item_id: i64,
        at_ms: i64,
        kind: EventKind,
        until_ms: Option<i64>,
    ) -> Result<i64> {
        self.prepare(include_str!("sql/event_add.sql"))?
            .execute(params![item_id, at_ms, kind as i64, until_ms])
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Removes an event (only to undo it; an exported one leaves a tombstone for sync).
    pub fn delete_event(&self, id: i64) -> Result<()> {
        self.tombstone_event(id)?;
        self.prepare(include_str!("sql/event_delete.sql"))?
            .execute([id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// All events in replay order.
    pub fn all_events(&self) -> Result<Vec<EventRow>> {
        self.events_where(include_str!("sql/event_all.sql"), None)
    }

    /// An item's events.
    pub fn events_of(&self, item_id: i64) -> Result<Vec<EventRow>> {
        self.events_where(include_str!("sql/event_for_item.sql"), Some(item_id))
    }

    fn events_where(&self, sql: &str, item: Option<i64>) -> Result<Vec<EventRow>> {
        let mut stmt = self.prepare(sql)?;
        let params: Vec<i64> = item.into_iter().collect();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get::<_, i64>(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(id, item_id, at_ms, kind, until_ms, after_review, uid)| {
                Ok(EventRow {
                    id,
                    item_id,
                    at_ms,
                    kind: EventKind::from_i64(kind).ok_or_else(|| {
                        self.bad(format!("item event {id} has unknown kind {kind}"))
                    })?,
                    until_ms,
                    after_review,
                    uid,
                })
            })
            .collect()
    }
}
