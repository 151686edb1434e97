//! Scheduler days: the learner's day starts at a local hour (04:00 by default), not at midnight.
//!
//! A moment belongs to day `n` (days since 0001-01-01 of the proleptic Gregorian calendar) when
//! its local time minus `day_start_hour` hours falls on that date. So 03:59 on the 2nd is still
//! day 1, and 04:00 on the 2nd is day 2. Elapsed days for FSRS are differences of day numbers:
//! a review at 23:00 and the next at 05:00 the next morning are 1 day apart, one at 01:00 and
//! the next at 03:00 are 0 days apart (both before the 04:00 rollover).
//!
//! Daylight-saving changes only shift the wall clock: the day starts at 04:00 local time on
//! both sides of a change, and a local hour that does not exist is moved forward to the first
//! hour that does.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

/// A time zone the scheduler can count days in. Implemented for every `chrono` time zone.
pub trait Zone: Send + Sync {
    /// The scheduler day of a moment (UTC milliseconds).
    fn day_of(&self, at_ms: i64, start_hour: u32) -> i64;
    /// The moment (UTC milliseconds) a scheduler day starts.
    fn day_start(&self, day: i64, start_hour: u32) -> i64;
}

impl<Tz> Zone for Tz
where
    Tz: TimeZone + Send + Sync,
    Tz::Offset: Send + Sync,
{
    fn day_of(&self, at_ms: i64, start_hour: u32) -> i64 {
        day_index(from_ms(at_ms), self, start_hour)
    }

    fn day_start(&self, day: i64, start_hour: u32) -> i64 {
        day_start(day, self, start_hour).timestamp_millis()
    }
}

/// The scheduler day of `at` in time zone `tz` with the day starting at `start_hour`.
pub fn day_index<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz, start_hour: u32) -> i64 {
    let local = at.with_timezone(tz).naive_local() - Duration::hours(i64::from(start_hour.min(23)));
    i64::from(local.date().num_days_from_ce())
}

/// The moment scheduler day `day` starts in `tz`.
pub fn day_start<Tz: TimeZone>(day: i64, tz: &Tz, start_hour: u32) -> DateTime<Utc> {
    let date = i32::try_from(day)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(NaiveDate::MAX);
    let hour = start_hour.min(23);
    let mut naive = date.and_time(NaiveTime::MIN) + Duration::hours(i64::from(hour));
    // A local time in a DST gap does not exist: try the next hours.
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&naive).earliest() {
            return t.with_timezone(&Utc);
        }
        naive += Duration::hours(1);
    }
    naive.and_utc()
}

/// UTC milliseconds to a `DateTime`, saturating out-of-range values.
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(if ms < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use chrono_tz::Europe::Berlin;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("test timestamp")
    }

    #[test]
    fn rollover_is_at_four_not_midnight() {
        let tz = FixedOffset::east_opt(0).expect("offset");
        let a = day_index(utc("2026-03-01T23:00:00Z"), &tz, 4);
        let b = day_index(utc("2026-03-02T01:00:00Z"), &tz, 4);
        let c = day_index(utc("2026-03-02T03:59:59Z"), &tz, 4);
        let d = day_index(utc("2026-03-02T04:00:00Z"), &tz, 4);
        assert_eq!(a, b, "midnight does not start a new day");
        assert_eq!(b, c);
        assert_eq!(d, a + 1, "04:00 starts the next day");
        assert_eq!(day_start(d, &tz, 4), utc("2026-03-02T04:00:00Z"));
    }

    #[test]
    fn rollover_with_start_hour_zero_is_midnight() {
        let tz = FixedOffset::east_opt(2 * 3600).expect("offset");
        // 23:30 local on the 1st, then 00:30 local on the 2nd.
        let a = day_index(utc("2026-03-01T21:30:00Z"), &tz, 0);
        let b = day_index(utc("2026-03-01T22:30:00Z"), &tz, 0);
        assert_eq!(b, a + 1);
    }

    #[test]
    fn dst_spring_forward_in_berlin() {
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST. 04:00 CEST = 02:00 UTC.
        let before = day_index(utc("2026-03-29T01:59:00Z"), &Berlin, 4); // 03:59 CEST
        let after = day_index(utc("2026-03-29T02:00:00Z"), &Berlin, 4); // 04:00 CEST
        assert_eq!(after, before + 1);
        assert_eq!(day_start(after, &Berlin, 4), utc("2026-03-29T02:00:00Z"));
        // The day before started at 04:00 CET = 03:00 UTC: that day was 23 hours long.
        let len = day_start(after, &Berlin, 4) - day_start(after - 1, &Berlin, 4);
        assert_eq!(len, Duration::hours(23));
    }

    #[test]
    fn dst_fall_back_in_berlin() {
        // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET. 04:00 CET = 03:00 UTC.
        let d = day_index(utc("2026-10-25T03:00:00Z"), &Berlin, 4);
        assert_eq!(d, day_index(utc("2026-10-24T02:00:00Z"), &Berlin, 4) + 1);
        assert_eq!(day_index(utc("2026-10-25T02:59:00Z"), &Berlin, 4), d - 1);
        let len = day_start(d, &Berlin, 4) - day_start(d - 1, &Berlin, 4);
        assert_eq!(len, Duration::hours(25));
    }

    #[test]
    fn start_hour_in_a_dst_gap_moves_forward() {
        // With the day starting at 02:00, 2026-03-29 02:00 does not exist in Berlin.
        let d = day_index(utc("2026-03-29T12:00:00Z"), &Berlin, 2);
        assert_eq!(day_start(d, &Berlin, 2), utc("2026-03-29T01:00:00Z")); // 03:00 CEST
    }

    #[test]
    fn zone_trait_matches_functions() {
        let at = utc("2026-06-01T10:00:00Z");
        let d = Berlin.day_of(at.timestamp_millis(), 4);
        assert_eq!(d, day_index(at, &Berlin, 4));
        assert_eq!(
            Berlin.day_start(d, 4),
            day_start(d, &Berlin, 4).timestamp_millis()
        );
    }
}
