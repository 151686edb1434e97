//! The forecast checked on synthetic learners whose true recall is known.
//!
//! Each simulated learner has their own memory: FSRS-6 with the default parameters, the
//! initial stabilities scaled by a personal factor (log-normal, σ = 0.4), the stability
//! growth `w[8]` shifted (σ = 0.3) and the forgetting-curve decay scaled (log-normal,
//! σ = 0.3). They study a synthetic pool (SCS-C03 weights, [`SimConfig::items_per_domain`]
//! questions per domain of mixed kinds) for [`SimConfig::study_days`] days: a personal
//! engagement level and per-domain coverage decide which items are ever studied; a studied
//! item is first seen on a random day, then reviewed when the app's scheduler (default FSRS,
//! 90 % retention) says so, often late, and sometimes dropped. Each review is a success
//! (Good, sometimes Hard or Easy) with the learner's *true* retrievability, else Again; the true
//! memory state follows the learner's own FSRS, the app's prediction follows the default FSRS
//! fed the same ratings.
//!
//! On exam day, the learner sits a paper drawn from the pool by [`super::draw_paper`]; each
//! question is right with probability `r + (1 − r) · chance` (`r` = true retrievability, or
//! chance alone if never studied), drawn by Bernoulli. The forecast is made from the app's
//! predicted recall (what the real app knows) and, as a reference, from the true recall (an
//! oracle: its error is the paper's sampling noise alone).
//!
//! All FSRS maths comes from the `fsrs` crate (`FSRS::next_states`,
//! `current_retrievability`); nothing here reimplements it. Run with
//! `cargo test --lib simulate -- --nocapture` to print the figures.

use super::Result;
use super::blueprint::{PoolItem, QuestionKind};
use super::forecast::{ForecastItem, chance, forecast};
use super::paper::{PaperSpec, draw_paper};
use super::rng::SplitMix64;
use super::scoring::Scale;
use crate::deck::{ExamBlueprint, ItemKey};
use fsrs::{DEFAULT_PARAMETERS, FSRS, MemoryState, current_retrievability};
use serde::Serialize;
use std::collections::HashMap;

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimConfig {
    /// Number of learners.
    pub learners: usize,
    /// Master seed.
    pub seed: u64,
    /// Questions per blueprint domain in the synthetic pool.
    pub items_per_domain: usize,
    /// Days between the start of studying and the exam.
    pub study_days: u32,
    /// Multiplier of how far learners' memories stray from the default FSRS learner
    /// (1 = the σ values in the module docs; 2 = twice as far).
    pub spread: f64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            learners: 200,
            seed: 2026,
            items_per_domain: 60,
            study_days: 90,
            spread: 1.0,
        }
    }
}

/// The forecast's errors over the simulated learners.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimSummary {
    /// Learners simulated.
    pub learners: usize,
    /// Mean realised exam score, percent.
    pub mean_realised_percent: f64,
    /// Mean absolute error of the forecast (app's predicted recall), percentage points.
    pub mae_percent: f64,
    /// The same, in scaled points.
    pub mae_scaled: f64,
    /// Mean forecast minus realised score (positive = optimistic), percentage points.
    pub bias_percent: f64,
    /// Share of learners whose realised score fell inside the forecast's 80 % band.
    pub band_coverage: f64,
    /// Brier score of the pass probability against pass/fail (0 = perfect, 0.25 = coin).
    pub pass_brier: f64,
    /// Mean absolute error of the oracle forecast (true recall), percentage points.
    pub oracle_mae_percent: f64,
    /// The same, in scaled points.
    pub oracle_mae_scaled: f64,
    /// Mean absolute error of a baseline that forecasts every learner the mean realised
    /// score of all learners (knows the population, not the learner), percentage points.
    pub baseline_mae_percent: f64,
}

impl std::fmt::Display for SimSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} learners, mean realised score {:.1} %\n\
             forecast (app's predicted recall): MAE {:.2} pp = {:.1} scaled points, bias {:+.2} pp, \
             80 % band holds {:.0} %, pass-probability Brier {:.3}\n\
             oracle forecast (true recall):     MAE {:.2} pp = {:.1} scaled points\n\
             baseline (population mean):        MAE {:.2} pp",
            self.learners,
            self.mean_realised_percent,
            self.mae_percent,
            self.mae_scaled,
            self.bias_percent,
            100.0 * self.band_coverage,
            self.pass_brier,
            self.oracle_mae_percent,
            self.oracle_mae_scaled,
            self.baseline_mae_percent
        )
    }
}

/// One item of the synthetic pool.
struct SimItem {
    pool: PoolItem,
    chance: f64,
}

fn synthetic_pool(blueprint: &ExamBlueprint, per_domain: usize) -> Vec<SimItem> {
    let mut v = Vec::new();
    for d in &blueprint.domains {
        for i in 0..per_domain {
            // 60 % single (4), 20 % multiple (2 of 5), 5 % true/false, 10 % order (4), 5 % match (4).
            let (kind, options, select) = match i % 20 {
                0..=11 => (QuestionKind::Single, 4, 1),
                12..=15 => (QuestionKind::Multiple, 5, 2),
                16 => (QuestionKind::TrueFalse, 0, 1),
                17 | 18 => (QuestionKind::Order, 4, 0),
                _ => (QuestionKind::Match, 4, 0),
            };
            v.push(SimItem {
                pool: PoolItem {
                    key: ItemKey {
                        deck: format!("sim/{}", d.id),
                        card: format!("q{i}"),
                        ord: 0,
                    },
                    domain: d.id.clone(),
                    kind,
                    options,
                },
                chance: chance(kind, options, select),
            });
        }
    }
    v
}

/// A learner's own memory model.
struct Learner {
    fsrs: FSRS,
    decay: f32,
    engagement: f64,
}

fn learner(rng: &mut SplitMix64, spread: f64) -> Learner {
    let mut w = DEFAULT_PARAMETERS;
    let init = (0.4 * spread * rng.normal()).exp() as f32;
    for x in w.iter_mut().take(4) {
        *x *= init;
    }
    w[8] = (w[8] + (0.3 * spread * rng.normal()) as f32).clamp(0.0, 4.5);
    w[20] = (w[20] * (0.3 * spread * rng.normal()).exp() as f32).clamp(0.1, 0.8);
    let fsrs = FSRS::new(&w).unwrap_or_default();
    Learner {
        fsrs,
        decay: w[20],
        engagement: 0.2 + 0.8 * rng.next_f64(),
    }
}

/// Recall on exam day of one item: (true, predicted by the default model), `None` if never
/// studied.
fn study_item(me: &Learner, app: &FSRS, rng: &mut SplitMix64, days: u32) -> Option<(f64, f64)> {
    let mut day = rng.below(days as usize) as u32;
    let mut last;
    let mut truth: Option<MemoryState> = None;
    let mut model: Option<MemoryState> = None;
    let mut elapsed = 0u32;
    loop {
        let true_states = me.fsrs.next_states(truth, 0.9, elapsed).ok()?;
        let app_states = app.next_states(model, 0.9, elapsed).ok()?;
        let p_recall = match truth {
            None => 0.75, // first sight of a question: sometimes already known
            Some(s) => current_retrievability(s, elapsed as f32, me.decay) as f64,
        };
        let u = rng.next_f64();
        let rating = if rng.next_f64() < p_recall {
            if u < 0.15 {
                2
            } else if u < 0.9 {
                3
            } else {
                4
            }
        } else {
            1
        };
        let pick = |n: &fsrs::NextStates| match rating {
            1 => n.again.clone(),
            2 => n.hard.clone(),
            3 => n.good.clone(),
            _ => n.easy.clone(),
        };
        truth = Some(pick(&true_states).memory);
        let next = pick(&app_states);
        model = Some(next.memory);
        last = day;
        // The app schedules the next review; the learner is often late, sometimes stops.
        let late = 1.0 + 0.6 * rng.next_f64();
        let interval = (next.interval as f64 * late).round().max(1.0) as u32;
        if rng.next_f64() < 0.08 || day + interval >= days {
            break;
        }
        day += interval;
        elapsed = interval;
    }
    let gap = (days - last) as f32;
    let t = current_retrievability(truth?, gap, me.decay) as f64;
    let p = current_retrievability(model?, gap, fsrs::FSRS6_DEFAULT_DECAY) as f64;
    Some((t, p))
}

/// Simulates `config.learners` learners for `blueprint` and compares forecasts with their
/// realised scores (see the module docs).
pub fn run(config: &SimConfig, blueprint: &ExamBlueprint) -> Result<SimSummary> {
    let pool = synthetic_pool(blueprint, config.items_per_domain);
    let pool_items: Vec<PoolItem> = pool.iter().map(|i| i.pool.clone()).collect();
    let app = FSRS::default();
    let scale = Scale::of(blueprint);
    let q = blueprint.questions as usize;
    let mut rng = SplitMix64::new(config.seed);
    let (mut realised_sum, mut abs, mut abs_scaled, mut bias) = (0.0, 0.0, 0.0, 0.0);
    let (mut inside, mut brier, mut o_abs, mut o_abs_scaled) = (0usize, 0.0, 0.0, 0.0);
    let days = config.study_days.max(2);
    let mut realised_all = Vec::with_capacity(config.learners);
    for l in 0..config.learners {
        let me = learner(&mut rng, config.spread);
        let coverage: HashMap<&str, f64> = blueprint
            .domains
            .iter()
            .map(|d| {
                let c = (me.engagement + 0.2 * rng.normal()).clamp(0.0, 1.0);
                (d.id.as_str(), c)
            })
            .collect();
        let mut recall: HashMap<&ItemKey, (f64, f64)> = HashMap::new();
        for item in &pool {
            let c = coverage
                .get(item.pool.domain.as_str())
                .copied()
                .unwrap_or(0.0);
            if rng.next_f64() < c
                && let Some(r) = study_item(&me, &app, &mut rng, days)
            {
                recall.insert(&item.pool.key, r);
            }
        }
        // The exam.
        let spec = PaperSpec {
            questions: q,
            domain: None,
            seed: config.seed ^ (l as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        };
        let paper = draw_paper(&pool_items, blueprint, &spec, &|_| 1.0)?;
        let by_key: HashMap<&ItemKey, &SimItem> = pool.iter().map(|i| (&i.pool.key, i)).collect();
        let mut correct = 0usize;
        for question in &paper.questions {
            let c = by_key.get(&question.key).map_or(0.0, |i| i.chance);
            let p = match recall.get(&question.key) {
                Some((t, _)) => t + (1.0 - t) * c,
                None => c,
            };
            if rng.next_f64() < p {
                correct += 1;
            }
        }
        let n = paper.questions.len().max(1) as f64;
        let realised = correct as f64 / n;
        let items = |oracle: bool| -> Vec<ForecastItem> {
            pool.iter()
                .map(|i| ForecastItem {
                    domain: i.pool.domain.clone(),
                    kind: i.pool.kind,
                    chance: i.chance,
                    recall: recall
                        .get(&i.pool.key)
                        .map(|(t, p)| if oracle { *t } else { *p }),
                })
                .collect()
        };
        let f = forecast(blueprint, &items(false));
        let o = forecast(blueprint, &items(true));
        let realised_scaled = scale.scaled(realised) as f64;
        realised_sum += 100.0 * realised;
        realised_all.push(100.0 * realised);
        abs += (f.expected_percent - 100.0 * realised).abs();
        abs_scaled += (f.expected_scaled as f64 - realised_scaled).abs();
        bias += f.expected_percent - 100.0 * realised;
        if (f.low..=f.high).contains(&(100.0 * realised)) {
            inside += 1;
        }
        let passed = if scale.passes(realised) { 1.0 } else { 0.0 };
        brier += (f.pass_probability - passed).powi(2);
        o_abs += (o.expected_percent - 100.0 * realised).abs();
        o_abs_scaled += (o.expected_scaled as f64 - realised_scaled).abs();
    }
    let k = config.learners.max(1) as f64;
    let mean = realised_sum / k;
    let baseline = realised_all.iter().map(|r| (r - mean).abs()).sum::<f64>() / k;
    Ok(SimSummary {
        learners: config.learners,
        mean_realised_percent: realised_sum / k,
        mae_percent: abs / k,
        mae_scaled: abs_scaled / k,
        bias_percent: bias / k,
        band_coverage: inside as f64 / k,
        pass_brier: brier / k,
        oracle_mae_percent: o_abs / k,
        oracle_mae_scaled: o_abs_scaled / k,
        baseline_mae_percent: baseline,
    })
}

#[cfg(test)]
mod tests {
    use super::super::blueprint::testutil::scs_c03;
    use super::*;

    #[test]
    fn forecast_on_simulated_learners() {
        let s = run(&SimConfig::default(), &scs_c03()).expect("simulation runs");
        println!("forecast simulation (SCS-C03, 65 questions):\n{s}");
        let wide = SimConfig {
            spread: 2.0,
            ..SimConfig::default()
        };
        let w = run(&wide, &scs_c03()).expect("simulation runs");
        println!("learners twice as far from the default FSRS learner:\n{w}");
        assert!(w.mae_percent < 10.0, "MAE {:.2} pp", w.mae_percent);
        // Loose sanity bounds: a broken forecast (e.g. ignoring recall, or chance levels
        // wrong) lands far outside them.
        assert!(s.mae_percent < 10.0, "MAE {:.2} pp", s.mae_percent);
        // The forecast knows the learner: it beats guessing the population mean by far.
        assert!(
            s.mae_percent < 0.6 * s.baseline_mae_percent,
            "{:.2} vs baseline {:.2}",
            s.mae_percent,
            s.baseline_mae_percent
        );
        assert!(s.mae_scaled < 100.0, "MAE {:.1} scaled", s.mae_scaled);
        assert!(
            s.oracle_mae_percent < 8.0,
            "oracle MAE {:.2}",
            s.oracle_mae_percent
        );
        // The run is deterministic, so the bias bound can be tight: forgetting the guessing
        // term `(1 − r) · chance` alone moves it to −1.9 points.
        assert!(s.bias_percent.abs() < 1.5, "bias {:.2}", s.bias_percent);
        assert!(w.bias_percent.abs() < 1.5, "bias {:.2}", w.bias_percent);
        assert!(
            s.band_coverage > 0.6 && s.band_coverage < 0.97,
            "band {:.2}",
            s.band_coverage
        );
        assert!(s.pass_brier < 0.2, "Brier {:.3}", s.pass_brier);
        // The learners differ: scores spread over a wide range, not all at chance.
        assert!(s.mean_realised_percent > 35.0 && s.mean_realised_percent < 90.0);
    }

    #[test]
    fn simulation_is_deterministic() {
        let c = SimConfig {
            learners: 10,
            ..SimConfig::default()
        };
        let a = run(&c, &scs_c03()).expect("runs");
        let b = run(&c, &scs_c03()).expect("runs");
        assert_eq!(a, b);
    }
}
