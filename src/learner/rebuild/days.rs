//! A memo of scheduler days for a replay: every answer asks its day (and the next day's
//! start, to bury siblings), and a time zone answers slowly (a `chrono::Local` lookup per
//! call). A replay of a long log meets a few thousand distinct days, so each day is
//! computed once per thread, as the interval of moments it covers. The memo is per thread
//! (a replay runs on every core): one shared behind a lock cost more in contention than the
//! lookups it saved (measured: 7 % of a 200,000-answer merge's CPU with a read-write lock).

use crate::schedule::Zone;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

/// Days already computed: by start, the end and the day; each day's start; and the day
/// found last (answers of one card often fall on one day).
#[derive(Default)]
struct Memo {
    /// The [`DayCache`] these days belong to.
    owner: u64,
    last: Option<(i64, i64, i64)>,
    by_start: BTreeMap<i64, (i64, i64)>,
    starts: HashMap<i64, i64>,
}

impl Memo {
    fn day_of(&mut self, at_ms: i64) -> Option<i64> {
        if let Some((start, end, day)) = self.last
            && start <= at_ms
            && at_ms < end
        {
            return Some(day);
        }
        let (&start, &(end, day)) = self.by_start.range(..=at_ms).next_back()?;
        (at_ms < end).then(|| {
            self.last = Some((start, end, day));
            day
        })
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Numbers each [`DayCache`], so a thread's memo is never used for another zone or hour.
static NEXT_OWNER: AtomicU64 = AtomicU64::new(1);

/// A [`Zone`] that remembers the days it computed (for one start hour).
pub(super) struct DayCache<'a> {
    zone: &'a dyn Zone,
    hour: u32,
    /// This cache's number in the threads' memos.
    id: u64,
}

impl<'a> DayCache<'a> {
    pub(super) fn new(zone: &'a dyn Zone, hour: u32) -> DayCache<'a> {
        DayCache {
            zone,
            hour,
            id: NEXT_OWNER.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Runs `f` on this thread's memo of this cache's days (emptied first if it held
    /// another cache's).
    fn with_memo<T>(&self, f: impl FnOnce(&mut Memo) -> T) -> T {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.owner != self.id {
                *m = Memo {
                    owner: self.id,
                    ..Memo::default()
                };
            }
            f(&mut m)
        })
    }
}

impl Zone for DayCache<'_> {
    fn day_of(&self, at_ms: i64, start_hour: u32) -> i64 {
        if start_hour != self.hour {
            return self.zone.day_of(at_ms, start_hour);
        }
        if let Some(day) = self.with_memo(|m| m.day_of(at_ms)) {
            return day;
        }
        let day = self.zone.day_of(at_ms, start_hour);
        let start = self.zone.day_start(day, start_hour);
        let end = self.zone.day_start(day + 1, start_hour);
        // Kept only if the zone agrees that the day covers exactly [start, end).
        if start <= at_ms && at_ms < end {
            self.with_memo(|m| {
                m.by_start.insert(start, (end, day));
                m.starts.insert(day, start);
            });
        }
        day
    }

    fn day_start(&self, day: i64, start_hour: u32) -> i64 {
        if start_hour == self.hour
            && let Some(s) = self.with_memo(|m| m.starts.get(&day).copied())
        {
            return s;
        }
        self.zone.day_start(day, start_hour)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn remembered_days_equal_the_zones_own_answers() {
        // India (+05:30): days start at 04:00 local, i.e. at 22:30 UTC.
        let zone = FixedOffset::east_opt(5 * 3600 + 1800).expect("offset");
        let cache = DayCache::new(&zone, 4);
        let t0 = 1_780_000_000_000_i64;
        for round in 0..2 {
            for k in 0..2_000 {
                let at = t0 + k * 7 * 60_000 + round;
                let day = zone.day_of(at, 4);
                assert_eq!(cache.day_of(at, 4), day, "{at}");
                assert_eq!(cache.day_start(day, 4), zone.day_start(day, 4));
                assert_eq!(cache.day_start(day + 1, 4), zone.day_start(day + 1, 4));
                assert_eq!(cache.day_of(at, 0), zone.day_of(at, 0), "another hour");
            }
        }
    }

    #[test]
    fn two_caches_on_one_thread_never_answer_with_each_others_days() {
        // Days of +05:30 and of -08:00 start at different moments: a memo shared between
        // the two caches would give one the other's day for moments near a boundary.
        let india = FixedOffset::east_opt(5 * 3600 + 1800).expect("offset");
        let west = FixedOffset::west_opt(8 * 3600).expect("offset");
        let (a, b) = (DayCache::new(&india, 4), DayCache::new(&west, 4));
        let t0 = 1_780_000_000_000_i64;
        for k in 0..500 {
            let at = t0 + k * 37 * 60_000;
            assert_eq!(a.day_of(at, 4), india.day_of(at, 4), "{at}");
            assert_eq!(b.day_of(at, 4), west.day_of(at, 4), "{at}");
            let day = india.day_of(at, 4);
            assert_eq!(a.day_start(day, 4), india.day_start(day, 4));
            assert_eq!(b.day_start(day, 4), west.day_start(day, 4));
        }
    }
}
