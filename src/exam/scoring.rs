//! Scoring a sat paper: raw score, scaled score with pass/fail, per domain, per question.
//!
//! # The scaled score is an estimate
//! Vendors report a scaled score (AWS: 100–1000, pass at 750) obtained by *equating*: each
//! exam form's raw-to-scaled mapping is set from the difficulty of its questions, and that
//! mapping is not public. examdeck uses a piecewise-linear estimate through three points:
//!
//! ```text
//! raw 0 %                      → scale_min
//! raw pass_fraction (72 %)     → passing_score
//! raw 100 %                    → scale_max
//! scaled(f) = min + (pass − min) · f / pf                 for f < pf
//!           = pass + (max − pass) · (f − pf) / (1 − pf)   for f ≥ pf
//! ```
//!
//! rounded to the nearest point. Why not one straight line from `scale_min` at 0 % to
//! `scale_max` at 100 %? That line puts the pass mark wherever the blueprint's numbers happen
//! to put it (66.7 % for a 700/1000 exam, 50 % for a 550/100–1000 one), which is too generous
//! for exams whose real cut score is near 70–75 % of the questions. Anchoring the passing
//! mark at a fixed raw fraction, [`DEFAULT_PASS_FRACTION`] = 72 % (the figure commonly
//! estimated by candidates for AWS exams), makes "passed" mean "answered at least 72 % right",
//! whatever the scale. The estimate is uncertain by a few percent either way; the UI must say
//! so.

use super::blueprint::QuestionKind;
use super::paper::Paper;
use super::response::{Response, grade};
use super::{ExamError, ItemKeyDef, Result};
use crate::deck::{Card, ExamBlueprint, ItemKey, Library};
use serde::{Deserialize, Serialize};

/// Raw fraction of correct answers estimated to be needed to pass (see the module docs).
pub const DEFAULT_PASS_FRACTION: f64 = 0.72;

/// The scaled-score estimate of one blueprint.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    /// Scaled score at 0 % correct.
    pub min: u32,
    /// Scaled score at 100 % correct.
    pub max: u32,
    /// Passing mark on the scale.
    pub pass: u32,
    /// Raw fraction (0..1) mapped to the passing mark.
    pub pass_fraction: f64,
}

impl Scale {
    /// The blueprint's scale with the [`DEFAULT_PASS_FRACTION`].
    pub fn of(blueprint: &ExamBlueprint) -> Scale {
        Scale {
            min: blueprint.scale_min,
            max: blueprint.scale_max.max(blueprint.scale_min),
            pass: blueprint.passing_score.clamp(
                blueprint.scale_min,
                blueprint.scale_max.max(blueprint.scale_min),
            ),
            pass_fraction: DEFAULT_PASS_FRACTION,
        }
    }

    /// Whether a raw fraction (0..1) correct passes: `fraction ≥ pass_fraction`.
    pub fn passes(&self, fraction: f64) -> bool {
        fraction + 1e-9 >= self.pass_fraction
    }

    /// The scaled score for a raw fraction (0..1, clamped) correct, per the module docs.
    /// A failing fraction never rounds up to the passing mark.
    ///
    /// ```
    /// use examdeck::exam::Scale;
    /// let s = Scale { min: 100, max: 1000, pass: 750, pass_fraction: 0.72 };
    /// assert_eq!(s.scaled(0.0), 100);
    /// assert_eq!(s.scaled(0.36), 425); // halfway to the pass mark
    /// assert_eq!(s.scaled(0.72), 750);
    /// assert_eq!(s.scaled(0.86), 875); // halfway above it
    /// assert_eq!(s.scaled(1.0), 1000);
    /// ```
    pub fn scaled(&self, fraction: f64) -> u32 {
        let f = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        let pf = self.pass_fraction.clamp(1e-6, 1.0 - 1e-6);
        let (min, max, pass) = (self.min as f64, self.max as f64, self.pass as f64);
        if self.passes(f) {
            (pass + (max - pass) * ((f - pf).max(0.0) / (1.0 - pf))).round() as u32
        } else {
            let s = (min + (pass - min) * f / pf).round() as u32;
            s.min(self.pass.saturating_sub(1)).max(self.min)
        }
    }

    /// The raw fraction that maps to a scaled score (the inverse of [`Scale::scaled`]).
    pub fn fraction(&self, scaled: f64) -> f64 {
        let pf = self.pass_fraction.clamp(1e-6, 1.0 - 1e-6);
        let (min, max, pass) = (self.min as f64, self.max as f64, self.pass as f64);
        let f = if scaled < pass {
            if pass > min {
                (scaled - min) / (pass - min) * pf
            } else {
                0.0
            }
        } else if max > pass {
            pf + (scaled - pass) / (max - pass) * (1.0 - pf)
        } else {
            1.0
        };
        f.clamp(0.0, 1.0)
    }
}

/// Score in one blueprint domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainScore {
    /// Domain id.
    pub domain: String,
    /// Domain title.
    pub title: String,
    /// Questions answered right.
    pub correct: usize,
    /// Questions of this domain on the paper.
    pub total: usize,
    /// `100 · correct / total` (0 when the paper has none).
    pub percent: f64,
}

/// The outcome of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    /// The card.
    #[serde(with = "ItemKeyDef")]
    pub key: ItemKey,
    /// Its domain.
    pub domain: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// Whether the learner gave an answer.
    pub answered: bool,
    /// Whether the answer is right (unanswered is wrong).
    pub correct: bool,
    /// Time spent on it, in milliseconds, when known.
    pub time_ms: Option<u64>,
}

/// The report of a sat paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The exam blueprint's id.
    pub exam: String,
    /// Questions answered right.
    pub raw_correct: usize,
    /// Questions answered (right or wrong).
    pub answered: usize,
    /// Questions on the paper.
    pub total: usize,
    /// `100 · raw_correct / total`.
    pub percent: f64,
    /// Estimated scaled score (see the module docs: an estimate, not the vendor's equating).
    pub scaled: u32,
    /// Whether the scaled score reaches the passing mark.
    pub passed: bool,
    /// The scale used.
    pub scale: Scale,
    /// Per blueprint domain present on the paper, in blueprint order.
    pub per_domain: Vec<DomainScore>,
    /// Per question, in paper order.
    pub per_question: Vec<QuestionResult>,
    /// Total time over all questions, in milliseconds, when times were given.
    pub time_ms: Option<u64>,
}

impl Report {
    /// The questions answered wrong or left unanswered, in paper order ("study my mistakes").
    pub fn missed(&self) -> Vec<&ItemKey> {
        self.per_question
            .iter()
            .filter(|q| !q.correct)
            .map(|q| &q.key)
            .collect()
    }
}

/// The cards of a paper's questions, in paper order, from a library.
pub fn paper_cards<'a>(library: &'a Library, paper: &Paper) -> Result<Vec<&'a Card>> {
    paper
        .questions
        .iter()
        .map(|q| {
            library
                .deck(&q.key.deck)
                .and_then(|d| d.deck.cards.iter().find(|c| c.id == q.key.card))
                .ok_or_else(|| ExamError::MissingCard(q.key.to_string()))
        })
        .collect()
}

/// Scores `paper` sat against `blueprint`.
///
/// `cards[i]`, `responses[i]` and `time_ms[i]` (milliseconds, optional) belong to
/// `paper.questions[i]`; `None` responses are unanswered and count as wrong. Fails if a list's
/// length differs from the paper's or a card's id is not the question's.
pub fn score(
    paper: &Paper,
    blueprint: &ExamBlueprint,
    cards: &[&Card],
    responses: &[Option<Response>],
    time_ms: Option<&[u64]>,
) -> Result<Report> {
    let n = paper.questions.len();
    let check = |what: &'static str, got: usize| {
        if got == n {
            Ok(())
        } else {
            Err(ExamError::LengthMismatch {
                what,
                expected: n,
                got,
            })
        }
    };
    check("cards", cards.len())?;
    check("responses", responses.len())?;
    if let Some(t) = time_ms {
        check("times", t.len())?;
    }
    let mut per_question = Vec::with_capacity(n);
    for (i, q) in paper.questions.iter().enumerate() {
        if cards[i].id != q.key.card {
            return Err(ExamError::MissingCard(q.key.to_string()));
        }
        let response = responses[i].as_ref();
        per_question.push(QuestionResult {
            key: q.key.clone(),
            domain: q.domain.clone(),
            kind: q.kind,
            answered: response.is_some(),
            correct: response.is_some_and(|r| grade(cards[i], r)),
            time_ms: time_ms.map(|t| t[i]),
        });
    }
    let raw_correct = per_question.iter().filter(|q| q.correct).count();
    let fraction = if n == 0 {
        0.0
    } else {
        raw_correct as f64 / n as f64
    };
    let scale = Scale::of(blueprint);
    let per_domain = blueprint
        .domains
        .iter()
        .filter_map(|d| {
            let qs: Vec<&QuestionResult> =
                per_question.iter().filter(|q| q.domain == d.id).collect();
            if qs.is_empty() {
                return None;
            }
            let correct = qs.iter().filter(|q| q.correct).count();
            Some(DomainScore {
                domain: d.id.clone(),
                title: d.title.clone(),
                correct,
                total: qs.len(),
                percent: 100.0 * correct as f64 / qs.len() as f64,
            })
        })
        .collect();
    Ok(Report {
        exam: paper.exam.clone(),
        raw_correct,
        answered: per_question.iter().filter(|q| q.answered).count(),
        total: n,
        percent: 100.0 * fraction,
        scaled: scale.scaled(fraction),
        passed: scale.passes(fraction),
        scale,
        per_domain,
        per_question,
        time_ms: time_ms.map(|t| t.iter().sum()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::blueprint::testutil::blueprint;
    use super::super::paper::PaperQuestion;
    use super::super::response::testutil::*;
    use super::*;

    fn q(card: &Card, domain: &str) -> PaperQuestion {
        PaperQuestion {
            key: ItemKey {
                deck: "d".into(),
                card: card.id.clone(),
                ord: 0,
            },
            domain: domain.into(),
            kind: QuestionKind::of(&card.body).unwrap_or(QuestionKind::Single),
            shuffle: Vec::new(),
        }
    }

    #[test]
    fn scale_anchors_and_monotone() {
        let s = Scale::of(&blueprint("x", 65, &[("a", 1.0)]));
        assert_eq!(s.scaled(0.0), 100);
        assert_eq!(s.scaled(0.72), 750);
        assert_eq!(s.scaled(1.0), 1000);
        // 36 % is halfway to the pass mark: 100 + 650/2 = 425.
        assert_eq!(s.scaled(0.36), 425);
        // 86 % is halfway above it: 750 + 250/2 = 875.
        assert_eq!(s.scaled(0.86), 875);
        // Just below the mark never rounds up to it.
        assert_eq!(s.scaled(0.7199999), 749);
        let mut last = 0;
        for i in 0..=1000 {
            let v = s.scaled(i as f64 / 1000.0);
            assert!(v >= last);
            last = v;
            assert!((s.fraction(v as f64) - i as f64 / 1000.0).abs() < 0.002);
        }
    }

    #[test]
    fn hand_computed_report() {
        let bp = blueprint("x", 65, &[("a", 60.0), ("b", 40.0)]);
        let cards = [
            single("s1", 4, 1),                          // a, right
            multiple("m1", &[true, false, true, false]), // a, partial → wrong
            order("o1", 3),                              // a, right
            matching("x1", 3),                           // b, right
            truefalse("t1", true),                       // b, unanswered → wrong
        ];
        let paper = Paper {
            seed: 0,
            exam: "x".into(),
            domain: None,
            requested: 5,
            questions: vec![
                q(&cards[0], "a"),
                q(&cards[1], "a"),
                q(&cards[2], "a"),
                q(&cards[3], "b"),
                q(&cards[4], "b"),
            ],
            shortfalls: Vec::new(),
            kind_shortfalls: Vec::new(),
        };
        let responses = vec![
            Some(Response::Single { choice: 1 }),
            Some(Response::Multiple { choices: vec![0] }),
            Some(Response::Order {
                steps: vec![0, 1, 2],
            }),
            Some(Response::Match {
                pairs: vec![Some(0), Some(1), Some(2)],
            }),
            None,
        ];
        let refs: Vec<&Card> = cards.iter().collect();
        let times = [1000, 2000, 3000, 4000, 0];
        let r = score(&paper, &bp, &refs, &responses, Some(&times)).expect("score");
        assert_eq!((r.raw_correct, r.answered, r.total), (3, 4, 5));
        assert!((r.percent - 60.0).abs() < 1e-9);
        // 60 % < 72 %: 100 + 650 · 0.6 / 0.72 = 641.67 → 642, failed.
        assert_eq!(r.scaled, 642);
        assert!(!r.passed);
        assert_eq!(r.per_domain.len(), 2);
        assert_eq!((r.per_domain[0].correct, r.per_domain[0].total), (2, 3));
        assert!((r.per_domain[0].percent - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!((r.per_domain[1].correct, r.per_domain[1].total), (1, 2));
        assert_eq!(r.per_domain[1].title, "B");
        assert_eq!(r.time_ms, Some(10_000));
        assert_eq!(r.per_question[1].time_ms, Some(2000));
        assert!(!r.per_question[1].correct && r.per_question[1].answered);
        let missed: Vec<&str> = r.missed().iter().map(|k| k.card.as_str()).collect();
        assert_eq!(missed, vec!["m1", "t1"]);

        // All right: 100 %, 1000, passed.
        let all: Vec<Option<Response>> = cards.iter().map(Response::correct_for).collect();
        let r = score(&paper, &bp, &refs, &all, None).expect("score");
        assert_eq!(
            (r.raw_correct, r.scaled, r.passed, r.time_ms),
            (5, 1000, true, None)
        );
        // 4 of 5 = 80 %: 750 + 250 · 0.08 / 0.28 = 821.4 → 821.
        let mut four = all.clone();
        four[4] = Some(Response::TrueFalse { answer: false });
        let r = score(&paper, &bp, &refs, &four, None).expect("score");
        assert_eq!((r.raw_correct, r.scaled, r.passed), (4, 821, true));
    }

    #[test]
    fn mismatched_lists_are_errors() {
        let bp = blueprint("x", 1, &[("a", 1.0)]);
        let c = single("s", 2, 0);
        let paper = Paper {
            seed: 0,
            exam: "x".into(),
            domain: None,
            requested: 1,
            questions: vec![q(&c, "a")],
            shortfalls: Vec::new(),
            kind_shortfalls: Vec::new(),
        };
        assert!(matches!(
            score(&paper, &bp, &[&c], &[], None),
            Err(ExamError::LengthMismatch {
                what: "responses",
                ..
            })
        ));
        let other = single("other", 2, 0);
        assert!(matches!(
            score(&paper, &bp, &[&other], &[None], None),
            Err(ExamError::MissingCard(_))
        ));
    }
}
