//! Interval fuzz like Anki's: a review interval of more than 2.5 days is moved to a random
//! day within a range growing with the interval (±15 % up to a week, ±10 % up to 20 days,
//! ±5 % beyond). The "random" number is a hash of the item and its review count, so the same
//! answer always gets the same interval — tests repeat and the log rebuilds the same state.

/// A seed for one item, from its key.
pub fn seed(deck: &str, card: &str, ord: u16) -> u64 {
    // FNV-1a: stable across builds and platforms (unlike `DefaultHasher`).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in deck
        .bytes()
        .chain([0])
        .chain(card.bytes())
        .chain([0])
        .chain(ord.to_le_bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A number in [0, 1) for review number `reps` of the item with `seed`.
pub fn factor(seed: u64, reps: u32) -> f64 {
    // splitmix64
    let mut z = seed.wrapping_add(u64::from(reps).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

const RANGES: [(f32, f32, f32); 3] = [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f32::MAX, 0.05)];

/// The range of days an interval may be fuzzed to, bounded by `minimum` and `maximum`.
pub fn range(interval: f32, elapsed_days: u32, minimum: u32, maximum: u32) -> (u32, u32) {
    let minimum = minimum.min(maximum).max(1);
    if interval < 2.5 {
        let x = (interval.round() as u32).clamp(minimum, maximum);
        return (x, x);
    }
    let mut delta = 1.0f32;
    for (start, end, f) in RANGES {
        delta += f * (interval.min(end) - start).max(0.0);
    }
    let mut lower = ((interval - delta).round() as u32).clamp(minimum, maximum);
    let upper = ((interval + delta).round() as u32).clamp(minimum, maximum);
    if interval > elapsed_days as f32 {
        lower = lower.max(elapsed_days + 1).min(upper);
    }
    (lower, upper)
}

/// The fuzzed interval in days (`fuzz` = a number in [0, 1)).
pub fn apply(interval: f32, elapsed_days: u32, minimum: u32, maximum: u32, fuzz: f64) -> u32 {
    let (lo, hi) = range(interval, elapsed_days, minimum, maximum);
    let span = f64::from(hi - lo + 1);
    (lo + (fuzz * span).floor() as u32).min(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_unit_range() {
        let s = seed("deck", "card", 1);
        assert_eq!(s, seed("deck", "card", 1));
        assert_ne!(s, seed("deck", "card", 2));
        assert_ne!(seed("de", "ckcard", 0), seed("deck", "card", 0));
        for reps in 0..1000 {
            let f = factor(s, reps);
            assert!((0.0..1.0).contains(&f));
            assert_eq!(f, factor(s, reps));
        }
    }

    #[test]
    fn ranges_like_anki() {
        assert_eq!(range(2.0, 0, 1, 100), (2, 2), "no fuzz below 2.5 days");
        assert_eq!(range(10.0, 0, 1, 100), (8, 12)); // 1 + 0.15*4.5 + 0.1*3 = 1.975
        assert_eq!(range(100.0, 0, 1, 100), (93, 100)); // capped by the maximum
        assert_eq!(range(100.0, 0, 1, 1000), (93, 107)); // 1 + .675 + 1.3 + 4 = 6.975
    }

    #[test]
    fn apply_stays_in_range_and_spreads() {
        let mut seen = std::collections::BTreeSet::new();
        for reps in 0..200 {
            let x = apply(30.0, 10, 1, 36500, factor(7, reps));
            assert!((27..=33).contains(&x), "{x}");
            seen.insert(x);
        }
        assert!(seen.len() >= 4, "fuzz uses the whole range: {seen:?}");
    }
}
