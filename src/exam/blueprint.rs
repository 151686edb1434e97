//! Which cards serve an exam blueprint, for which domain, and how many questions each domain
//! gets on a paper.
//!
//! A card serves exam `E`'s domain `D` when its deck's `exam` is `E` and its domain is `D`, or
//! when `D` lists `<deck exam>/<card domain>` in `covers` (how a retired exam reuses the
//! current exam's decks).

use super::{ExamError, Result};
use crate::deck::{CardBody, ExamBlueprint, ItemKey, Library};
use serde::{Deserialize, Serialize};

/// The kinds of exam-style questions (cards graded automatically).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// One correct choice.
    Single,
    /// Choose N, all-or-nothing.
    Multiple,
    /// True or false.
    TrueFalse,
    /// Put steps in order.
    Order,
    /// Match left to right.
    Match,
}

impl QuestionKind {
    /// The kind of a card body, `None` for flashcards (basic, cloze).
    pub fn of(body: &CardBody) -> Option<QuestionKind> {
        match body {
            CardBody::Single { .. } => Some(QuestionKind::Single),
            CardBody::Multiple { .. } => Some(QuestionKind::Multiple),
            CardBody::TrueFalse { .. } => Some(QuestionKind::TrueFalse),
            CardBody::Order { .. } => Some(QuestionKind::Order),
            CardBody::Match { .. } => Some(QuestionKind::Match),
            CardBody::Basic { .. } | CardBody::Cloze { .. } => None,
        }
    }

    /// The kind's name as written in deck files (`single`, `truefalse`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "truefalse",
            QuestionKind::Order => "order",
            QuestionKind::Match => "match",
        }
    }
}

impl std::fmt::Display for QuestionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Number of things a question shows in shuffled order: choices (single, multiple), steps
/// (order), right-hand sides (match); 0 for true/false.
pub fn option_count(body: &CardBody) -> usize {
    match body {
        CardBody::Single { choices } | CardBody::Multiple { choices, .. } => choices.len(),
        CardBody::Order { steps } => steps.len(),
        CardBody::Match { pairs } => pairs.len(),
        CardBody::TrueFalse { .. } | CardBody::Basic { .. } | CardBody::Cloze { .. } => 0,
    }
}

/// A question that can be put on a paper of one exam.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolItem {
    /// The card.
    pub key: ItemKey,
    /// The blueprint domain it counts for (an id of the exam's domains).
    pub domain: String,
    /// The question's kind.
    pub kind: QuestionKind,
    /// How many options it shows shuffled (see [`option_count`]).
    pub options: usize,
}

/// The domain of `blueprint` a card counts for, given its deck's exam and its own domain.
///
/// Direct membership wins; otherwise the first domain (in blueprint order) whose `covers`
/// lists `<deck exam>/<card domain>`.
pub fn card_domain<'b>(
    blueprint: &'b ExamBlueprint,
    deck_exam: Option<&str>,
    domain: Option<&str>,
) -> Option<&'b str> {
    let (exam, domain) = (deck_exam?, domain?);
    if exam == blueprint.id {
        return blueprint
            .domains
            .iter()
            .find(|d| d.id == domain)
            .map(|d| d.id.as_str());
    }
    let wanted = format!("{exam}/{domain}");
    blueprint
        .domains
        .iter()
        .find(|d| d.covers.contains(&wanted))
        .map(|d| d.id.as_str())
}

/// Every exam-style question serving exam `exam_id`, sorted by key.
///
/// Flashcards (basic, cloze) never appear. Fails only if no blueprint has that id; an exam
/// without questions gives an empty pool.
pub fn exam_pool(library: &Library, exam_id: &str) -> Result<Vec<PoolItem>> {
    let blueprint = library
        .exam(exam_id)
        .ok_or_else(|| ExamError::UnknownExam(exam_id.to_string()))?;
    let mut pool: Vec<PoolItem> = library
        .items()
        .filter_map(|(key, deck, card)| {
            let kind = QuestionKind::of(&card.body)?;
            let domain = card_domain(blueprint, deck.exam.as_deref(), card.domain.as_deref())?;
            Some(PoolItem {
                key,
                domain: domain.to_string(),
                kind,
                options: option_count(&card.body),
            })
        })
        .collect();
    pool.sort_by(|a, b| a.key.cmp(&b.key));
    pool.dedup_by(|a, b| a.key == b.key);
    Ok(pool)
}

/// Per-domain question counts for a paper of `n` questions, in blueprint order, by the
/// largest-remainder method: each domain gets `floor(n * weight / total weight)`, and the
/// questions left over go to the largest remainders (ties: larger weight, then blueprint
/// order). Every count is therefore within ±1 of the exact share (strictly less than 1 away).
/// Domains with a non-positive or non-finite weight get none; if no weight is positive, the
/// questions are spread evenly.
pub fn quotas(blueprint: &ExamBlueprint, n: usize) -> Vec<(String, usize)> {
    let weights: Vec<f64> = blueprint.domains.iter().map(|d| d.weight).collect();
    largest_remainder(&weights, n)
        .into_iter()
        .zip(&blueprint.domains)
        .map(|(q, d)| (d.id.clone(), q))
        .collect()
}

/// Largest-remainder apportionment of `n` among `weights` (see [`quotas`]).
fn largest_remainder(weights: &[f64], n: usize) -> Vec<usize> {
    if weights.is_empty() {
        return Vec::new();
    }
    let mut w: Vec<f64> = weights
        .iter()
        .map(|&x| if x.is_finite() && x > 0.0 { x } else { 0.0 })
        .collect();
    let mut total: f64 = w.iter().sum();
    if total <= 0.0 {
        w = vec![1.0; weights.len()];
        total = w.len() as f64;
    }
    let shares: Vec<f64> = w.iter().map(|x| n as f64 * x / total).collect();
    let mut counts: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let given: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..w.len()).filter(|&i| w[i] > 0.0).collect();
    order.sort_by(|&a, &b| {
        let ra = shares[a] - shares[a].floor();
        let rb = shares[b] - shares[b].floor();
        rb.total_cmp(&ra)
            .then(w[b].total_cmp(&w[a]))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(n.saturating_sub(given)) {
        counts[i] += 1;
    }
    counts
}

/// How many questions one domain gets on a paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainQuota {
    /// Domain id.
    pub domain: String,
    /// Exact share, `n * weight / total weight` (may be fractional).
    pub share: f64,
    /// Count by largest remainder, before any shortfall.
    pub wanted: usize,
    /// Count actually drawn: fewer if the pool is short, more if it fills another's gap.
    pub drawn: usize,
}

/// A domain whose pool held fewer questions than its quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    /// Domain id.
    pub domain: String,
    /// Questions wanted by the blueprint weights.
    pub wanted: usize,
    /// Questions available in the pool.
    pub available: usize,
}

/// The per-domain counts of a paper and the gaps the pool could not fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// One entry per blueprint domain, in blueprint order.
    pub per_domain: Vec<DomainQuota>,
    /// Domains short of questions; their gap is filled from the others by weight.
    pub shortfalls: Vec<Shortfall>,
}

impl Allocation {
    /// Total questions drawn (less than asked only when the whole pool is too small).
    pub fn total(&self) -> usize {
        self.per_domain.iter().map(|d| d.drawn).sum()
    }
}

/// Allocates `n` questions over the blueprint's domains given how many questions each
/// domain's pool has (`available[i]` for `blueprint.domains[i]`).
///
/// Starts from [`quotas`]; a domain with too few questions gives all it has and is listed in
/// `shortfalls`; the missing questions go to the domains with questions to spare, again by
/// largest remainder over their weights, until the gap is filled or the pool is exhausted.
pub fn allocate(blueprint: &ExamBlueprint, n: usize, available: &[usize]) -> Allocation {
    let weights: Vec<f64> = blueprint.domains.iter().map(|d| d.weight).collect();
    let total_w: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    let (wanted, drawn) = spread(&weights, n, available);
    let avail = |i: usize| available.get(i).copied().unwrap_or(0);
    let shortfalls: Vec<Shortfall> = blueprint
        .domains
        .iter()
        .enumerate()
        .filter(|&(i, _)| wanted[i] > avail(i))
        .map(|(i, d)| Shortfall {
            domain: d.id.clone(),
            wanted: wanted[i],
            available: avail(i),
        })
        .collect();
    let per_domain = blueprint
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| DomainQuota {
            domain: d.id.clone(),
            share: if total_w > 0.0 && d.weight.is_finite() && d.weight > 0.0 {
                n as f64 * d.weight / total_w
            } else if total_w > 0.0 {
                0.0
            } else {
                n as f64 / blueprint.domains.len() as f64
            },
            wanted: wanted[i],
            drawn: drawn[i],
        })
        .collect();
    Allocation {
        per_domain,
        shortfalls,
    }
}

/// Largest-remainder counts of `n` over `weights` (`wanted`), and the counts actually drawn
/// when group `i` holds only `available[i]`: a short group gives all it has and its gap goes
/// to the groups with some to spare, again by weight, until the gap is filled or nothing is
/// left. Shared by the domain split ([`allocate`]) and the kind mix.
pub(crate) fn spread(weights: &[f64], n: usize, available: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let wanted = largest_remainder(weights, n);
    let avail = |i: usize| available.get(i).copied().unwrap_or(0);
    let mut drawn: Vec<usize> = wanted
        .iter()
        .enumerate()
        .map(|(i, &w)| w.min(avail(i)))
        .collect();
    let mut gap = n.saturating_sub(drawn.iter().sum());
    while gap > 0 {
        let spare: Vec<usize> = (0..drawn.len()).filter(|&i| drawn[i] < avail(i)).collect();
        if spare.is_empty() {
            break;
        }
        let sw: Vec<f64> = spare.iter().map(|&i| weights[i]).collect();
        let extra = largest_remainder(&sw, gap);
        let mut placed = 0;
        for (k, &i) in spare.iter().enumerate() {
            let add = extra[k].min(avail(i) - drawn[i]);
            drawn[i] += add;
            placed += add;
        }
        if placed == 0 {
            break;
        }
        gap -= placed;
    }
    (wanted, drawn)
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Small blueprints and pools for the exam tests.
    use super::*;
    use crate::deck::ExamDomain;

    /// A blueprint with these `(id, weight)` domains, scale 100–1000, pass 750.
    pub(crate) fn blueprint(id: &str, questions: u32, domains: &[(&str, f64)]) -> ExamBlueprint {
        ExamBlueprint {
            id: id.into(),
            title: id.to_uppercase(),
            description: None,
            questions,
            minutes: 130,
            scale_min: 100,
            scale_max: 1000,
            passing_score: 750,
            retired: None,
            domains: domains
                .iter()
                .map(|(d, w)| ExamDomain {
                    id: (*d).into(),
                    title: d.to_uppercase(),
                    weight: *w,
                    covers: Vec::new(),
                })
                .collect(),
            items: Vec::new(),
        }
    }

    /// The SCS-C03 weights.
    pub(crate) fn scs_c03() -> ExamBlueprint {
        blueprint(
            "aws-scs-c03",
            65,
            &[
                ("detection", 16.0),
                ("incident-response", 14.0),
                ("infrastructure", 18.0),
                ("iam", 20.0),
                ("data-protection", 18.0),
                ("governance", 14.0),
            ],
        )
    }

    /// `per_domain` single-choice questions (4 options) per domain of `bp`.
    pub(crate) fn pool(bp: &ExamBlueprint, per_domain: usize) -> Vec<PoolItem> {
        let mut v = Vec::new();
        for d in &bp.domains {
            for i in 0..per_domain {
                v.push(PoolItem {
                    key: ItemKey {
                        deck: format!("deck/{}", d.id),
                        card: format!("q{i}"),
                        ord: 0,
                    },
                    domain: d.id.clone(),
                    kind: QuestionKind::Single,
                    options: 4,
                });
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::deck::DeckSource;
    use std::path::PathBuf;

    #[test]
    fn quotas_scs_c03_65() {
        let q = quotas(&scs_c03(), 65);
        // Shares: 10.4, 9.1, 11.7, 13, 11.7, 9.1 → floors 10,9,11,13,11,9 = 63; the two
        // largest remainders (0.7, 0.7) go to infrastructure and data-protection.
        let counts: Vec<usize> = q.iter().map(|(_, n)| *n).collect();
        assert_eq!(counts, vec![10, 9, 12, 13, 12, 9]);
        assert_eq!(counts.iter().sum::<usize>(), 65);
    }

    #[test]
    fn quotas_within_one_of_share_for_every_length() {
        let bp = scs_c03();
        for n in 0..200 {
            let q = quotas(&bp, n);
            assert_eq!(q.iter().map(|(_, c)| c).sum::<usize>(), n);
            for ((_, c), d) in q.iter().zip(&bp.domains) {
                let share = n as f64 * d.weight / 100.0;
                assert!(
                    (*c as f64 - share).abs() < 1.0,
                    "n={n} {}: {c} vs {share}",
                    d.id
                );
            }
        }
    }

    #[test]
    fn zero_weights_spread_evenly() {
        let bp = blueprint("x", 4, &[("a", 0.0), ("b", 0.0)]);
        assert_eq!(quotas(&bp, 4), vec![("a".into(), 2), ("b".into(), 2)]);
        let bp = blueprint("x", 4, &[("a", 0.0), ("b", 10.0)]);
        assert_eq!(quotas(&bp, 3), vec![("a".into(), 0), ("b".into(), 3)]);
    }

    #[test]
    fn shortfall_is_reported_and_filled_by_weight() {
        let bp = blueprint("x", 10, &[("a", 50.0), ("b", 30.0), ("c", 20.0)]);
        let al = allocate(&bp, 10, &[2, 100, 100]);
        assert_eq!(
            al.shortfalls,
            vec![Shortfall {
                domain: "a".into(),
                wanted: 5,
                available: 2
            }]
        );
        // The 3 missing go to b and c by 30:20 → 1.8 and 1.2 → 2 and 1.
        let drawn: Vec<usize> = al.per_domain.iter().map(|d| d.drawn).collect();
        assert_eq!(drawn, vec![2, 5, 3]);
        assert_eq!(al.total(), 10);
    }

    #[test]
    fn whole_pool_too_small_gives_everything() {
        let bp = blueprint("x", 10, &[("a", 50.0), ("b", 50.0)]);
        let al = allocate(&bp, 10, &[3, 4]);
        assert_eq!(al.total(), 7);
        assert_eq!(al.shortfalls.len(), 2);
    }

    proptest::proptest! {
        #[test]
        fn allocation_invariants(
            weights in proptest::collection::vec(0u8..40, 1..8),
            avail in proptest::collection::vec(0usize..30, 8),
            n in 0usize..120,
        ) {
            let doms: Vec<(String, f64)> =
                weights.iter().enumerate().map(|(i, w)| (format!("d{i}"), *w as f64)).collect();
            let refs: Vec<(&str, f64)> = doms.iter().map(|(d, w)| (d.as_str(), *w)).collect();
            let bp = blueprint("p", n as u32, &refs);
            let avail = &avail[..weights.len()];
            let al = allocate(&bp, n, avail);
            let total_avail: usize = avail.iter().sum();
            proptest::prop_assert_eq!(al.total(), n.min(total_avail));
            for (i, d) in al.per_domain.iter().enumerate() {
                proptest::prop_assert!(d.drawn <= avail[i]);
                proptest::prop_assert!((d.wanted as f64 - d.share).abs() < 1.0);
                // A domain with questions to spare never gets fewer than its quota.
                if avail[i] >= d.wanted {
                    proptest::prop_assert!(d.drawn >= d.wanted);
                }
            }
            if al.shortfalls.is_empty() {
                for d in &al.per_domain {
                    proptest::prop_assert_eq!(d.drawn, d.wanted);
                }
            }
        }
    }

    #[test]
    fn covers_maps_a_retired_exam() {
        let mut c02 = blueprint("aws-scs-c02", 65, &[("logging-monitoring", 18.0)]);
        c02.domains[0].covers = vec!["aws-scs-c03/detection".into()];
        assert_eq!(
            card_domain(&c02, Some("aws-scs-c03"), Some("detection")),
            Some("logging-monitoring")
        );
        assert_eq!(card_domain(&c02, Some("aws-scs-c03"), Some("iam")), None);
        assert_eq!(card_domain(&c02, None, Some("detection")), None);
        let c03 = scs_c03();
        assert_eq!(
            card_domain(&c03, Some("aws-scs-c03"), Some("iam")),
            Some("iam")
        );
        assert_eq!(card_domain(&c03, Some("aws-scs-c03"), Some("nope")), None);
    }

    #[test]
    fn pool_from_fixture_keeps_questions_only() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/good");
        let exam = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/exam");
        let lib = Library::load(&[DeckSource::Path(exam), DeckSource::Path(dir)]);
        let pool = exam_pool(&lib, "test-exam").expect("fixture exam is loaded");
        let got: Vec<(&str, &str, QuestionKind, usize)> = pool
            .iter()
            .map(|p| (p.key.card.as_str(), p.domain.as_str(), p.kind, p.options))
            .collect();
        assert_eq!(
            got,
            vec![
                ("c", "alpha", QuestionKind::TrueFalse, 0),
                ("d", "alpha", QuestionKind::Order, 3),
                ("e", "alpha", QuestionKind::Match, 2),
                ("f", "beta", QuestionKind::Multiple, 3),
            ]
        );
        assert_eq!(
            exam_pool(&lib, "nope"),
            Err(ExamError::UnknownExam("nope".into()))
        );
    }
}
