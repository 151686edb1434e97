//! Rebuilding every item's state from the review log and item events.

use super::{Learner, Result};
use crate::schedule::{self, ItemSched, Phase};
use crate::store::StoreError;
use crate::store::events::EventKind;
use std::collections::HashMap;

impl Learner {
    /// Recomputes every item's state from the review log and item events alone (with the
    /// current settings), in one transaction. Clears the undo stack.
    pub fn rebuild_from_log(&mut self) -> Result<()> {
        let read = self.store.read();
        let items = read.all_items()?;
        let reviews = read.all_reviews()?;
        let events = read.all_events()?;
        let mut index: HashMap<i64, usize> = HashMap::new();
        let mut states: Vec<(ItemSched, Option<i64>, Option<i64>)> =
            Vec::with_capacity(items.len());
        let mut groups: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, row) in items.iter().enumerate() {
            index.insert(row.id, i);
            states.push((ItemSched::default(), None, None));
            groups
                .entry((row.key.deck.as_str(), row.key.card.as_str()))
                .or_default()
                .push(i);
        }
        let bad = |what: String| StoreError::BadData {
            path: self.store.path().to_string(),
            detail: what,
        };
        let mut ev = events.iter().peekable();
        let apply_event = |e: &crate::store::events::EventRow,
                           states: &mut Vec<(ItemSched, Option<i64>, Option<i64>)>|
         -> Result<()> {
            let i = *index
                .get(&e.item_id)
                .ok_or_else(|| bad(format!("event {} names unknown item {}", e.id, e.item_id)))?;
            let st = &mut states[i];
            match e.kind {
                EventKind::Suspend => st.0.suspended = true,
                EventKind::Unsuspend => st.0.suspended = false,
                EventKind::Bury => st.1 = e.until_ms,
                EventKind::Reset => {
                    st.0 = ItemSched {
                        suspended: st.0.suspended,
                        ..ItemSched::default()
                    };
                    st.1 = None;
                    st.2 = None;
                }
            }
            Ok(())
        };
        for r in &reviews {
            while let Some(e) = ev.next_if(|e| e.after_review < r.id) {
                apply_event(e, &mut states)?;
            }
            let i = *index
                .get(&r.item_id)
                .ok_or_else(|| bad(format!("review {} names unknown item {}", r.uid, r.item_id)))?;
            if !r.kind.schedules() {
                continue;
            }
            let row = &items[i];
            let ctx = self.ctx(row, r.at_ms);
            let prev = &states[i].0;
            let next = schedule::apply(prev, r.rating, r.at_ms, &ctx)
                .map_err(|e| Self::fsrs_err(&row.key, e))?;
            if prev.phase == Phase::New && states[i].2.is_none() {
                states[i].2 = Some(r.at_ms);
            }
            states[i].0 = next;
            let bury_until = self.day_start(self.today(r.at_ms) + 1);
            if let Some(sibs) = groups.get(&(row.key.deck.as_str(), row.key.card.as_str())) {
                for &j in sibs {
                    let s = &mut states[j];
                    if j != i
                        && matches!(s.0.phase, Phase::New | Phase::Review)
                        && s.1.is_none_or(|p| p < bury_until)
                    {
                        s.1 = Some(bury_until);
                    }
                }
            }
        }
        for e in ev {
            apply_event(e, &mut states)?;
        }
        self.store.write(|tx| {
            for (row, (sched, buried, introduced)) in items.iter().zip(&states) {
                tx.set_item_state(row.id, sched, *buried, *introduced, row.edited)?;
            }
            Ok(())
        })?;
        self.undo.clear();
        self.forget_totals();
        Ok(())
    }
}
