//! A memo of scheduler days for a replay: every answer asks its day (and the next day's
//! start, to bury siblings), and a time zone answers slowly (a `chrono::Local` lookup per
//! call). A replay of a long log meets a few thousand distinct days, so each day is
//! computed once, as the interval of moments it covers.

use crate::schedule::Zone;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// Days already computed: by start, the end and the day; and each day's start.
#[derive(Default)]
struct Memo {
    by_start: BTreeMap<i64, (i64, i64)>,
    starts: HashMap<i64, i64>,
}

/// A [`Zone`] that remembers the days it computed (for one start hour).
pub(super) struct DayCache<'a> {
    zone: &'a dyn Zone,
    hour: u32,
    memo: Mutex<Memo>,
}

impl<'a> DayCache<'a> {
    pub(super) fn new(zone: &'a dyn Zone, hour: u32) -> DayCache<'a> {
        DayCache {
            zone,
            hour,
            memo: Mutex::new(Memo::default()),
        }
    }
}

impl Zone for DayCache<'_> {
    fn day_of(&self, at_ms: i64, start_hour: u32) -> i64 {
        let Ok(mut m) = self.memo.lock() else {
            return self.zone.day_of(at_ms, start_hour);
        };
        if start_hour != self.hour {
            return self.zone.day_of(at_ms, start_hour);
        }
        if let Some((_, &(end, day))) = m.by_start.range(..=at_ms).next_back()
            && at_ms < end
        {
            return day;
        }
        let day = self.zone.day_of(at_ms, start_hour);
        let start = self.zone.day_start(day, start_hour);
        let end = self.zone.day_start(day + 1, start_hour);
        // Kept only if the zone agrees that the day covers exactly [start, end).
        if start <= at_ms && at_ms < end {
            m.by_start.insert(start, (end, day));
            m.starts.insert(day, start);
        }
        day
    }

    fn day_start(&self, day: i64, start_hour: u32) -> i64 {
        if start_hour == self.hour
            && let Ok(m) = self.memo.lock()
            && let Some(&s) = m.starts.get(&day)
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
}
