//! Reading the log for a replay, one card at a time: items streamed in card order (so a
//! rebuild never holds the whole review log in memory), the items of one card, and an item's
//! answers without their responses.

use super::events::{EventKind, EventRow};
use super::items::{ItemRow, map_row as item_row};
use super::reviews::{ReviewRow, map_row as review_row};
use super::{Result, Tx};
use crate::schedule::ItemSched;
use crate::schedule::{Rating, ReviewKind};
use rusqlite::{Row, named_params};
use std::collections::{BTreeSet, HashMap};

/// Up to this many items, [`Tx::cards_of_items`] looks each up; more are found by one scan.
const LOOKUPS_UP_TO: usize = 2_000;

/// Most answers one scan of [`Tx::for_each_card_log`] holds (48 bytes each, 24 MiB): a
/// larger log is read in several scans, each over a range of cards.
const ANSWERS_PER_PASS: u64 = 1 << 19;

/// An answer as a replay scan holds it: no time taken, no response, and its uid as two
/// numbers when it has the form examdeck writes (`<12 hex>-<16 hex>`, see
/// [`super::reviews::new_uid`]), which give it back exactly; any other uid is read again
/// when needed.
#[derive(Debug, Clone, Copy)]
struct Slim {
    card: u32,
    rating: Rating,
    kind: ReviewKind,
    uid: Option<(u64, u64)>,
    id: i64,
    item_id: i64,
    at_ms: i64,
}

/// Each byte's value as a lowercase hex digit; 16 for every other byte.
const HEX_VALUE: [u8; 256] = {
    let mut t = [16u8; 256];
    let mut c = 0;
    while c < 10 {
        t[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        t[b'a' as usize + c] = 10 + c as u8;
        c += 1;
    }
    t
};

/// The two numbers of a uid of the form `<12 lowercase hex>-<16 lowercase hex>` (one pass
/// over the bytes, a table lookup per digit: a merge and a replay parse every uid of the
/// log, over a million for a large merge).
pub(super) fn uid_parts(uid: &str) -> Option<(u64, u64)> {
    uid_parts_of(uid.as_bytes())
}

/// [`uid_parts`] of the uid's bytes (a scan reads them without checking UTF-8: a valid
/// uid is ASCII).
pub(super) fn uid_parts_of(b: &[u8]) -> Option<(u64, u64)> {
    if b.len() != 29 || b[12] != b'-' {
        return None;
    }
    // Every digit's value is ORed into `bad`: 16 (not a digit) sets its fifth bit.
    let hex = |digits: &[u8], bad: &mut u8| {
        digits.iter().fold(0u64, |n, &c| {
            let d = HEX_VALUE[usize::from(c)];
            *bad |= d;
            (n << 4) | u64::from(d & 15)
        })
    };
    let mut bad = 0u8;
    let parts = (hex(&b[..12], &mut bad), hex(&b[13..], &mut bad));
    (bad & 16 == 0).then_some(parts)
}

/// The uid given by [`uid_parts`] (written by hand: `format!` showed in profiles of a
/// replay where every answer ties).
fn uid_text((time, random): (u64, u64)) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(29);
    for shift in (0..12).rev() {
        out.push(char::from(HEX[((time >> (shift * 4)) & 15) as usize]));
    }
    out.push('-');
    for shift in (0..16).rev() {
        out.push(char::from(HEX[((random >> (shift * 4)) & 15) as usize]));
    }
    out
}

/// The card number of each wanted item: a table by item id where the ids are dense (they
/// are the item table's row ids: a lookup per answer of the log, which a hash map made a
/// tenth of a large merge's replay scan), else a map.
enum CardOf {
    Dense(Vec<u32>),
    Sparse(HashMap<i64, u32>),
}

impl CardOf {
    /// Marks an id without a wanted card in the table.
    const NONE: u32 = u32::MAX;

    fn of(map: HashMap<i64, u32>) -> CardOf {
        let max = map.keys().copied().max().unwrap_or(0);
        // Dense when no id is negative and the table is at most a few times the map's size.
        let len = usize::try_from(max)
            .ok()
            .filter(|&m| m <= map.len().saturating_mul(4) + 4096);
        let Some(len) = len.filter(|_| map.keys().all(|&id| id >= 0)) else {
            return CardOf::Sparse(map);
        };
        let mut table = vec![CardOf::NONE; len + 1];
        for (id, card) in map {
            if let Some(slot) = usize::try_from(id).ok().and_then(|i| table.get_mut(i)) {
                *slot = card;
            }
        }
        CardOf::Dense(table)
    }

    fn get(&self, item_id: i64) -> Option<u32> {
        match self {
            CardOf::Dense(t) => usize::try_from(item_id)
                .ok()
                .and_then(|i| t.get(i))
                .copied()
                .filter(|&c| c != CardOf::NONE),
            CardOf::Sparse(m) => m.get(&item_id).copied(),
        }
    }
}

/// One card's whole history, as [`Tx::for_each_card_log`] passes it.
pub struct CardLog<'a> {
    /// The card's items, by ordinal.
    pub items: &'a [ItemRow],
    /// Their answers in no particular order, with what a replay reads only: no response,
    /// time taken 0, and the uid only where it orders two answers of the same millisecond.
    pub reviews: Vec<ReviewRow>,
    /// Their events, in no particular order.
    pub events: Vec<EventRow>,
}

/// A row of a by-card stream: its (deck, card) and the value.
type Keyed<T> = (String, String, T);

/// Takes from `rows` (sorted by deck, card) every row of `(deck, card)` into `out`, keeping
/// the first row of a later card in `next`.
fn take_card<T>(
    rows: &mut rusqlite::Rows<'_>,
    next: &mut Option<Keyed<T>>,
    map: &dyn Fn(&Row<'_>) -> rusqlite::Result<Option<Keyed<T>>>,
    deck: &str,
    card: &str,
    out: &mut Vec<T>,
) -> rusqlite::Result<()> {
    loop {
        if next.is_none() {
            match rows.next()? {
                Some(row) => *next = map(row)?,
                None => return Ok(()),
            }
            if next.is_none() {
                continue;
            }
        }
        let Some((d, c, _)) = next.as_ref() else {
            return Ok(());
        };
        match (d.as_str(), c.as_str()).cmp(&(deck, card)) {
            // Cannot happen (every row has an item); skipped rather than trusted.
            std::cmp::Ordering::Less => *next = None,
            std::cmp::Ordering::Equal => {
                if let Some((_, _, v)) = next.take() {
                    out.push(v);
                }
            }
            std::cmp::Ordering::Greater => return Ok(()),
        }
    }
}

impl Tx<'_> {
    /// Calls `f` with the items of each card (all ordinals, by ordinal), card after card in
    /// (deck, card) order. `f` may run other statements of this transaction; it must not
    /// change item keys.
    pub fn for_each_card(&self, f: &mut dyn FnMut(&[ItemRow]) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(include_str!("sql/replay_items_by_card.sql"))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut group: Vec<ItemRow> = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let item = item_row(row).map_err(|e| self.err(e))?;
            let same = group
                .first()
                .is_some_and(|g| g.key.deck == item.key.deck && g.key.card == item.key.card);
            if !same && !group.is_empty() {
                f(&group)?;
                group.clear();
            }
            group.push(item);
        }
        if !group.is_empty() {
            f(&group)?;
        }
        Ok(())
    }

    /// Calls `f` with each card's items and whole history, card after card in (deck, card)
    /// order. `wanted` filters cards before their history is read.
    ///
    /// The log is read in sequential scans (no sort of the log by card in SQL, no join): the
    /// wanted cards' answers are held as 32-byte [`Slim`] rows, sorted by card in memory, at
    /// most [`ANSWERS_PER_PASS`] at a time — a larger log takes several scans, each over a
    /// range of cards. Answers are handed over without uid (empty) except where two answers
    /// of a card share a millisecond: the uid breaks that tie.
    pub fn for_each_card_log(
        &self,
        wanted: &dyn Fn(&str, &str) -> bool,
        f: &mut dyn FnMut(CardLog<'_>) -> Result<()>,
    ) -> Result<()> {
        let (card_of, want) = self.card_numbers(wanted)?;
        let cards = want.len() as u64;
        let total: i64 = self
            .prepare(include_str!("sql/replay_review_count.sql"))?
            .query_row([], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let passes = (total.max(0) as u64 / ANSWERS_PER_PASS + 1).min(cards.max(1));
        let per_pass = cards.div_ceil(passes).max(1) as u32;
        let mut event_stmt = self.prepare(include_str!("sql/replay_events_by_card.sql"))?;
        let mut events = event_stmt.query([]).map_err(|e| self.err(e))?;
        let mut next_event = None;
        let event_map = |r: &Row<'_>| -> rusqlite::Result<Option<Keyed<EventRow>>> {
            let kind: i64 = r.get(5)?;
            let kind = EventKind::from_i64(kind)
                .ok_or(rusqlite::Error::IntegralValueOutOfRange(5, kind))?;
            Ok(Some((
                r.get(0)?,
                r.get(1)?,
                EventRow {
                    id: r.get(2)?,
                    item_id: r.get(3)?,
                    at_ms: r.get(4)?,
                    kind,
                    until_ms: r.get(6)?,
                    after_review: r.get(7)?,
                    uid: r.get(8)?,
                },
            )))
        };
        let (mut card_no, mut pass_end) = (0u32, 0u32);
        let (mut slim, mut cursor): (Vec<Slim>, usize) = (Vec::new(), 0);
        self.for_each_card(&mut |items| {
            let Some(first) = items.first() else {
                return Ok(());
            };
            let (deck, card) = (&first.key.deck, &first.key.card);
            let no = card_no;
            card_no += 1;
            if no >= pass_end {
                pass_end = no.saturating_add(per_pass);
                slim = self.slim_answers(&card_of, no, pass_end)?;
                cursor = 0;
            }
            let mut log = CardLog {
                items,
                reviews: Vec::new(),
                events: Vec::new(),
            };
            take_card(
                &mut events,
                &mut next_event,
                &event_map,
                deck,
                card,
                &mut log.events,
            )
            .map_err(|e| self.err(e))?;
            let from = cursor;
            while slim.get(cursor).is_some_and(|s| s.card <= no) {
                cursor += 1;
            }
            if !want.get(no as usize).copied().unwrap_or(false) {
                return Ok(());
            }
            log.reviews = self.answers_of(slim.get(from..cursor).unwrap_or_default())?;
            f(log)
        })
    }

    /// Numbers every card in (deck, card) order; returns the card number of each wanted
    /// card's items, and whether each card is wanted.
    fn card_numbers(&self, wanted: &dyn Fn(&str, &str) -> bool) -> Result<(CardOf, Vec<bool>)> {
        let mut stmt = self.prepare(include_str!("sql/replay_item_cards.sql"))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let (mut card_of, mut want) = (HashMap::new(), Vec::new());
        let mut last: Option<(String, String)> = None;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            let deck: &str = r
                .get_ref(1)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(|e| self.err(e))?;
            let card: &str = r
                .get_ref(2)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(|e| self.err(e))?;
            if last.as_ref().is_none_or(|(d, c)| d != deck || c != card) {
                want.push(wanted(deck, card));
                last = Some((deck.to_string(), card.to_string()));
            }
            if want.last().copied().unwrap_or(false) {
                card_of.insert(id, want.len() as u32 - 1);
            }
        }
        Ok((CardOf::of(card_of), want))
    }

    /// The answers of the wanted cards numbered `from..to`, by card, from one scan of the log.
    fn slim_answers(&self, card_of: &CardOf, from: u32, to: u32) -> Result<Vec<Slim>> {
        let mut out = Vec::new();
        let mut stmt = self.prepare(include_str!("sql/replay_review_scan.sql"))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let item_id: i64 = r.get(1).map_err(|e| self.err(e))?;
            let Some(card) = card_of.get(item_id) else {
                continue;
            };
            if card < from || card >= to {
                continue;
            }
            let slim = (|| {
                Ok::<_, rusqlite::Error>(Slim {
                    card,
                    id: r.get(0)?,
                    item_id,
                    at_ms: r.get(2)?,
                    rating: r.get(3)?,
                    kind: r.get(4)?,
                    uid: uid_parts_of(r.get_ref(5)?.as_bytes()?),
                })
            })()
            .map_err(|e| self.err(e))?;
            out.push(slim);
        }
        out.sort_unstable_by_key(|s| (s.card, s.at_ms, s.id));
        Ok(out)
    }

    /// One card's answers (sorted by time) as rows for a replay: the uid is read only for
    /// answers sharing their millisecond with another (it orders them); else it is empty.
    fn answers_of(&self, slim: &[Slim]) -> Result<Vec<ReviewRow>> {
        let mut out = Vec::with_capacity(slim.len());
        for (i, s) in slim.iter().enumerate() {
            let tied = (i > 0 && slim[i - 1].at_ms == s.at_ms)
                || slim.get(i + 1).is_some_and(|n| n.at_ms == s.at_ms);
            let uid = match (tied, s.uid) {
                (false, _) => String::new(),
                (true, Some(parts)) => uid_text(parts),
                (true, None) => self
                    .prepare(include_str!("sql/replay_review_uid.sql"))?
                    .query_row([s.id], |r| r.get(0))
                    .map_err(|e| self.err(e))?,
            };
            out.push(ReviewRow {
                id: s.id,
                uid,
                item_id: s.item_id,
                at_ms: s.at_ms,
                rating: s.rating,
                kind: s.kind,
                time_ms: 0,
                response: None,
            });
        }
        Ok(out)
    }

    /// The cards `(deck, card)` of these items: looked up one by one for a few, from one
    /// scan of the items for many (a large merge changes most cards).
    pub fn cards_of_items(&self, items: &BTreeSet<i64>) -> Result<BTreeSet<(String, String)>> {
        let mut cards = BTreeSet::new();
        if items.len() <= LOOKUPS_UP_TO {
            for id in items {
                if let Some(row) = self.item_by_id(*id)? {
                    cards.insert((row.key.deck, row.key.card));
                }
            }
            return Ok(cards);
        }
        let mut stmt = self.prepare(include_str!("sql/replay_item_cards.sql"))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            if items.contains(&id) {
                let key = (|| Ok::<_, rusqlite::Error>((r.get(1)?, r.get(2)?)))();
                cards.insert(key.map_err(|e| self.err(e))?);
            }
        }
        Ok(cards)
    }

    /// The items (every ordinal) of one card, by ordinal.
    pub fn card_items(&self, deck: &str, card: &str) -> Result<Vec<ItemRow>> {
        let mut stmt = self.prepare(include_str!("sql/replay_card_items.sql"))?;
        let rows = stmt
            .query_map([deck, card], item_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// An item's answers in no particular order, without their responses (`response` is
    /// None): what a replay needs.
    pub fn replay_reviews_of(&self, item_id: i64) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.prepare(include_str!("sql/replay_reviews_of.sql"))?;
        let rows = stmt
            .query_map([item_id], review_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }

    /// Number of answers in the log (counted on its smallest index, not its rows).
    pub fn review_count(&self) -> Result<u64> {
        self.prepare(include_str!("sql/replay_review_count.sql"))?
            .query_row([], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }

    /// Writes a replayed state whose phase, suspension, burial, introduction and edit mark
    /// are those the row holds already: only the review columns are set, so SQLite updates
    /// only the two indexes on them (due time, mastery) of the item table's seven.
    pub fn set_item_review_state(&self, id: i64, s: &ItemSched) -> Result<()> {
        self.prepare(include_str!("sql/item_set_review_state.sql"))?
            .execute(named_params! {
                ":id": id, ":step": s.step, ":due": s.due_ms, ":last": s.last_review_ms,
                ":stability": s.stability.map(f64::from),
                ":difficulty": s.difficulty.map(f64::from), ":interval": s.interval_days,
                ":reps": s.reps, ":lapses": s.lapses, ":leech": s.leech,
            })
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Number of items (removed ones and placeholders included).
    pub fn item_count(&self) -> Result<u64> {
        self.prepare(include_str!("sql/item_count.sql"))?
            .query_row([], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::items::CatalogEntry;
    use crate::deck::ItemKey;

    fn entry(deck: &str, card: &str, ord: u16) -> CatalogEntry {
        CatalogEntry {
            key: ItemKey {
                deck: deck.into(),
                card: card.into(),
                ord,
            },
            exam: None,
            domain: None,
            content_hash: "h".into(),
        }
    }

    #[test]
    fn cards_are_streamed_whole_and_in_order() {
        let mut s = Store::open_in_memory().expect("open");
        s.write(|tx| {
            // Inserted out of order: the stream still groups by card.
            for (i, (d, c, o)) in [("b", "x", 0), ("a", "y", 1), ("a", "y", 0), ("a", "z", 0)]
                .into_iter()
                .enumerate()
            {
                tx.insert_item(&entry(d, c, o), i as i64, 0)?;
            }
            Ok(())
        })
        .expect("write");
        let mut seen = Vec::new();
        s.read()
            .for_each_card(&mut |g| {
                seen.push(
                    g.iter()
                        .map(|r| format!("{}/{}/{}", r.key.deck, r.key.card, r.key.ord))
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                Ok(())
            })
            .expect("stream");
        assert_eq!(seen, ["a/y/0 a/y/1", "a/z/0", "b/x/0"]);
        assert_eq!(s.read().item_count().expect("count"), 4);
        assert_eq!(s.read().card_items("a", "y").expect("card").len(), 2);
    }

    #[test]
    fn uids_of_examdecks_form_round_trip_through_numbers_and_others_do_not() {
        for uid in [
            "0199ad610240-5eef3d6a468e3dd4".to_string(),
            "000000000000-0000000000000000".to_string(),
            "ffffffffffff-ffffffffffffffff".to_string(),
            super::super::reviews::new_uid(1_780_000_000_000),
        ] {
            let parts = super::uid_parts(&uid).expect("examdeck's form");
            assert_eq!(super::uid_text(parts), uid);
        }
        for other in [
            "0199AD610240-5eef3d6a468e3dd4",
            "0199ad61024-05eef3d6a468e3dd4",
            "+199ad610240-5eef3d6a468e3dd4",
            "0199ad610240-5eef3d6a468e3dg4",
            "0199ad610240-5eef3d6a468e3d-4",
            "0199ad610240-5eef3d6a468e3d\u{7f}4",
            "0199ad610240-5eef3d6a468e3\u{e9}4",
            "peer-uid",
            "",
        ] {
            assert_eq!(super::uid_parts(other), None, "{other}");
        }
    }

    #[test]
    fn card_numbers_of_dense_and_sparse_ids_answer_alike() {
        use super::CardOf;
        use std::collections::HashMap;
        let dense: HashMap<i64, u32> = (1..=1000)
            .filter(|i| i % 3 != 0)
            .map(|i| (i, (i / 2) as u32))
            .collect();
        let sparse: HashMap<i64, u32> = [(5, 0), (1 << 40, 1), (-3, 2)].into_iter().collect();
        for map in [dense, sparse] {
            let of = CardOf::of(map.clone());
            for id in [
                -3,
                0,
                1,
                2,
                3,
                5,
                999,
                1000,
                1001,
                1 << 40,
                i64::MAX,
                i64::MIN,
            ] {
                assert_eq!(of.get(id), map.get(&id).copied(), "{id}");
            }
        }
        assert!(matches!(
            CardOf::of((1..=10).map(|i| (i, 0)).collect()),
            CardOf::Dense(_)
        ));
        assert!(matches!(
            CardOf::of([(1 << 40, 0)].into_iter().collect()),
            CardOf::Sparse(_)
        ));
    }
}
