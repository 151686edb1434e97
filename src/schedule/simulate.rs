//! Exam-date simulation: a learner whose memory follows the `fsrs` crate's model studies a set
//! of items until an exam, once with plain FSRS at 0.9 and once with exam-date mode. Both
//! introduce the items at the same pace; we compare reviews done and the average predicted
//! recall of all items on exam day.
//!
//! The learner recalls an item with the probability FSRS predicts (default parameters) and
//! answers Good (or Hard/Easy now and then) when recalled, Again when not. Randomness comes
//! from a seeded generator, so a run repeats exactly.

use super::answer::{Context, ItemSched, apply};
use super::exam::ExamPolicy;
use super::{DAY_MS, Phase, Rating, Settings, Zone, fuzz, recall};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::Serialize;

/// What to simulate.
#[derive(Debug, Clone, Copy)]
pub struct SimConfig {
    /// Items to learn.
    pub items: usize,
    /// Days from the first study day to the exam.
    pub days: i64,
    /// Random seed.
    pub seed: u64,
}

/// The outcome of one policy.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct SimResult {
    /// Scheduling answers given (learning steps included).
    pub reviews: u64,
    /// Average predicted recall of all items at the start of exam day.
    pub mean_recall_on_exam_day: f64,
    /// Share of items with predicted recall ≥ 0.9 on exam day.
    pub share_above_target: f64,
    /// New items introduced per day.
    pub new_per_day: u32,
}

/// Both policies on the same learner.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct SimReport {
    /// Plain FSRS, desired retention 0.9.
    pub plain: SimResult,
    /// Exam-date mode.
    pub exam_mode: SimResult,
}

/// Runs both policies.
pub fn compare(cfg: SimConfig) -> Result<SimReport, fsrs::FSRSError> {
    let settings = Settings::default();
    Ok(SimReport {
        plain: run(cfg, &settings, false)?,
        exam_mode: run(cfg, &settings, true)?,
    })
}

/// Runs one policy.
pub fn run(
    cfg: SimConfig,
    settings: &Settings,
    exam_mode: bool,
) -> Result<SimResult, fsrs::FSRSError> {
    let zone = chrono::Utc;
    let hour = settings.day_start_hour;
    let fsrs = settings.fsrs().map_err(|_| fsrs::FSRSError::InvalidInput)?;
    let params = settings.parameters();
    let day0: i64 = 739_000; // an arbitrary scheduler day
    let exam_day = day0 + cfg.days;
    let policy = ExamPolicy {
        exam_day,
        final_days: settings.exam_final_days.max(1),
        target: settings.exam_target_recall,
        early_retention: settings.exam_early_retention,
    };
    let pace = policy.new_pace(day0, u32::try_from(cfg.items).unwrap_or(u32::MAX), 1);
    let mut rng = StdRng::seed_from_u64(cfg.seed);
    let mut items: Vec<ItemSched> = vec![ItemSched::default(); cfg.items];
    let mut introduced = 0usize;
    let mut reviews = 0u64;
    let exam_start = zone.day_start(exam_day, hour);
    let final_start = zone.day_start(policy.final_start(), hour);

    for day in day0..exam_day {
        let session = zone.day_start(day, hour) + 6 * 3_600_000; // 10:00
        let end = session + 12 * 3_600_000;
        let mut new_today = 0;
        let mut t = session;
        loop {
            // Next item: learning due, then due reviews (and final-days top-ups), then new.
            let learning = (0..introduced)
                .filter(|&i| items[i].phase.is_learning())
                .min_by_key(|&i| items[i].due_ms.unwrap_or(i64::MAX));
            let review = || {
                (0..introduced).find(|&i| {
                    let it = &items[i];
                    it.phase == Phase::Review
                        && (it.due_ms.is_some_and(|d| d <= t)
                            || exam_mode
                                && policy.in_final_days(day)
                                && policy.needs_top_up(
                                    it.last_review_ms.unwrap_or(t),
                                    it.stability.unwrap_or(0.0),
                                    final_start,
                                    exam_start,
                                    &params,
                                ))
                })
            };
            let pick = match learning {
                Some(i) if items[i].due_ms.unwrap_or(i64::MAX) <= t => Some(i),
                _ => review().or_else(|| {
                    (new_today < pace && introduced < cfg.items).then(|| {
                        new_today += 1;
                        introduced += 1;
                        introduced - 1
                    })
                }),
            };
            let i = match (pick, learning) {
                (Some(i), _) => i,
                (None, Some(l)) if items[l].due_ms.unwrap_or(i64::MAX) < end => {
                    t = items[l].due_ms.unwrap_or(t).max(t);
                    continue;
                }
                _ => break,
            };
            let it = &items[i];
            let rating = match it.last_review_ms {
                None => Rating::Again, // first sight of a new item: not known yet
                Some(last) => {
                    let p = match it.stability {
                        Some(s) => recall(s, (t - last) as f64 / DAY_MS as f64, &params),
                        None => 0.0,
                    };
                    if rng.random::<f64>() < p {
                        match rng.random::<f64>() {
                            x if x < 0.1 => Rating::Hard,
                            x if x < 0.95 => Rating::Good,
                            _ => Rating::Easy,
                        }
                    } else {
                        Rating::Again
                    }
                }
            };
            let ctx = Context {
                fsrs: &fsrs,
                parameters: &params,
                settings,
                zone: &zone,
                retention: 0.9,
                fuzz_seed: fuzz::seed("sim", "item", u16::try_from(i % 65_536).unwrap_or(0))
                    ^ i as u64,
                exam: exam_mode.then_some(policy),
            };
            items[i] = apply(&items[i], rating, t, &ctx)?;
            reviews += 1;
            t += 20_000; // 20 s per answer
        }
    }
    let recalls: Vec<f64> = items
        .iter()
        .map(|it| match (it.stability, it.last_review_ms) {
            (Some(s), Some(last)) => recall(s, (exam_start - last) as f64 / DAY_MS as f64, &params),
            _ => 0.0,
        })
        .collect();
    let n = recalls.len().max(1) as f64;
    Ok(SimResult {
        reviews,
        mean_recall_on_exam_day: recalls.iter().sum::<f64>() / n,
        share_above_target: recalls.iter().filter(|&&r| r >= 0.9).count() as f64 / n,
        new_per_day: pace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exam-date simulation of issue 3: at no more reviews than plain FSRS at 0.9, a
    /// higher average predicted recall on exam day. Prints both figures.
    #[test]
    fn exam_mode_beats_plain_fsrs_on_exam_day() {
        let mut plain = (0u64, 0.0f64);
        let mut exam = (0u64, 0.0f64);
        for seed in 0..3 {
            let r = compare(SimConfig {
                items: 400,
                days: 45,
                seed,
            })
            .expect("simulation");
            println!("seed {seed}: {r:?}");
            plain.0 += r.plain.reviews;
            plain.1 += r.plain.mean_recall_on_exam_day / 3.0;
            exam.0 += r.exam_mode.reviews;
            exam.1 += r.exam_mode.mean_recall_on_exam_day / 3.0;
        }
        println!(
            "plain FSRS 0.9: {} reviews, mean recall {:.4}",
            plain.0, plain.1
        );
        println!(
            "exam-date mode: {} reviews, mean recall {:.4}",
            exam.0, exam.1
        );
        assert!(
            exam.1 > plain.1,
            "exam mode recall {} <= plain {}",
            exam.1,
            plain.1
        );
        assert!(
            exam.0 <= plain.0,
            "exam mode used more reviews: {} > {}",
            exam.0,
            plain.0
        );
    }
}

#[cfg(test)]
mod large {
    use super::*;

    /// A larger run for the report: `cargo test --lib simulate::large -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn exam_mode_simulation_large() {
        for (items, days) in [(1000, 60), (2000, 90)] {
            let (mut p, mut e) = ((0u64, 0.0f64, 0.0f64), (0u64, 0.0f64, 0.0f64));
            for seed in 0..5 {
                let r = compare(SimConfig { items, days, seed }).expect("simulation");
                p.0 += r.plain.reviews;
                p.1 += r.plain.mean_recall_on_exam_day / 5.0;
                p.2 += r.plain.share_above_target / 5.0;
                e.0 += r.exam_mode.reviews;
                e.1 += r.exam_mode.mean_recall_on_exam_day / 5.0;
                e.2 += r.exam_mode.share_above_target / 5.0;
            }
            println!(
                "{items} items, {days} days, 5 seeds: plain FSRS 0.9: {} reviews, mean recall {:.4}, \
                 {:.1}% ≥ 0.9 | exam mode: {} reviews, mean recall {:.4}, {:.1}% ≥ 0.9",
                p.0,
                p.1,
                p.2 * 100.0,
                e.0,
                e.1,
                e.2 * 100.0
            );
        }
    }
}
