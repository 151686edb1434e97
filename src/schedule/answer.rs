//! Answering an item: the state machine of learning steps, reviews and relearning steps, with
//! FSRS memory states and intervals.
//!
//! Like Anki: a new item goes through the learning steps (1 m, 10 m); Again restarts them,
//! Hard repeats a step (the first step's Hard waits half-way between the first two), Good
//! moves on, Easy graduates at once. A graduated item is due after the FSRS interval of its
//! rating (Hard ≤ Good < Easy, fuzzed, at most the maximum interval). Again on a review is a
//! lapse: the item goes through the relearning steps (10 m), or straight back to review when
//! there are none. Every scheduled answer — same-day steps included — updates the FSRS memory
//! state with `next_states(state, retention, elapsed_days)`, where `elapsed_days` counts
//! scheduler days (see [`super::day`]), exactly as `fsrs::FSRS::memory_state` does over the
//! same history.

use super::exam::ExamPolicy;
use super::{MINUTE_MS, Phase, Rating, Settings, Zone, fuzz};
use fsrs::{FSRS, MemoryState, NextStates};
use serde::Serialize;

/// The scheduling state of one item (the cache the review log can rebuild).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSched {
    /// Where the item is in its life.
    pub phase: Phase,
    /// Index of the current (re)learning step.
    pub step: u16,
    /// When it is next due (UTC ms); None while new.
    pub due_ms: Option<i64>,
    /// When it was last answered with a scheduling answer (UTC ms).
    pub last_review_ms: Option<i64>,
    /// FSRS stability in days; None while new.
    pub stability: Option<f32>,
    /// FSRS difficulty (1–10); None while new.
    pub difficulty: Option<f32>,
    /// Current interval in days (0 while learning).
    pub interval_days: u32,
    /// Scheduling answers so far.
    pub reps: u32,
    /// Times forgotten after graduating.
    pub lapses: u32,
    /// Tagged as a leech.
    pub leech: bool,
    /// Kept out of the queue.
    pub suspended: bool,
}

impl Default for ItemSched {
    fn default() -> Self {
        ItemSched {
            phase: Phase::New,
            step: 0,
            due_ms: None,
            last_review_ms: None,
            stability: None,
            difficulty: None,
            interval_days: 0,
            reps: 0,
            lapses: 0,
            leech: false,
            suspended: false,
        }
    }
}

impl ItemSched {
    /// The FSRS memory state, if the item has been studied.
    pub fn memory(&self) -> Option<MemoryState> {
        Some(MemoryState {
            stability: self.stability?,
            difficulty: self.difficulty?,
        })
    }
}

/// Everything an answer depends on besides the item's state.
pub struct Context<'a> {
    /// The FSRS model.
    pub fsrs: &'a FSRS,
    /// Its 21 parameters (for the forgetting curve).
    pub parameters: &'a [f32],
    /// The settings.
    pub settings: &'a Settings,
    /// The learner's time zone, for day boundaries.
    pub zone: &'a dyn Zone,
    /// Desired retention of this item.
    pub retention: f32,
    /// The item's fuzz seed ([`fuzz::seed`]).
    pub fuzz_seed: u64,
    /// Exam-date rules, when the item's exam has a date ahead.
    pub exam: Option<ExamPolicy>,
}

impl Context<'_> {
    fn day_of(&self, ms: i64) -> i64 {
        self.zone.day_of(ms, self.settings.day_start_hour)
    }

    fn day_start(&self, day: i64) -> i64 {
        self.zone.day_start(day, self.settings.day_start_hour)
    }
}

/// What one button would do, shown before the learner grades.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Preview {
    /// The button.
    pub rating: Rating,
    /// When the item would be due next (UTC ms).
    pub due_ms: i64,
    /// Time until then, in milliseconds.
    pub interval_ms: i64,
    /// The interval in days for review items (0 for a learning step).
    pub interval_days: u32,
}

impl Preview {
    /// Short label like `10m`, `3h`, `4d`, `2.5mo`, `1.2y`.
    pub fn label(&self) -> String {
        let mins = self.interval_ms as f64 / MINUTE_MS as f64;
        if self.interval_days == 0 {
            if mins < 60.0 {
                return format!("{}m", mins.round().max(1.0));
            }
            return format!("{}h", (mins / 60.0).round());
        }
        let d = f64::from(self.interval_days);
        if d < 30.0 {
            format!("{d}d")
        } else if d < 365.0 {
            format!("{:.1}mo", d / 30.0)
        } else {
            format!("{:.1}y", d / 365.0)
        }
    }
}

/// Days between the last scheduling answer and now, in scheduler days.
pub fn elapsed_days(prev: &ItemSched, now_ms: i64, ctx: &Context<'_>) -> u32 {
    prev.last_review_ms.map_or(0, |last| {
        u32::try_from((ctx.day_of(now_ms) - ctx.day_of(last)).max(0)).unwrap_or(u32::MAX)
    })
}

/// The state after answering `rating` at `now_ms` (a scheduling answer: not cram).
pub fn apply(
    prev: &ItemSched,
    rating: Rating,
    now_ms: i64,
    ctx: &Context<'_>,
) -> Result<ItemSched, fsrs::FSRSError> {
    let today = ctx.day_of(now_ms);
    let elapsed = elapsed_days(prev, now_ms, ctx);
    let retention = ctx
        .exam
        .map_or(ctx.retention, |e| e.retention(today, ctx.retention));
    let next = ctx.fsrs.next_states(prev.memory(), retention, elapsed)?;
    let memory = pick(&next, rating).memory;
    let fuzz = fuzz::factor(ctx.fuzz_seed, prev.reps);
    let s = ctx.settings;

    let mut out = ItemSched {
        stability: Some(memory.stability),
        difficulty: Some(memory.difficulty),
        last_review_ms: Some(now_ms),
        reps: prev.reps.saturating_add(1),
        ..prev.clone()
    };
    let in_steps = |out: &mut ItemSched, phase: Phase, step: usize, mins: u32| {
        out.phase = phase;
        out.step = u16::try_from(step).unwrap_or(u16::MAX);
        out.interval_days = 0;
        out.due_ms = Some(now_ms + i64::from(mins) * MINUTE_MS);
    };
    let ivls = || review_intervals(&next, elapsed, fuzz, s);
    let graduate = |out: &mut ItemSched, days: u32| {
        let due_day = ctx.exam.map_or(today + i64::from(days), |e| {
            e.adjust_due(
                today,
                today + i64::from(days),
                memory.stability,
                ctx.parameters,
                fuzz,
            )
        });
        out.phase = Phase::Review;
        out.step = 0;
        out.interval_days = u32::try_from((due_day - today).max(1)).unwrap_or(u32::MAX);
        out.due_ms = Some(ctx.day_start(today + i64::from(out.interval_days)));
    };

    match prev.phase {
        Phase::New | Phase::Learning | Phase::Relearning => {
            let (steps, phase) = if prev.phase == Phase::Relearning {
                (&s.relearning_steps_mins, Phase::Relearning)
            } else {
                (&s.learning_steps_mins, Phase::Learning)
            };
            let step = if prev.phase == Phase::New {
                0
            } else {
                usize::from(prev.step)
            };
            match rating {
                _ if steps.is_empty() => graduate(&mut out, ivls()[rating.index()]),
                Rating::Again => in_steps(&mut out, phase, 0, steps[0]),
                Rating::Hard => {
                    let i = step.min(steps.len() - 1);
                    in_steps(&mut out, phase, i, hard_delay(steps, i))
                }
                Rating::Good => {
                    if step + 1 < steps.len() {
                        in_steps(&mut out, phase, step + 1, steps[step + 1])
                    } else {
                        graduate(&mut out, ivls()[2])
                    }
                }
                Rating::Easy => graduate(&mut out, ivls()[3]),
            }
        }
        Phase::Review => match rating {
            Rating::Again => {
                out.lapses = prev.lapses.saturating_add(1);
                if let Some(&first) = s.relearning_steps_mins.first() {
                    in_steps(&mut out, Phase::Relearning, 0, first);
                } else {
                    graduate(&mut out, ivls()[0]);
                }
                let t = s.leech_threshold;
                if t > 0 && out.lapses >= t && (out.lapses - t).is_multiple_of((t / 2).max(1)) {
                    out.leech = true;
                    out.suspended = true;
                }
            }
            r => graduate(&mut out, ivls()[r.index()]),
        },
    }
    Ok(out)
}

/// What each of the four buttons would do.
pub fn previews(
    prev: &ItemSched,
    now_ms: i64,
    ctx: &Context<'_>,
) -> Result<[Preview; 4], fsrs::FSRSError> {
    let mut out = [Preview {
        rating: Rating::Again,
        due_ms: now_ms,
        interval_ms: 0,
        interval_days: 0,
    }; 4];
    for (slot, rating) in out.iter_mut().zip(Rating::ALL) {
        let next = apply(prev, rating, now_ms, ctx)?;
        let due = next.due_ms.unwrap_or(now_ms);
        *slot = Preview {
            rating,
            due_ms: due,
            interval_ms: due - now_ms,
            interval_days: next.interval_days,
        };
    }
    Ok(out)
}

fn pick(next: &NextStates, rating: Rating) -> &fsrs::ItemState {
    match rating {
        Rating::Again => &next.again,
        Rating::Hard => &next.hard,
        Rating::Good => &next.good,
        Rating::Easy => &next.easy,
    }
}

/// Review intervals in days for the four buttons: rounded, fuzzed, Hard ≤ Good < Easy, at least
/// 1 day and at most the maximum interval.
pub fn review_intervals(
    next: &NextStates,
    elapsed: u32,
    fuzz_factor: f64,
    s: &Settings,
) -> [u32; 4] {
    let max = s.max_interval_days.max(1);
    let one = |ivl: f32, min: u32| {
        let min = min.min(max);
        if s.fuzz {
            fuzz::apply(ivl, elapsed, min, max, fuzz_factor)
        } else {
            (ivl.round().max(0.0) as u32).clamp(min, max)
        }
    };
    let again = one(next.again.interval, 1);
    let good_plain = one(next.good.interval, 1);
    let hard = one(next.hard.interval, 1).min(good_plain);
    let good = one(next.good.interval, hard + 1);
    let easy = one(next.easy.interval, good + 1);
    [again, hard, good, easy]
}

fn hard_delay(steps: &[u32], i: usize) -> u32 {
    if i > 0 {
        return steps[i];
    }
    match steps {
        [] => 1,
        [only] => (only.saturating_mul(3) / 2).min(only + 1440),
        [a, b, ..] => (a + b) / 2,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::schedule::DAY_MS;
    use chrono::FixedOffset;

    pub(crate) const T0: i64 = 1_780_000_000_000; // 2026-05-28T20:26:40Z

    pub(crate) fn with_ctx<R>(settings: &Settings, f: impl FnOnce(&Context<'_>) -> R) -> R {
        let fsrs = settings.fsrs().expect("fsrs");
        let params = settings.parameters();
        let zone = FixedOffset::east_opt(0).expect("utc");
        let ctx = Context {
            fsrs: &fsrs,
            parameters: &params,
            settings,
            zone: &zone,
            retention: settings.desired_retention,
            fuzz_seed: 42,
            exam: None,
        };
        f(&ctx)
    }

    fn no_fuzz() -> Settings {
        Settings {
            fuzz: false,
            ..Settings::default()
        }
    }

    fn run(s: &Settings, answers: &[(Rating, i64)]) -> ItemSched {
        with_ctx(s, |ctx| {
            let mut st = ItemSched::default();
            for (r, at) in answers {
                st = apply(&st, *r, *at, ctx).expect("apply");
            }
            st
        })
    }

    #[test]
    fn new_item_learning_steps() {
        let s = no_fuzz();
        let st = run(&s, &[(Rating::Good, T0)]);
        assert_eq!((st.phase, st.step), (Phase::Learning, 1));
        assert_eq!(st.due_ms, Some(T0 + 10 * MINUTE_MS));
        let st = run(&s, &[(Rating::Again, T0)]);
        assert_eq!((st.phase, st.step), (Phase::Learning, 0));
        assert_eq!(st.due_ms, Some(T0 + MINUTE_MS));
        let st = run(&s, &[(Rating::Hard, T0)]);
        assert_eq!(
            st.due_ms,
            Some(T0 + 5 * MINUTE_MS),
            "half-way between 1m and 10m"
        );
        let st = run(&s, &[(Rating::Again, T0), (Rating::Good, T0 + MINUTE_MS)]);
        assert_eq!((st.phase, st.step), (Phase::Learning, 1));
        let st = run(
            &s,
            &[(Rating::Good, T0), (Rating::Hard, T0 + 10 * MINUTE_MS)],
        );
        assert_eq!(
            st.due_ms,
            Some(T0 + 20 * MINUTE_MS),
            "hard repeats the 10m step"
        );
        assert_eq!(st.reps, 2);
    }

    #[test]
    fn graduation_and_easy() {
        let s = no_fuzz();
        let st = run(
            &s,
            &[(Rating::Good, T0), (Rating::Good, T0 + 10 * MINUTE_MS)],
        );
        assert_eq!(st.phase, Phase::Review);
        assert!(st.interval_days >= 1);
        // T0 is 20:26 UTC: the next scheduler day starts at 04:00 the next morning.
        let today = FixedOffset::east_opt(0).expect("utc").day_of(T0, 4);
        let zone = FixedOffset::east_opt(0).expect("utc");
        assert_eq!(
            st.due_ms,
            Some(zone.day_start(today + i64::from(st.interval_days), 4))
        );
        let easy = run(&s, &[(Rating::Easy, T0)]);
        assert_eq!(easy.phase, Phase::Review);
        assert!(easy.interval_days > st.interval_days);
    }

    #[test]
    fn lapse_relearn_and_back() {
        let s = no_fuzz();
        let grad = [(Rating::Easy, T0)];
        let st = run(&s, &grad);
        let due = st.due_ms.expect("due");
        let st2 = run(&s, &[(Rating::Easy, T0), (Rating::Again, due)]);
        assert_eq!((st2.phase, st2.lapses), (Phase::Relearning, 1));
        assert_eq!(st2.due_ms, Some(due + 10 * MINUTE_MS));
        let st3 = run(
            &s,
            &[
                (Rating::Easy, T0),
                (Rating::Again, due),
                (Rating::Good, due + 10 * MINUTE_MS),
            ],
        );
        assert_eq!(st3.phase, Phase::Review);
        assert_eq!(st3.lapses, 1);
        let none = Settings {
            relearning_steps_mins: vec![],
            ..no_fuzz()
        };
        let st4 = run(&none, &[(Rating::Easy, T0), (Rating::Again, due)]);
        assert_eq!(
            (st4.phase, st4.interval_days.max(1)),
            (Phase::Review, st4.interval_days)
        );
    }

    #[test]
    fn leech_after_threshold_lapses() {
        let s = Settings {
            leech_threshold: 3,
            ..no_fuzz()
        };
        let mut answers = vec![(Rating::Easy, T0)];
        let mut t = T0;
        for _ in 0..3 {
            t += 30 * DAY_MS;
            answers.push((Rating::Again, t));
            answers.push((Rating::Good, t + 10 * MINUTE_MS));
        }
        let st = run(&s, &answers[..answers.len() - 3]);
        assert!(!st.leech && !st.suspended, "2 lapses");
        let st = run(&s, &answers[..answers.len() - 1]);
        assert_eq!(st.lapses, 3);
        assert!(st.leech && st.suspended, "3rd lapse makes a leech");
    }

    #[test]
    fn ordering_and_max_interval() {
        let s = Settings {
            max_interval_days: 30,
            ..Settings::default()
        };
        let mut t = T0;
        let mut st = run(&s, &[(Rating::Easy, t)]);
        for _ in 0..8 {
            t = st.due_ms.expect("due");
            let p = with_ctx(&s, |ctx| previews(&st, t, ctx)).expect("previews");
            assert!(p[1].interval_days <= p[2].interval_days);
            assert!(p[2].interval_days < p[3].interval_days || p[3].interval_days == 30);
            assert!(p.iter().all(|x| x.interval_days <= 30));
            st = with_ctx(&s, |ctx| apply(&st, Rating::Easy, t, ctx)).expect("apply");
        }
        assert_eq!(st.interval_days, 30);
    }

    #[test]
    fn previews_match_answers() {
        let s = Settings::default();
        let st = run(
            &s,
            &[(Rating::Good, T0), (Rating::Good, T0 + 10 * MINUTE_MS)],
        );
        let now = st.due_ms.expect("due");
        let p = with_ctx(&s, |ctx| previews(&st, now, ctx)).expect("previews");
        for (i, r) in Rating::ALL.into_iter().enumerate() {
            let next = with_ctx(&s, |ctx| apply(&st, r, now, ctx)).expect("apply");
            assert_eq!(Some(p[i].due_ms), next.due_ms);
        }
        assert_eq!(p[0].label(), "10m");
    }

    /// Agreement with the FSRS reference: the memory state after a history equals
    /// `FSRS::memory_state` over the same ratings with `delta_t` = elapsed scheduler days, and
    /// review intervals equal the crate's `next_states` intervals rounded.
    #[test]
    fn agrees_with_fsrs_crate() {
        let s = no_fuzz();
        let fsrs = FSRS::new(&[]).expect("fsrs");
        let zone = FixedOffset::east_opt(0).expect("utc");
        let sequences: [&[(Rating, i64)]; 5] = [
            &[
                (Rating::Good, 0),
                (Rating::Good, 10),
                (Rating::Good, 3 * 1440),
                (Rating::Hard, 12 * 1440),
            ],
            &[
                (Rating::Again, 0),
                (Rating::Good, 1),
                (Rating::Good, 11),
                (Rating::Again, 2 * 1440),
                (Rating::Good, 2 * 1440 + 10),
                (Rating::Easy, 9 * 1440),
            ],
            &[
                (Rating::Easy, 0),
                (Rating::Good, 8 * 1440),
                (Rating::Good, 40 * 1440),
                (Rating::Good, 150 * 1440),
            ],
            // 23:00 then 05:00 next morning: 1 scheduler day apart although 6 hours.
            &[
                (Rating::Good, 150),
                (Rating::Good, 160),
                (Rating::Good, 510),
            ],
            &[
                (Rating::Hard, 0),
                (Rating::Hard, 5),
                (Rating::Hard, 1440),
                (Rating::Again, 5 * 1440),
                (Rating::Hard, 5 * 1440 + 10),
            ],
        ];
        let base = 1_780_012_800_000; // 2026-05-29T00:00:00Z; +150 min = 02:30 (before 04:00)
        for seq in sequences {
            let answers: Vec<(Rating, i64)> = seq
                .iter()
                .map(|(r, m)| (*r, base + m * MINUTE_MS))
                .collect();
            let st = run(&s, &answers);
            let mut reviews = Vec::new();
            let mut last_day = None;
            for (r, at) in &answers {
                let day = zone.day_of(*at, 4);
                let delta = last_day.map_or(0, |l| day - l) as u32;
                reviews.push(fsrs::FSRSReview {
                    rating: r.as_u8().into(),
                    delta_t: delta,
                });
                last_day = Some(day);
            }
            let reference = fsrs
                .memory_state(fsrs::FSRSItem { reviews }, None)
                .expect("reference");
            assert_eq!(st.stability, Some(reference.stability), "{seq:?}");
            assert_eq!(st.difficulty, Some(reference.difficulty), "{seq:?}");
            if st.phase == Phase::Review {
                // The interval the crate gives for the last answer's rating.
                let prev = run(&s, &answers[..answers.len() - 1]);
                let (r, at) = answers[answers.len() - 1];
                let e = with_ctx(&s, |ctx| elapsed_days(&prev, at, ctx));
                let next = fsrs.next_states(prev.memory(), 0.9, e).expect("next");
                let ivls = review_intervals(&next, e, 0.0, &s);
                let crate_ivl = pick(&next, r).interval.round().max(1.0) as u32;
                assert_eq!(st.interval_days, ivls[r.index()]);
                if r == Rating::Good || r == Rating::Again {
                    assert_eq!(st.interval_days, crate_ivl, "{seq:?}");
                }
            }
        }
    }

    #[test]
    fn exam_policy_caps_due_before_exam() {
        let s = no_fuzz();
        let zone = FixedOffset::east_opt(0).expect("utc");
        let today = zone.day_of(T0, 4);
        let fsrs = s.fsrs().expect("fsrs");
        let params = s.parameters();
        let ctx = Context {
            fsrs: &fsrs,
            parameters: &params,
            settings: &s,
            zone: &zone,
            retention: 0.9,
            fuzz_seed: 1,
            exam: Some(ExamPolicy {
                exam_day: today + 12,
                final_days: 3,
                target: 0.9,
                early_retention: 0.85,
            }),
        };
        let st = apply(&ItemSched::default(), Rating::Easy, T0, &ctx).expect("apply");
        // Easy gives 16 days at the early retention, and recall 12 days out would be below
        // 0.9: the review moves into the final 3 days before the exam.
        assert!((9..=11).contains(&st.interval_days), "{}", st.interval_days);
        // Without the exam: plain FSRS at 0.9 (8 days, no fuzz).
        let plain = Context { exam: None, ..ctx };
        let st = apply(&ItemSched::default(), Rating::Easy, T0, &plain).expect("apply");
        assert_eq!(st.interval_days, 8);
    }
}
