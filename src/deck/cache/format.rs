//! The records of a cache entry: one deck or exam file's read result, split into an index
//! (everything the queue, counts, browse list and cross-file checks need) and card bodies
//! (prompt, kind content, explanation, source), each body a record of its own so it can be read
//! alone.
//!
//! The model's `CardBody` is tagged for JSON (`kind: …`), which postcard cannot read back, so
//! bodies are mirrored here with plain serde enums.

use super::lazy::{BodyRef, CardTexts};
use crate::deck::diagnostics::Diagnostic;
use crate::deck::model::{Card, CardBody, Choice, Deck, ExamBlueprint, Pair};
use crate::deck::reader::{Pending, ReadDeck, ReadExam};
use crate::deck::yaml::Loc;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One file's read result, as the library uses it.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A deck file.
    Deck(ReadDeck),
    /// An exam blueprint file.
    Exam(ReadExam),
}

/// The index record of a file.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FileIndex {
    pub(super) id_loc: Loc,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) what: IndexKind,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) enum IndexKind {
    Deck {
        pending: Vec<Pending>,
        deck: Option<DeckIndex>,
    },
    Exam(Option<ExamBlueprint>),
}

/// A deck without its card bodies.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct DeckIndex {
    id: String,
    title: String,
    description: Option<String>,
    version: Option<String>,
    authors: Vec<String>,
    license: Option<String>,
    exam: Option<String>,
    domain: Option<String>,
    tags: Vec<String>,
    pub(super) cards: Vec<CardIndex>,
}

/// What the queue and browse list need of a card, and where its body record is.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct CardIndex {
    id: String,
    shape: Shape,
    domain: Option<String>,
    tags: Vec<String>,
    content_hash: String,
    line: u32,
    column: u32,
    lint_allow: Vec<String>,
    /// Offset of the body record in the bodies section.
    pub(super) body_at: u64,
    /// Its length in bytes.
    pub(super) body_len: u32,
    /// CRC-32 of its bytes.
    pub(super) body_crc: u32,
}

/// A card body without its text: what the queue, exam papers and grading need (kind, cloze
/// numbers, which options are right, how many steps or pairs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) enum Shape {
    Basic,
    Cloze(Vec<u16>),
    Single(Vec<bool>),
    Multiple(Vec<bool>, u64),
    TrueFalse(bool),
    Order(u32),
    Match(u32),
}

impl Shape {
    fn of(b: &CardBody) -> Shape {
        let correct = |c: &[Choice]| c.iter().map(|c| c.correct).collect();
        match b {
            CardBody::Basic { .. } => Shape::Basic,
            CardBody::Cloze { ordinals } => Shape::Cloze(ordinals.clone()),
            CardBody::Single { choices } => Shape::Single(correct(choices)),
            CardBody::Multiple { choices, select } => {
                Shape::Multiple(correct(choices), *select as u64)
            }
            CardBody::TrueFalse { answer } => Shape::TrueFalse(*answer),
            CardBody::Order { steps } => Shape::Order(steps.len() as u32),
            CardBody::Match { pairs } => Shape::Match(pairs.len() as u32),
        }
    }

    /// A body of this shape with empty texts.
    fn skeleton(&self) -> Option<CardBody> {
        let choices = |c: &[bool]| {
            c.iter()
                .map(|&correct| Choice {
                    text: String::new(),
                    correct,
                    why: None,
                })
                .collect()
        };
        Some(match self {
            Shape::Basic => CardBody::Basic {
                answer: String::new(),
            },
            Shape::Cloze(ordinals) => CardBody::Cloze {
                ordinals: ordinals.clone(),
            },
            Shape::Single(c) => CardBody::Single {
                choices: choices(c),
            },
            Shape::Multiple(c, select) => CardBody::Multiple {
                choices: choices(c),
                select: usize::try_from(*select).ok()?,
            },
            Shape::TrueFalse(answer) => CardBody::TrueFalse { answer: *answer },
            Shape::Order(n) => CardBody::Order {
                steps: vec![String::new(); *n as usize],
            },
            Shape::Match(n) => CardBody::Match {
                pairs: vec![
                    Pair {
                        left: String::new(),
                        right: String::new(),
                    };
                    *n as usize
                ],
            },
        })
    }
}

/// A card's text: what only the card view needs.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct CardContent {
    prompt: String,
    body: Body,
    explanation: Option<String>,
    source: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
enum Body {
    Basic(String),
    Cloze(Vec<u16>),
    Single(Vec<Choice>),
    Multiple(Vec<Choice>, u64),
    TrueFalse(bool),
    Order(Vec<String>),
    Match(Vec<Pair>),
}

impl From<&CardBody> for Body {
    fn from(b: &CardBody) -> Body {
        match b {
            CardBody::Basic { answer } => Body::Basic(answer.clone()),
            CardBody::Cloze { ordinals } => Body::Cloze(ordinals.clone()),
            CardBody::Single { choices } => Body::Single(choices.clone()),
            CardBody::Multiple { choices, select } => {
                Body::Multiple(choices.clone(), *select as u64)
            }
            CardBody::TrueFalse { answer } => Body::TrueFalse(*answer),
            CardBody::Order { steps } => Body::Order(steps.clone()),
            CardBody::Match { pairs } => Body::Match(pairs.clone()),
        }
    }
}

impl Body {
    fn into_model(self) -> Option<CardBody> {
        Some(match self {
            Body::Basic(answer) => CardBody::Basic { answer },
            Body::Cloze(ordinals) => CardBody::Cloze { ordinals },
            Body::Single(choices) => CardBody::Single { choices },
            Body::Multiple(choices, select) => CardBody::Multiple {
                choices,
                select: usize::try_from(select).ok()?,
            },
            Body::TrueFalse(answer) => CardBody::TrueFalse { answer },
            Body::Order(steps) => CardBody::Order { steps },
            Body::Match(pairs) => CardBody::Match { pairs },
        })
    }
}

/// A cache record that is truncated, damaged or not of this format: it is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Damaged;

/// Splits a read result into its index and its bodies section.
pub(super) fn split(parsed: &Parsed) -> Result<(FileIndex, Vec<u8>), postcard::Error> {
    let mut bodies = Vec::new();
    let (id_loc, diags, what) = match parsed {
        Parsed::Exam(r) => (r.id_loc, r.diags.clone(), IndexKind::Exam(r.exam.clone())),
        Parsed::Deck(r) => {
            let deck = match &r.deck {
                None => None,
                Some(d) => Some(deck_index(d, &mut bodies)?),
            };
            (
                r.id_loc,
                r.diags.clone(),
                IndexKind::Deck {
                    pending: r.pending.clone(),
                    deck,
                },
            )
        }
    };
    Ok((
        FileIndex {
            id_loc,
            diags,
            what,
        },
        bodies,
    ))
}

fn deck_index(d: &Deck, bodies: &mut Vec<u8>) -> Result<DeckIndex, postcard::Error> {
    let mut cards = Vec::with_capacity(d.cards.len());
    for c in &d.cards {
        let content = CardContent {
            prompt: c.prompt.clone(),
            body: Body::from(&c.body),
            explanation: c.explanation.clone(),
            source: c.source.clone(),
        };
        let bytes = postcard::to_allocvec(&content)?;
        let body_at = bodies.len() as u64;
        let body_len =
            u32::try_from(bytes.len()).map_err(|_| postcard::Error::SerializeBufferFull)?;
        cards.push(CardIndex {
            id: c.id.clone(),
            shape: Shape::of(&c.body),
            domain: c.domain.clone(),
            tags: c.tags.clone(),
            content_hash: c.content_hash.clone(),
            line: c.line,
            column: c.column,
            lint_allow: c.lint_allow.clone(),
            body_at,
            body_len,
            body_crc: crc32fast::hash(&bytes),
        });
        bodies.extend_from_slice(&bytes);
    }
    Ok(DeckIndex {
        id: d.id.clone(),
        title: d.title.clone(),
        description: d.description.clone(),
        version: d.version.clone(),
        authors: d.authors.clone(),
        license: d.license.clone(),
        exam: d.exam.clone(),
        domain: d.domain.clone(),
        tags: d.tags.clone(),
        cards,
    })
}

/// Reads one card's body record out of the bodies section, checking its bounds and checksum.
pub(super) fn read_body(bodies: &[u8], card: &CardIndex) -> Result<CardContent, Damaged> {
    let start = usize::try_from(card.body_at).map_err(|_| Damaged)?;
    let end = start.checked_add(card.body_len as usize).ok_or(Damaged)?;
    let bytes = bodies.get(start..end).ok_or(Damaged)?;
    if crc32fast::hash(bytes) != card.body_crc {
        return Err(Damaged);
    }
    postcard::from_bytes(bytes).map_err(|_| Damaged)
}

/// Joins an index and its bodies back into a read result.
pub(super) fn join(index: FileIndex, bodies: &[u8]) -> Result<Parsed, Damaged> {
    join_with(index, |d| join_deck(d, bodies))
}

/// An index as a read result whose cards get their text from `make_texts` when shown.
/// `bodies_len`: the length of the bodies section, which every body must lie inside.
pub(super) fn join_lazy(
    index: FileIndex,
    bodies_len: u64,
    make_texts: impl FnOnce(Vec<BodyRef>) -> Arc<CardTexts>,
) -> Result<Parsed, Damaged> {
    join_with(index, |d| join_deck_lazy(d, bodies_len, make_texts))
}

fn join_with(
    index: FileIndex,
    deck_of: impl FnOnce(DeckIndex) -> Result<Deck, Damaged>,
) -> Result<Parsed, Damaged> {
    Ok(match index.what {
        IndexKind::Exam(exam) => Parsed::Exam(ReadExam {
            exam,
            id_loc: index.id_loc,
            diags: index.diags,
        }),
        IndexKind::Deck { pending, deck } => {
            let deck = match deck {
                None => None,
                Some(d) => Some(deck_of(d)?),
            };
            Parsed::Deck(ReadDeck {
                deck,
                id_loc: index.id_loc,
                diags: index.diags,
                pending,
            })
        }
    })
}

fn join_deck(mut d: DeckIndex, bodies: &[u8]) -> Result<Deck, Damaged> {
    let mut cards = Vec::with_capacity(d.cards.len());
    for ci in std::mem::take(&mut d.cards) {
        let content = read_body(bodies, &ci)?;
        cards.push(with_content(bare(ci)?, content)?);
    }
    Ok(deck_of(d, cards, None))
}

/// A deck whose cards carry no text yet: each is read from `texts` when it is shown.
pub(super) fn join_deck_lazy(
    mut d: DeckIndex,
    bodies_len: u64,
    make_texts: impl FnOnce(Vec<BodyRef>) -> Arc<CardTexts>,
) -> Result<Deck, Damaged> {
    let mut cards = Vec::with_capacity(d.cards.len());
    let mut refs = Vec::with_capacity(d.cards.len());
    for ci in std::mem::take(&mut d.cards) {
        // A body outside the section would be read from elsewhere, or sized at will.
        match ci.body_at.checked_add(u64::from(ci.body_len)) {
            Some(end) if end <= bodies_len => {}
            _ => return Err(Damaged),
        }
        refs.push(BodyRef {
            at: ci.body_at,
            len: ci.body_len,
            crc: ci.body_crc,
        });
        cards.push(bare(ci)?);
    }
    let texts = make_texts(refs);
    Ok(deck_of(d, cards, Some(texts)))
}

fn deck_of(d: DeckIndex, cards: Vec<Card>, texts: Option<Arc<CardTexts>>) -> Deck {
    Deck {
        id: d.id,
        title: d.title,
        description: d.description,
        version: d.version,
        authors: d.authors,
        license: d.license,
        exam: d.exam,
        domain: d.domain,
        tags: d.tags,
        cards,
        texts,
    }
}

/// A card of the index with a body of its shape and no text.
fn bare(ci: CardIndex) -> Result<Card, Damaged> {
    Ok(Card {
        body: ci.shape.skeleton().ok_or(Damaged)?,
        id: ci.id,
        prompt: String::new(),
        explanation: None,
        source: None,
        domain: ci.domain,
        tags: ci.tags,
        content_hash: ci.content_hash,
        line: ci.line,
        column: ci.column,
        lint_allow: ci.lint_allow,
    })
}

/// A skeleton card with its text put in; the body must have the shape the index gave.
pub(super) fn with_content(mut card: Card, content: CardContent) -> Result<Card, Damaged> {
    let body = content.body.into_model().ok_or(Damaged)?;
    if Shape::of(&body) != Shape::of(&card.body) {
        return Err(Damaged);
    }
    card.prompt = content.prompt;
    card.body = body;
    card.explanation = content.explanation;
    card.source = content.source;
    Ok(card)
}

/// Decodes one body record's bytes, checking its length and checksum.
pub(super) fn decode_body(bytes: &[u8], r: &BodyRef) -> Result<CardContent, Damaged> {
    if bytes.len() != r.len as usize || crc32fast::hash(bytes) != r.crc {
        return Err(Damaged);
    }
    postcard::from_bytes(bytes).map_err(|_| Damaged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::reader;
    use std::path::PathBuf;

    const DECK: &str = "examdeck: 1\nid: t\ntitle: T\ncards:\n  - id: a\n    kind: basic\n    prompt: P\n    answer: A\n  - id: b\n    kind: order\n    prompt: Q\n    steps: [one, two, three]\n";

    fn index() -> (FileIndex, Vec<u8>) {
        let parsed = Parsed::Deck(reader::read_deck("t.yaml", DECK));
        split(&parsed).expect("split")
    }

    fn lazy(index: FileIndex, bodies_len: u64) -> Result<Parsed, Damaged> {
        join_lazy(index, bodies_len, |refs| {
            Arc::new(CardTexts::new(PathBuf::from("none"), 0, refs, None))
        })
    }

    fn cards(index: &mut FileIndex) -> &mut Vec<CardIndex> {
        match &mut index.what {
            IndexKind::Deck { deck: Some(d), .. } => &mut d.cards,
            _ => panic!("no deck"),
        }
    }

    #[test]
    fn a_body_outside_the_bodies_section_is_refused() {
        let (good, bodies) = index();
        let len = bodies.len() as u64;
        assert!(lazy(good, len).is_ok());
        for (at, n) in [(0, u32::MAX), (len, 1), (u64::MAX, 2)] {
            let (mut bad, _) = index();
            cards(&mut bad)[1].body_at = at;
            cards(&mut bad)[1].body_len = n;
            assert!(lazy(bad, len).is_err(), "body at {at} of {n} bytes");
        }
    }

    #[test]
    fn a_body_of_another_shape_than_the_index_says_is_refused() {
        let (mut index, bodies) = index();
        // Card `b` has three steps; an index saying four would show a step with no text.
        cards(&mut index)[1].shape = Shape::Order(4);
        assert!(join(index, &bodies).is_err());
    }
}
