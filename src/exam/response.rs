//! A learner's answer to a question, and grading it.
//!
//! Every index in a [`Response`] refers to the card's own order (the order in the deck file),
//! never to the shuffled display order: the UI maps a click at display position `i` to
//! `question.shuffle[i]`. Stored as JSON in the review log, so the shape is part of the file
//! format: `{"kind":"multiple","choices":[0,2]}`.

use super::blueprint::QuestionKind;
use crate::deck::{Card, CardBody};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A learner's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Response {
    /// The chosen option of a single-choice question.
    Single {
        /// Index of the chosen choice.
        choice: usize,
    },
    /// The chosen options of a multiple-response question.
    Multiple {
        /// Indexes of the chosen choices (any order).
        choices: Vec<usize>,
    },
    /// True or false.
    TrueFalse {
        /// The learner's verdict.
        answer: bool,
    },
    /// The steps of an ordering question in the order the learner put them.
    Order {
        /// Step indexes, first step first.
        steps: Vec<usize>,
    },
    /// For each left-hand item (in the card's order), the right-hand side chosen for it.
    Match {
        /// `pairs[i]` = index of the right side matched to left `i`, `None` if left open.
        pairs: Vec<Option<usize>>,
    },
}

impl Response {
    /// The question kind this answer is for.
    pub fn kind(&self) -> QuestionKind {
        match self {
            Response::Single { .. } => QuestionKind::Single,
            Response::Multiple { .. } => QuestionKind::Multiple,
            Response::TrueFalse { .. } => QuestionKind::TrueFalse,
            Response::Order { .. } => QuestionKind::Order,
            Response::Match { .. } => QuestionKind::Match,
        }
    }

    /// The right answer to `card`, `None` for flashcards.
    pub fn correct_for(card: &Card) -> Option<Response> {
        Some(match &card.body {
            CardBody::Single { choices } => Response::Single {
                choice: choices.iter().position(|c| c.correct)?,
            },
            CardBody::Multiple { choices, .. } => Response::Multiple {
                choices: (0..choices.len()).filter(|&i| choices[i].correct).collect(),
            },
            CardBody::TrueFalse { answer } => Response::TrueFalse { answer: *answer },
            CardBody::Order { steps } => Response::Order {
                steps: (0..steps.len()).collect(),
            },
            CardBody::Match { pairs } => Response::Match {
                pairs: (0..pairs.len()).map(Some).collect(),
            },
            CardBody::Basic { .. } | CardBody::Cloze { .. } => return None,
        })
    }
}

/// Whether `response` answers `card` right.
///
/// - single: the chosen option is a correct one;
/// - multiple: all-or-nothing, like the real exam: the set chosen equals the set of correct
///   options (choosing one twice counts once);
/// - true/false: same verdict;
/// - order: the exact order;
/// - match: every left item matched to its own right side.
///
/// An answer of the wrong kind, and any flashcard, grades as wrong.
pub fn grade(card: &Card, response: &Response) -> bool {
    match (&card.body, response) {
        (CardBody::Single { choices }, Response::Single { choice }) => {
            choices.get(*choice).is_some_and(|c| c.correct)
        }
        (CardBody::Multiple { choices, .. }, Response::Multiple { choices: chosen }) => {
            let right: BTreeSet<usize> =
                (0..choices.len()).filter(|&i| choices[i].correct).collect();
            let chosen: BTreeSet<usize> = chosen.iter().copied().collect();
            !right.is_empty() && chosen == right
        }
        (CardBody::TrueFalse { answer }, Response::TrueFalse { answer: given }) => answer == given,
        (CardBody::Order { steps }, Response::Order { steps: given }) => {
            given.len() == steps.len() && given.iter().enumerate().all(|(i, &s)| i == s)
        }
        (CardBody::Match { pairs }, Response::Match { pairs: given }) => {
            given.len() == pairs.len() && given.iter().enumerate().all(|(i, &r)| r == Some(i))
        }
        _ => false,
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Cards for the grading and scoring tests.
    use crate::deck::{Card, CardBody, Choice, Pair};

    /// A card with this id and body.
    pub(crate) fn card(id: &str, body: CardBody) -> Card {
        Card {
            id: id.into(),
            prompt: "?".into(),
            body,
            explanation: None,
            source: None,
            domain: None,
            tags: Vec::new(),
            content_hash: String::new(),
            line: 1,
            column: 1,
            lint_allow: Vec::new(),
        }
    }

    fn choices(correct: &[bool]) -> Vec<Choice> {
        correct
            .iter()
            .enumerate()
            .map(|(i, &c)| Choice {
                text: format!("option {i}"),
                correct: c,
                why: None,
            })
            .collect()
    }

    /// Single choice with `n` options, option `right` correct.
    pub(crate) fn single(id: &str, n: usize, right: usize) -> Card {
        let c: Vec<bool> = (0..n).map(|i| i == right).collect();
        card(
            id,
            CardBody::Single {
                choices: choices(&c),
            },
        )
    }

    /// Multiple response with these correct flags.
    pub(crate) fn multiple(id: &str, correct: &[bool]) -> Card {
        card(
            id,
            CardBody::Multiple {
                choices: choices(correct),
                select: correct.iter().filter(|c| **c).count(),
            },
        )
    }

    /// Ordering with `n` steps.
    pub(crate) fn order(id: &str, n: usize) -> Card {
        card(
            id,
            CardBody::Order {
                steps: (0..n).map(|i| format!("step {i}")).collect(),
            },
        )
    }

    /// Matching with `n` pairs.
    pub(crate) fn matching(id: &str, n: usize) -> Card {
        card(
            id,
            CardBody::Match {
                pairs: (0..n)
                    .map(|i| Pair {
                        left: format!("l{i}"),
                        right: format!("r{i}"),
                    })
                    .collect(),
            },
        )
    }

    /// True/false.
    pub(crate) fn truefalse(id: &str, answer: bool) -> Card {
        card(id, CardBody::TrueFalse { answer })
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn single_choice() {
        let c = single("s", 4, 2);
        assert!(grade(&c, &Response::Single { choice: 2 }));
        assert!(!grade(&c, &Response::Single { choice: 1 }));
        assert!(!grade(&c, &Response::Single { choice: 9 }));
        assert!(!grade(&c, &Response::TrueFalse { answer: true }));
    }

    #[test]
    fn multiple_is_all_or_nothing() {
        let c = multiple("m", &[true, false, true, false, false]);
        assert!(grade(
            &c,
            &Response::Multiple {
                choices: vec![2, 0]
            }
        ));
        assert!(grade(
            &c,
            &Response::Multiple {
                choices: vec![0, 2, 2]
            }
        ));
        assert!(
            !grade(&c, &Response::Multiple { choices: vec![0] }),
            "one of two"
        );
        assert!(
            !grade(
                &c,
                &Response::Multiple {
                    choices: vec![0, 1, 2]
                }
            ),
            "one too many"
        );
        assert!(!grade(&c, &Response::Multiple { choices: vec![] }));
    }

    #[test]
    fn ordering_needs_exact_order() {
        let c = order("o", 4);
        assert!(grade(
            &c,
            &Response::Order {
                steps: vec![0, 1, 2, 3]
            }
        ));
        assert!(!grade(
            &c,
            &Response::Order {
                steps: vec![0, 1, 3, 2]
            }
        ));
        assert!(!grade(
            &c,
            &Response::Order {
                steps: vec![0, 1, 2]
            }
        ));
    }

    #[test]
    fn matching_needs_every_pair() {
        let c = matching("x", 3);
        let ok = Response::Match {
            pairs: vec![Some(0), Some(1), Some(2)],
        };
        assert!(grade(&c, &ok));
        assert!(!grade(
            &c,
            &Response::Match {
                pairs: vec![Some(0), Some(2), Some(1)]
            }
        ));
        assert!(!grade(
            &c,
            &Response::Match {
                pairs: vec![Some(0), Some(1), None]
            }
        ));
    }

    #[test]
    fn truefalse_and_correct_answers_grade_right() {
        let cards = [
            single("a", 4, 3),
            multiple("b", &[false, true, true]),
            truefalse("c", false),
            order("d", 5),
            matching("e", 4),
        ];
        for c in &cards {
            let r = Response::correct_for(c).expect("a question");
            assert!(grade(c, &r), "{}", c.id);
            assert_eq!(Some(r.kind()), QuestionKind::of(&c.body));
        }
        assert!(!grade(&cards[2], &Response::TrueFalse { answer: true }));
    }

    #[test]
    fn json_shape() {
        let r = Response::Multiple {
            choices: vec![0, 2],
        };
        let s = serde_json::to_string(&r).expect("serialise");
        assert_eq!(s, r#"{"kind":"multiple","choices":[0,2]}"#);
        let m: Response =
            serde_json::from_str(r#"{"kind":"match","pairs":[1,null]}"#).expect("parse");
        assert_eq!(
            m,
            Response::Match {
                pairs: vec![Some(1), None]
            }
        );
        let t: Response =
            serde_json::from_str(r#"{"kind":"truefalse","answer":true}"#).expect("parse");
        assert_eq!(t, Response::TrueFalse { answer: true });
    }
}
