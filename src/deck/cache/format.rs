//! The records of a cache entry: one deck or exam file's read result, split into an index
//! (everything the queue, counts, browse list and cross-file checks need) and card bodies
//! (prompt, kind content, explanation, source), each body a record of its own so it can be read
//! alone.
//!
//! The model's `CardBody` is tagged for JSON (`kind: …`), which postcard cannot read back, so
//! bodies are mirrored here with plain serde enums.

use super::lazy::{BodyRef, CardTexts, IndexedCards};
use crate::deck::cards::{CardSource, Cards, SyncDigest};
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

/// A deck without its cards: they are in the entry's cards section (a postcard
/// `Vec<CardIndex>`), decoded when first used.
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
    /// How many cards the cards section holds.
    pub(super) card_count: u32,
    /// Their sync digest (a warm start registers the library without decoding them).
    pub(super) digest: SyncDigest,
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

/// A read result split into its index, its cards section and its bodies section.
pub(super) struct Split {
    pub(super) index: FileIndex,
    pub(super) cards: Vec<u8>,
    pub(super) bodies: Vec<u8>,
}

/// Splits a read result into its index, cards and bodies sections.
pub(super) fn split(parsed: &Parsed) -> Result<Split, postcard::Error> {
    let mut bodies = Vec::new();
    let mut cards = Vec::new();
    let (id_loc, diags, what) = match parsed {
        Parsed::Exam(r) => (r.id_loc, r.diags.clone(), IndexKind::Exam(r.exam.clone())),
        Parsed::Deck(r) => {
            let deck = match &r.deck {
                None => None,
                Some(d) => {
                    let (index, card_index) = deck_index(d, &mut bodies)?;
                    cards = postcard::to_allocvec(&card_index)?;
                    Some(index)
                }
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
    Ok(Split {
        index: FileIndex {
            id_loc,
            diags,
            what,
        },
        cards,
        bodies,
    })
}

fn deck_index(
    d: &Deck,
    bodies: &mut Vec<u8>,
) -> Result<(DeckIndex, Vec<CardIndex>), postcard::Error> {
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
    let card_count =
        u32::try_from(cards.len()).map_err(|_| postcard::Error::SerializeBufferFull)?;
    let index = DeckIndex {
        id: d.id.clone(),
        title: d.title.clone(),
        description: d.description.clone(),
        version: d.version.clone(),
        authors: d.authors.clone(),
        license: d.license.clone(),
        exam: d.exam.clone(),
        domain: d.domain.clone(),
        tags: d.tags.clone(),
        card_count,
        digest: d.cards.digest(),
    };
    Ok((index, cards))
}

/// Decodes a cards section (`crc`: its CRC-32) of `count` cards whose bodies must lie inside
/// a bodies section of `bodies_len` bytes: text-less cards and where each one's body is.
pub(super) fn decode_cards(
    bytes: &[u8],
    crc: u32,
    count: u32,
    bodies_len: u64,
) -> Result<(Vec<Card>, Vec<BodyRef>), Damaged> {
    if crc32fast::hash(bytes) != crc {
        return Err(Damaged);
    }
    let index: Vec<CardIndex> = postcard::from_bytes(bytes).map_err(|_| Damaged)?;
    if index.len() != count as usize {
        return Err(Damaged);
    }
    let mut cards = Vec::with_capacity(index.len());
    let mut refs = Vec::with_capacity(index.len());
    for ci in index {
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
    Ok((cards, refs))
}

/// Joins an index, its cards section (`cards_crc`: its CRC-32) and its bodies back into a
/// read result.
pub(super) fn join(
    index: FileIndex,
    cards: &[u8],
    cards_crc: u32,
    bodies: &[u8],
) -> Result<Parsed, Damaged> {
    join_with(index, |d| {
        let full = full_cards(cards, cards_crc, d.card_count, bodies)?;
        Ok(deck_of(d, full.into(), None))
    })
}

/// Every card of a cards section (`cards_crc`: its CRC-32, `count` cards) with its text
/// from `bodies`.
fn full_cards(
    cards: &[u8],
    cards_crc: u32,
    count: u32,
    bodies: &[u8],
) -> Result<Vec<Card>, Damaged> {
    let (bare, refs) = decode_cards(cards, cards_crc, count, bodies.len() as u64)?;
    let mut full = Vec::with_capacity(bare.len());
    for (card, r) in bare.into_iter().zip(&refs) {
        let start = usize::try_from(r.at).map_err(|_| Damaged)?;
        let end = start.checked_add(r.len as usize).ok_or(Damaged)?;
        let bytes = bodies.get(start..end).ok_or(Damaged)?;
        full.push(with_content(card, decode_body(bytes, r)?)?);
    }
    Ok(full)
}

/// Gives a deck's cards when its entry's do not decode.
pub(super) type Fallback = Box<dyn Fn() -> Vec<Card> + Send + Sync>;

/// An index as a read result whose cards, with their texts, are decoded from `section` (the
/// cards section, `cards_len` bytes with CRC-32 `cards_crc`, then the bodies) when first
/// used; `fallback` gives them should that fail.
pub(super) fn join_deferred(
    index: FileIndex,
    section: Vec<u8>,
    cards_len: usize,
    cards_crc: u32,
    fallback: Fallback,
) -> Result<Parsed, Damaged> {
    join_with(index, |d| {
        let count = d.card_count as usize;
        let digest = d.digest;
        let source = WholeCards {
            section,
            cards_len,
            cards_crc,
            count: d.card_count,
            fallback,
        };
        Ok(deck_of(
            d,
            Cards::lazy(Arc::new(source), count, digest),
            None,
        ))
    })
}

/// A deck's cards with their texts, still encoded (the bundled content's entries).
struct WholeCards {
    section: Vec<u8>,
    cards_len: usize,
    cards_crc: u32,
    count: u32,
    fallback: Fallback,
}

impl CardSource for WholeCards {
    fn decode(&self) -> (Vec<Card>, bool) {
        let full = self
            .section
            .split_at_checked(self.cards_len)
            .ok_or(Damaged)
            .and_then(|(cards, bodies)| full_cards(cards, self.cards_crc, self.count, bodies));
        match full {
            Ok(cards) => (cards, true),
            Err(_) => ((self.fallback)(), false),
        }
    }
}

/// An index as a read result whose cards are decoded from `cards` (a cards section whose
/// CRC-32 is `cards_crc`, bodies inside `bodies_len` bytes) when first used, and get their
/// text from `make_texts` (given the number of cards) when shown.
pub(super) fn join_lazy(
    index: FileIndex,
    cards: Vec<u8>,
    cards_crc: u32,
    bodies_len: u64,
    make_texts: impl FnOnce(usize) -> Arc<CardTexts>,
) -> Result<Parsed, Damaged> {
    join_with(index, |d| {
        let count = d.card_count as usize;
        let texts = make_texts(count);
        let source = IndexedCards::new(cards, cards_crc, d.card_count, bodies_len, texts.clone());
        let lazy = Cards::lazy(Arc::new(source), count, d.digest);
        Ok(deck_of(d, lazy, Some(texts)))
    })
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

fn deck_of(d: DeckIndex, cards: Cards, texts: Option<Arc<CardTexts>>) -> Deck {
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
    use crate::deck::cache::DeckFile;
    use crate::deck::reader;
    use std::path::PathBuf;

    const DECK: &str = "examdeck: 1\nid: t\ntitle: T\ncards:\n  - id: a\n    kind: basic\n    prompt: P\n    answer: A\n  - id: b\n    kind: order\n    prompt: Q\n    steps: [one, two, three]\n";

    fn split_deck() -> Split {
        split(&Parsed::Deck(reader::read_deck("t.yaml", DECK))).expect("split")
    }

    fn cards_of(sp: &Split) -> Vec<CardIndex> {
        postcard::from_bytes(&sp.cards).expect("cards")
    }

    fn encoded(cards: &[CardIndex]) -> (Vec<u8>, u32) {
        let bytes = postcard::to_allocvec(cards).expect("encode");
        let crc = crc32fast::hash(&bytes);
        (bytes, crc)
    }

    #[test]
    fn a_body_outside_the_bodies_section_is_refused() {
        let good = split_deck();
        let len = good.bodies.len() as u64;
        let (bytes, crc) = encoded(&cards_of(&good));
        assert!(decode_cards(&bytes, crc, 2, len).is_ok());
        for (at, n) in [(0, u32::MAX), (len, 1), (u64::MAX, 2)] {
            let mut cards = cards_of(&good);
            cards[1].body_at = at;
            cards[1].body_len = n;
            let (bytes, crc) = encoded(&cards);
            assert!(
                decode_cards(&bytes, crc, 2, len).is_err(),
                "body at {at} of {n} bytes"
            );
        }
    }

    #[test]
    fn a_cards_section_of_another_count_or_checksum_is_refused() {
        let good = split_deck();
        let len = good.bodies.len() as u64;
        let (bytes, crc) = encoded(&cards_of(&good));
        assert!(
            decode_cards(&bytes, crc, 3, len).is_err(),
            "the index says 3"
        );
        assert!(decode_cards(&bytes, crc ^ 1, 2, len).is_err());
    }

    #[test]
    fn a_body_of_another_shape_than_the_index_says_is_refused() {
        let sp = split_deck();
        let mut cards = cards_of(&sp);
        // Card `b` has three steps; an index saying four would show a step with no text.
        cards[1].shape = Shape::Order(4);
        let (bytes, crc) = encoded(&cards);
        assert!(join(sp.index, &bytes, crc, &sp.bodies).is_err());
    }

    #[test]
    fn lazy_cards_are_decoded_on_first_use_and_equal_the_read_ones() {
        let sp = split_deck();
        let crc = crc32fast::hash(&sp.cards);
        let bodies_len = sp.bodies.len() as u64;
        let Ok(Parsed::Deck(r)) = join_lazy(sp.index, sp.cards, crc, bodies_len, |n| {
            Arc::new(CardTexts::new(PathBuf::from("none"), 0, n, None))
        }) else {
            panic!("not a deck");
        };
        let deck = r.deck.expect("deck");
        let read = reader::read_deck("t.yaml", DECK).deck.expect("deck");
        assert!(!deck.cards.is_decoded());
        assert_eq!(deck.cards.len(), 2);
        assert_eq!(deck.cards.digest(), read.cards.digest());
        assert!(
            !deck.cards.is_decoded(),
            "length and digest need no decoding"
        );
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(deck.cards.is_decoded());
        assert_eq!(deck.cards.digest(), read.cards.digest());
    }

    #[test]
    fn lazy_cards_that_do_not_decode_are_read_from_the_deck_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("t.yaml");
        std::fs::write(&file, DECK).expect("write");
        let sp = split_deck();
        let bodies_len = sp.bodies.len() as u64;
        let source = DeckFile {
            path: file,
            confine: Some(dir.path().to_path_buf()),
            display: "t.yaml".into(),
        };
        // A wrong checksum: the section is not trusted.
        let Ok(Parsed::Deck(r)) = join_lazy(sp.index, sp.cards, 0, bodies_len, |n| {
            Arc::new(CardTexts::new(PathBuf::from("none"), 0, n, Some(source)))
        }) else {
            panic!("not a deck");
        };
        let deck = r.deck.expect("deck");
        let read = reader::read_deck("t.yaml", DECK).deck.expect("deck");
        assert_eq!(*deck.cards, *read.cards, "with their texts, from the file");
        assert_eq!(deck.full_card(1), read.cards.get(1));
    }

    #[test]
    fn deferred_cards_are_whole_and_a_section_that_does_not_decode_falls_back() {
        let sp = split_deck();
        let read = reader::read_deck("t.yaml", DECK).deck.expect("deck");
        let crc = crc32fast::hash(&sp.cards);
        let cards_len = sp.cards.len();
        let mut section = sp.cards.clone();
        section.extend_from_slice(&sp.bodies);
        let again = || split_deck().index;
        let fallback = || -> Fallback {
            Box::new(|| {
                reader::read_deck("t.yaml", DECK)
                    .deck
                    .map(|d| d.cards.into_vec())
                    .unwrap_or_default()
            })
        };
        for (crc, name) in [(crc, "sound"), (crc ^ 1, "damaged")] {
            let Ok(Parsed::Deck(r)) =
                join_deferred(again(), section.clone(), cards_len, crc, fallback())
            else {
                panic!("not a deck");
            };
            let deck = r.deck.expect("deck");
            assert!(!deck.cards.is_decoded(), "{name}");
            assert_eq!(*deck.cards, *read.cards, "{name}: whole cards");
            assert_eq!(deck.cards.digest(), read.cards.digest(), "{name}");
        }
    }
}
