//! The readiness forecast: the expected exam score from each item's predicted recall.
//!
//! # Model
//! For each question item, the probability of answering it right on exam day is
//!
//! ```text
//! p = c                    never studied (recall None): the chance level c of its kind
//! p = r + (1 − r) · c      studied, predicted recall r: recalled, or forgotten and guessed
//! ```
//!
//! (see [`chance_level`]). A domain's expected fraction `m_d` is the mean `p` of its items;
//! a domain with no items at all counts at the mean chance level of the pool (0.25 if the pool
//! is empty), since the learner has nothing to study for it.
//!
//! The exam is a paper of `Q = blueprint.questions` questions with `n_d` per domain by
//! [`super::quotas`]. The expected fraction is `E = Σ n_d m_d / Q`. Its uncertainty has two
//! parts: (1) the paper itself: each question is a Bernoulli draw, variance
//! `Σ n_d m_d (1 − m_d) / Q²` (each question's success probability, marginalised over which
//! item is drawn, is `m_d`); (2) the model: recall predictions are off for a given learner
//! (their memory is not the default FSRS learner's, and the real exam's questions are not
//! the decks'), modelled as an extra standard deviation [`MODEL_SD`] of the fraction. In the
//! simulation of [`super::simulate`] the memory-model part of that error turns out small
//! (the MAE of the forecast from the default FSRS model is within a quarter of a point of an
//! oracle's that knows the true recall) and the 80 % band holds 86–91 % of outcomes; the margin is
//! kept on purpose for what the simulation cannot model: the real exam's questions are not
//! the decks' questions. The band `low..high` is `E ± 1.2816 σ` (80 %, normal approximation), and the pass
//! probability is `P(X ≥ ⌈pass_fraction · Q⌉)` for `X ~ Normal(E·Q, σ·Q)` with a continuity
//! correction.

use super::blueprint::{QuestionKind, quotas};
use super::scoring::Scale;
use crate::deck::{Card, CardBody, ExamBlueprint};
use serde::{Deserialize, Serialize};

/// Model uncertainty: standard deviation of the predicted fraction correct beyond the
/// sampling of the paper (0.04 = 4 percentage points). A judgement, not a fit: see the
/// module docs.
pub const MODEL_SD: f64 = 0.04;

/// z for a central 80 % interval of the normal distribution.
const Z80: f64 = 1.281_551_565_545;

/// The chance of answering a question right by guessing uniformly:
/// single `1/n`, multiple `1/C(n, k)`, true/false `1/2`, order `1/n!`, match `1/n!`.
/// 0 for flashcards (not questions) and for questions without options.
pub fn chance_level(card: &Card) -> f64 {
    match &card.body {
        CardBody::Single { choices } => chance(QuestionKind::Single, choices.len(), 1),
        CardBody::Multiple { choices, select } => {
            chance(QuestionKind::Multiple, choices.len(), *select)
        }
        CardBody::TrueFalse { .. } => chance(QuestionKind::TrueFalse, 2, 1),
        CardBody::Order { steps } => chance(QuestionKind::Order, steps.len(), 0),
        CardBody::Match { pairs } => chance(QuestionKind::Match, pairs.len(), 0),
        CardBody::Basic { .. } | CardBody::Cloze { .. } => 0.0,
    }
}

/// [`chance_level`] from a kind, its number of options `n` and (multiple) how many to select.
///
/// ```
/// use examdeck::exam::{QuestionKind, forecast::chance};
/// assert_eq!(chance(QuestionKind::Single, 4, 1), 0.25);
/// assert_eq!(chance(QuestionKind::Multiple, 5, 2), 0.1); // 1 / C(5, 2)
/// assert_eq!(chance(QuestionKind::Order, 3, 0), 1.0 / 6.0); // 1 / 3!
/// ```
pub fn chance(kind: QuestionKind, n: usize, select: usize) -> f64 {
    match kind {
        QuestionKind::TrueFalse => 0.5,
        _ if n == 0 => 0.0,
        QuestionKind::Single => 1.0 / n as f64,
        QuestionKind::Multiple => {
            let k = select.min(n);
            // C(n, k) as f64, exact for the sizes of real questions.
            let c = (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64);
            1.0 / c
        }
        QuestionKind::Order | QuestionKind::Match => {
            1.0 / (1..=n).fold(1.0, |acc, i| acc * i as f64)
        }
    }
}

/// What the forecast needs to know about one question item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastItem {
    /// The blueprint domain it counts for.
    pub domain: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// Its chance level (see [`chance_level`]).
    pub chance: f64,
    /// Predicted recall on exam day (0..1), `None` if never studied.
    pub recall: Option<f64>,
}

impl ForecastItem {
    /// The item for a card, `None` for flashcards.
    pub fn new(domain: &str, card: &Card, recall: Option<f64>) -> Option<ForecastItem> {
        Some(ForecastItem {
            domain: domain.to_string(),
            kind: QuestionKind::of(&card.body)?,
            chance: chance_level(card),
            recall,
        })
    }

    /// Probability of answering it right (see the module docs).
    pub fn p_correct(&self) -> f64 {
        let c = clamp01(self.chance);
        match self.recall.filter(|r| r.is_finite()) {
            None => c,
            Some(r) => {
                let r = r.clamp(0.0, 1.0);
                r + (1.0 - r) * c
            }
        }
    }
}

fn clamp01(x: f64) -> f64 {
    if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The forecast of one domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainForecast {
    /// Domain id.
    pub domain: String,
    /// Domain title.
    pub title: String,
    /// Blueprint weight (percent of the exam).
    pub weight: f64,
    /// Expected percent correct in this domain.
    pub expected: f64,
    /// Question items serving it.
    pub items: usize,
    /// Of those, items studied at least once.
    pub studied: usize,
    /// Questions it gets on a full paper.
    pub questions: usize,
}

/// The forecast of an exam score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The blueprint's id.
    pub exam: String,
    /// Expected percent correct.
    pub expected_percent: f64,
    /// Expected scaled score (see [`super::scoring`]: an estimate).
    pub expected_scaled: u32,
    /// Lower end of the 80 % band, percent.
    pub low: f64,
    /// Upper end of the 80 % band, percent.
    pub high: f64,
    /// Lower end of the band, scaled.
    pub low_scaled: u32,
    /// Upper end of the band, scaled.
    pub high_scaled: u32,
    /// Standard deviation of the score, percentage points.
    pub sd: f64,
    /// Probability of passing (0..1).
    pub pass_probability: f64,
    /// Questions on the modelled paper (`blueprint.questions`).
    pub questions: usize,
    /// Per domain, in blueprint order.
    pub per_domain: Vec<DomainForecast>,
}

/// Forecasts the score on `blueprint` from its question items (see the module docs).
/// Items of domains not in the blueprint are ignored.
pub fn forecast(blueprint: &ExamBlueprint, items: &[ForecastItem]) -> Forecast {
    let q = (blueprint.questions as usize).max(1);
    let counts = quotas(blueprint, q);
    let known: Vec<&ForecastItem> = items
        .iter()
        .filter(|i| blueprint.domains.iter().any(|d| d.id == i.domain))
        .collect();
    let fallback = if known.is_empty() {
        0.25
    } else {
        known.iter().map(|i| clamp01(i.chance)).sum::<f64>() / known.len() as f64
    };
    let mut mean = 0.0;
    let mut var_count = 0.0;
    let mut per_domain = Vec::with_capacity(blueprint.domains.len());
    for (d, (_, n_d)) in blueprint.domains.iter().zip(&counts) {
        let mine: Vec<&&ForecastItem> = known.iter().filter(|i| i.domain == d.id).collect();
        let m = if mine.is_empty() {
            fallback
        } else {
            mine.iter().map(|i| i.p_correct()).sum::<f64>() / mine.len() as f64
        };
        mean += *n_d as f64 * m;
        var_count += *n_d as f64 * m * (1.0 - m);
        per_domain.push(DomainForecast {
            domain: d.id.clone(),
            title: d.title.clone(),
            weight: d.weight,
            expected: 100.0 * m,
            items: mine.len(),
            studied: mine.iter().filter(|i| i.recall.is_some()).count(),
            questions: *n_d,
        });
    }
    let qf = q as f64;
    let e = mean / qf;
    let sd = (var_count / (qf * qf) + MODEL_SD * MODEL_SD).sqrt();
    let scale = Scale::of(blueprint);
    let low = (e - Z80 * sd).clamp(0.0, 1.0);
    let high = (e + Z80 * sd).clamp(0.0, 1.0);
    let needed = (scale.pass_fraction * qf - 1e-9).ceil();
    let pass_probability = if sd > 0.0 {
        1.0 - normal_cdf((needed - 0.5 - e * qf) / (sd * qf))
    } else if e * qf >= needed {
        1.0
    } else {
        0.0
    };
    Forecast {
        exam: blueprint.id.clone(),
        expected_percent: 100.0 * e,
        expected_scaled: scale.scaled(e),
        low: 100.0 * low,
        high: 100.0 * high,
        low_scaled: scale.scaled(low),
        high_scaled: scale.scaled(high),
        sd: 100.0 * sd,
        pass_probability: pass_probability.clamp(0.0, 1.0),
        questions: q,
        per_domain,
    }
}

/// The `n` weakest domains that have questions to study: lowest expected percent first
/// (ties: the heavier domain first). Domains of zero weight are left out.
pub fn weakest_domains(forecast: &Forecast, n: usize) -> Vec<&DomainForecast> {
    let mut v: Vec<&DomainForecast> = forecast
        .per_domain
        .iter()
        .filter(|d| d.items > 0 && d.weight > 0.0)
        .collect();
    v.sort_by(|a, b| {
        a.expected
            .total_cmp(&b.expected)
            .then(b.weight.total_cmp(&a.weight))
    });
    v.truncate(n);
    v
}

/// The standard normal CDF, from `erfc` (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7).
pub(crate) fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::super::blueprint::testutil::blueprint;
    use super::super::response::testutil::*;
    use super::*;

    fn item(domain: &str, chance: f64, recall: Option<f64>) -> ForecastItem {
        ForecastItem {
            domain: domain.into(),
            kind: QuestionKind::Single,
            chance,
            recall,
        }
    }

    #[test]
    fn chance_levels() {
        assert_eq!(chance_level(&single("a", 4, 0)), 0.25);
        // C(5, 2) = 10.
        assert!(
            (chance_level(&multiple("b", &[true, true, false, false, false])) - 0.1).abs() < 1e-12
        );
        assert_eq!(chance_level(&truefalse("c", true)), 0.5);
        // 4! = 24.
        assert!((chance_level(&order("d", 4)) - 1.0 / 24.0).abs() < 1e-12);
        assert!((chance_level(&matching("e", 3)) - 1.0 / 6.0).abs() < 1e-12);
        let basic = card("f", CardBody::Basic { answer: "x".into() });
        assert_eq!(chance_level(&basic), 0.0);
        assert!(ForecastItem::new("a", &basic, None).is_none());
    }

    #[test]
    fn normal_cdf_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.281_551_565_545) - 0.9).abs() < 1e-6);
        assert!((normal_cdf(-1.959_963_985) - 0.025).abs() < 1e-6);
    }

    #[test]
    fn hand_computed_forecast() {
        // 10 questions: a 60 % → 6, b 40 % → 4.
        let bp = blueprint("x", 10, &[("a", 60.0), ("b", 40.0)]);
        let items = vec![
            item("a", 0.25, Some(1.0)),   // p = 1
            item("a", 0.25, Some(0.6)),   // p = 0.6 + 0.4 · 0.25 = 0.7
            item("b", 0.25, None),        // p = 0.25
            item("b", 0.5, Some(0.5)),    // p = 0.5 + 0.5 · 0.5 = 0.75
            item("zzz", 0.25, Some(1.0)), // not in the blueprint: ignored
        ];
        let f = forecast(&bp, &items);
        // m_a = 0.85, m_b = 0.5 → E = (6 · 0.85 + 4 · 0.5) / 10 = 0.71.
        assert!(
            (f.expected_percent - 71.0).abs() < 1e-9,
            "{}",
            f.expected_percent
        );
        // Var = (6 · 0.85 · 0.15 + 4 · 0.25) / 100 + 0.04² = 0.01765 + 0.0016 = 0.01925.
        let sd = 0.01925f64.sqrt();
        assert!((f.sd - 100.0 * sd).abs() < 1e-9);
        assert!((f.low - 100.0 * (0.71 - Z80 * sd)).abs() < 1e-9);
        assert!((f.high - 100.0 * (0.71 + Z80 * sd)).abs() < 1e-9);
        // Pass needs ⌈7.2⌉ = 8 of 10: P(N(7.1, 1.387) ≥ 7.5).
        let want = 1.0 - normal_cdf((7.5 - 7.1) / (10.0 * sd));
        assert!((f.pass_probability - want).abs() < 1e-9);
        assert_eq!(f.per_domain[0].items, 2);
        assert_eq!(f.per_domain[1].studied, 1);
        assert!((f.per_domain[1].expected - 50.0).abs() < 1e-9);
        assert_eq!(f.questions, 10);
        // 0.71 < 0.72: 100 + 650 · 0.71 / 0.72 = 740.97 → 741.
        assert_eq!(f.expected_scaled, 741);
        assert_eq!(weakest_domains(&f, 1)[0].domain, "b");
    }

    #[test]
    fn nothing_studied_is_chance_and_all_known_passes() {
        let bp = blueprint("x", 65, &[("a", 50.0), ("b", 50.0)]);
        let none: Vec<ForecastItem> = (0..20)
            .map(|i| item(if i % 2 == 0 { "a" } else { "b" }, 0.25, None))
            .collect();
        let f = forecast(&bp, &none);
        assert!((f.expected_percent - 25.0).abs() < 1e-9);
        assert!(f.pass_probability < 1e-6);
        let all: Vec<ForecastItem> = (0..20)
            .map(|i| item(if i % 2 == 0 { "a" } else { "b" }, 0.25, Some(0.98)))
            .collect();
        let f = forecast(&bp, &all);
        assert!(f.pass_probability > 0.99, "{}", f.pass_probability);
        assert!(f.low < f.expected_percent && f.expected_percent < f.high);
        assert!(f.high <= 100.0);
    }

    #[test]
    fn empty_domain_counts_at_pool_chance() {
        let bp = blueprint("x", 10, &[("a", 50.0), ("b", 50.0)]);
        let f = forecast(&bp, &[item("a", 0.5, Some(1.0))]);
        // a: 1.0; b (no items): mean chance 0.5 → 75 %.
        assert!((f.expected_percent - 75.0).abs() < 1e-9);
        assert_eq!(weakest_domains(&f, 5).len(), 1, "b has nothing to study");
    }
}
