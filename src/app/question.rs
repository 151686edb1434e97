//! Answering a question on screen: the learner's choices while they are being made.
//!
//! The state is plain data with small methods (toggle, move, pair) that the keyboard and the
//! mouse both call, so it is tested without a window. Display orders (shuffles) come in from
//! the caller: a mock exam takes them from its paper, study mode from a seeded shuffle.

use crate::deck::{Card, CardBody};
use crate::exam::response::Response;

/// What the learner has chosen so far for one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionInput {
    /// Single or multiple choice: options in display order, and which are ticked.
    Choices {
        /// Display position ⏵ choice index in the card.
        order: Vec<usize>,
        /// Choice index ⏵ ticked.
        selected: Vec<bool>,
        /// 1 for single, N for "choose N".
        select: usize,
    },
    /// True or false, once picked.
    TrueFalse(Option<bool>),
    /// Ordering: the learner's current arrangement of step indexes, and the focused row.
    Order {
        /// Current arrangement (step indexes).
        arrangement: Vec<usize>,
        /// Row that keyboard moves act on.
        cursor: usize,
        /// The learner has moved a step (papers never show the right order to start with).
        touched: bool,
    },
    /// Matching: right sides in display order, and for each left item the right item chosen.
    Match {
        /// Display position ⏵ right item index.
        right_order: Vec<usize>,
        /// Left index ⏵ chosen right index.
        picks: Vec<Option<usize>>,
        /// Left item waiting for its partner, after a click on it.
        active_left: Option<usize>,
    },
    /// Flashcards have nothing to choose.
    None,
}

impl QuestionInput {
    /// Fresh input for `card`, showing options in the order `shuffle` gives (a permutation of
    /// the card's choices / steps / right sides; an invalid one falls back to file order).
    pub fn new(card: &Card, shuffle: &[usize]) -> Self {
        let perm = |n: usize| -> Vec<usize> {
            let mut sorted = shuffle.to_vec();
            sorted.sort_unstable();
            if sorted == (0..n).collect::<Vec<_>>() {
                shuffle.to_vec()
            } else {
                (0..n).collect()
            }
        };
        match &card.body {
            CardBody::Single { choices } => QuestionInput::Choices {
                order: perm(choices.len()),
                selected: vec![false; choices.len()],
                select: 1,
            },
            CardBody::Multiple { choices, select } => QuestionInput::Choices {
                order: perm(choices.len()),
                selected: vec![false; choices.len()],
                select: *select,
            },
            CardBody::TrueFalse { .. } => QuestionInput::TrueFalse(None),
            CardBody::Order { steps } => QuestionInput::Order {
                arrangement: perm(steps.len()),
                cursor: 0,
                touched: false,
            },
            CardBody::Match { pairs } => QuestionInput::Match {
                right_order: perm(pairs.len()),
                picks: vec![None; pairs.len()],
                active_left: None,
            },
            CardBody::Basic { .. } | CardBody::Cloze { .. } => QuestionInput::None,
        }
    }

    /// Picks the option shown at display position `pos` (keys 1–9 / A–I). A single-answer
    /// question replaces its pick; "choose N" toggles.
    pub fn pick_position(&mut self, pos: usize) {
        match self {
            QuestionInput::Choices {
                order,
                selected,
                select,
            } => {
                let Some(&choice) = order.get(pos) else {
                    return;
                };
                if *select == 1 {
                    selected.iter_mut().for_each(|s| *s = false);
                    selected[choice] = true;
                } else {
                    selected[choice] = !selected[choice];
                }
            }
            QuestionInput::TrueFalse(v) => match pos {
                0 => *v = Some(true),
                1 => *v = Some(false),
                _ => {}
            },
            QuestionInput::Order {
                arrangement,
                cursor,
                ..
            } => {
                if pos < arrangement.len() {
                    *cursor = pos;
                }
            }
            QuestionInput::Match {
                picks, active_left, ..
            } => {
                if pos < picks.len() {
                    *active_left = Some(pos);
                }
            }
            QuestionInput::None => {}
        }
    }

    /// Ordering: moves the step at `from` to position `to` (drag and drop, or keys).
    pub fn move_step(&mut self, from: usize, to: usize) {
        if let QuestionInput::Order {
            arrangement,
            cursor,
            touched,
        } = self
            && from < arrangement.len()
            && to < arrangement.len()
        {
            let step = arrangement.remove(from);
            arrangement.insert(to, step);
            *cursor = to;
            *touched |= from != to;
        }
    }

    /// Ordering: moves the focused step up (`-1`) or down (`+1`).
    pub fn move_cursor_step(&mut self, delta: i32) {
        if let QuestionInput::Order {
            cursor,
            arrangement,
            ..
        } = self
        {
            let from = *cursor;
            let to = from as i64 + i64::from(delta);
            if to >= 0 && (to as usize) < arrangement.len() {
                self.move_step(from, to as usize);
            }
        }
    }

    /// Matching: pairs left item `left` with the right item shown at display position `pos`;
    /// a right item already used elsewhere moves to this left item.
    pub fn pair(&mut self, left: usize, pos: usize) {
        if let QuestionInput::Match {
            right_order,
            picks,
            active_left,
        } = self
        {
            let Some(&right) = right_order.get(pos) else {
                return;
            };
            if left >= picks.len() {
                return;
            }
            for p in picks.iter_mut() {
                if *p == Some(right) {
                    *p = None;
                }
            }
            picks[left] = Some(right);
            *active_left = picks.iter().position(Option::is_none);
        }
    }

    /// The learner's answer in the card's own order (as graded and stored), `None` for
    /// flashcards and unanswered true/false.
    pub fn to_response(&self) -> Option<Response> {
        match self {
            QuestionInput::Choices {
                selected, select, ..
            } => {
                let chosen: Vec<usize> = selected
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| **s)
                    .map(|(i, _)| i)
                    .collect();
                if *select == 1 {
                    chosen.first().map(|&choice| Response::Single { choice })
                } else {
                    Some(Response::Multiple { choices: chosen })
                }
            }
            QuestionInput::TrueFalse(v) => v.map(|answer| Response::TrueFalse { answer }),
            QuestionInput::Order { arrangement, .. } => Some(Response::Order {
                steps: arrangement.clone(),
            }),
            QuestionInput::Match { picks, .. } => Some(Response::Match {
                pairs: picks.clone(),
            }),
            QuestionInput::None => None,
        }
    }

    /// Puts a stored answer back (a mock exam revisiting a question).
    pub fn restore(&mut self, response: &Response) {
        match (self, response) {
            (QuestionInput::Choices { selected, .. }, Response::Single { choice }) => {
                selected
                    .iter_mut()
                    .enumerate()
                    .for_each(|(i, s)| *s = i == *choice);
            }
            (QuestionInput::Choices { selected, .. }, Response::Multiple { choices }) => {
                selected
                    .iter_mut()
                    .enumerate()
                    .for_each(|(i, s)| *s = choices.contains(&i));
            }
            (QuestionInput::TrueFalse(v), Response::TrueFalse { answer }) => *v = Some(*answer),
            (
                QuestionInput::Order {
                    arrangement,
                    touched,
                    ..
                },
                Response::Order { steps },
            ) if steps.len() == arrangement.len() => {
                arrangement.clone_from(steps);
                *touched = true;
            }
            (QuestionInput::Match { picks, .. }, Response::Match { pairs })
                if pairs.len() == picks.len() =>
            {
                picks.clone_from(pairs);
            }
            _ => {}
        }
    }

    /// True once enough is chosen to submit.
    pub fn is_complete(&self) -> bool {
        match self {
            QuestionInput::Choices {
                selected, select, ..
            } => selected.iter().filter(|s| **s).count() == *select,
            QuestionInput::TrueFalse(v) => v.is_some(),
            QuestionInput::Order { touched, .. } => *touched,
            QuestionInput::Match { picks, .. } => picks.iter().all(Option::is_some),
            QuestionInput::None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Choice, Pair};

    fn card(body: CardBody) -> Card {
        Card {
            id: "q".into(),
            prompt: "p".into(),
            body,
            explanation: None,
            source: None,
            domain: None,
            tags: vec![],
            content_hash: String::new(),
            line: 1,
            column: 1,
            lint_allow: Vec::new(),
        }
    }

    fn choices(n: usize, correct: &[usize]) -> Vec<Choice> {
        (0..n)
            .map(|i| Choice {
                text: format!("c{i}"),
                correct: correct.contains(&i),
                why: None,
            })
            .collect()
    }

    #[test]
    fn single_choice_replaces_and_multiple_toggles() {
        let single = card(CardBody::Single {
            choices: choices(4, &[2]),
        });
        let mut input = QuestionInput::new(&single, &[3, 2, 1, 0]);
        input.pick_position(0); // shows choice 3
        input.pick_position(1); // shows choice 2
        assert_eq!(
            input,
            QuestionInput::Choices {
                order: vec![3, 2, 1, 0],
                selected: vec![false, false, true, false],
                select: 1
            }
        );
        assert!(input.is_complete());

        let multi = card(CardBody::Multiple {
            choices: choices(4, &[0, 1]),
            select: 2,
        });
        let mut input = QuestionInput::new(&multi, &[0, 1, 2, 3]);
        input.pick_position(0);
        assert!(!input.is_complete());
        input.pick_position(1);
        assert!(input.is_complete());
        input.pick_position(1);
        assert!(!input.is_complete(), "picking again un-ticks");
    }

    #[test]
    fn responses_use_the_cards_own_order_and_round_trip() {
        let multi = card(CardBody::Multiple {
            choices: choices(4, &[0, 3]),
            select: 2,
        });
        let mut input = QuestionInput::new(&multi, &[3, 2, 1, 0]);
        input.pick_position(0); // choice 3
        input.pick_position(3); // choice 0
        let r = input.to_response().expect("answer");
        assert_eq!(
            r,
            Response::Multiple {
                choices: vec![0, 3]
            }
        );
        assert!(crate::exam::response::grade(&multi, &r));
        let mut again = QuestionInput::new(&multi, &[3, 2, 1, 0]);
        again.restore(&r);
        assert_eq!(again, input);
    }

    #[test]
    fn invalid_shuffle_falls_back_to_file_order() {
        let c = card(CardBody::Single {
            choices: choices(3, &[0]),
        });
        let QuestionInput::Choices { order, .. } = QuestionInput::new(&c, &[0, 0, 9]) else {
            panic!("choices input")
        };
        assert_eq!(order, vec![0, 1, 2]);
    }

    #[test]
    fn ordering_moves_steps_with_keys_and_drag() {
        let c = card(CardBody::Order {
            steps: vec!["a".into(), "b".into(), "c".into()],
        });
        let mut input = QuestionInput::new(&c, &[2, 0, 1]);
        assert!(!input.is_complete(), "an untouched order is no answer yet");
        input.pick_position(0);
        input.move_cursor_step(1); // step 2 moves down
        input.move_step(2, 0);
        assert_eq!(
            input,
            QuestionInput::Order {
                arrangement: vec![1, 0, 2],
                cursor: 0,
                touched: true
            }
        );
        input.move_cursor_step(-1); // already at the top: nothing happens
        assert_eq!(
            input,
            QuestionInput::Order {
                arrangement: vec![1, 0, 2],
                cursor: 0,
                touched: true
            }
        );
    }

    #[test]
    fn matching_pairs_move_a_used_right_item() {
        let pairs = (0..3)
            .map(|i| Pair {
                left: format!("l{i}"),
                right: format!("r{i}"),
            })
            .collect();
        let c = card(CardBody::Match { pairs });
        let mut input = QuestionInput::new(&c, &[1, 2, 0]);
        input.pair(0, 2); // right item 0
        input.pair(1, 2); // right item 0 again: taken from left 0
        let QuestionInput::Match {
            picks, active_left, ..
        } = &input
        else {
            panic!("match")
        };
        assert_eq!(picks, &vec![None, Some(0), None]);
        assert_eq!(*active_left, Some(0));
        input.pair(0, 0);
        input.pair(2, 1);
        assert!(input.is_complete());
    }
}
