//! The records of a cache entry: one deck or exam file's read result, split into an index
//! (everything the queue, counts, browse list and cross-file checks need) and card bodies
//! (prompt, kind content, explanation, source), each body a record of its own so it can be read
//! alone.
//!
//! The model's `CardBody` is tagged for JSON (`kind: …`), which postcard cannot read back, so
//! bodies are mirrored here with plain serde enums.

use crate::deck::diagnostics::Diagnostic;
use crate::deck::model::{Card, CardBody, Choice, Deck, ExamBlueprint, Pair};
use crate::deck::reader::{Pending, ReadDeck, ReadExam};
use crate::deck::yaml::Loc;
use serde::{Deserialize, Serialize};

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
    kind: String,
    ordinals: Vec<u16>,
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
            kind: c.body.kind_name().to_string(),
            ordinals: c.ordinals(),
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
    Ok(match index.what {
        IndexKind::Exam(exam) => Parsed::Exam(ReadExam {
            exam,
            id_loc: index.id_loc,
            diags: index.diags,
        }),
        IndexKind::Deck { pending, deck } => {
            let deck = match deck {
                None => None,
                Some(d) => Some(join_deck(d, bodies)?),
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

fn join_deck(d: DeckIndex, bodies: &[u8]) -> Result<Deck, Damaged> {
    let mut cards = Vec::with_capacity(d.cards.len());
    for ci in d.cards {
        let content = read_body(bodies, &ci)?;
        let body = content.body.into_model().ok_or(Damaged)?;
        // The index's kind and ordinals must agree with the body they describe.
        let card = Card {
            id: ci.id,
            prompt: content.prompt,
            body,
            explanation: content.explanation,
            source: content.source,
            domain: ci.domain,
            tags: ci.tags,
            content_hash: ci.content_hash,
            line: ci.line,
            column: ci.column,
            lint_allow: ci.lint_allow,
        };
        if card.body.kind_name() != ci.kind || card.ordinals() != ci.ordinals {
            return Err(Damaged);
        }
        cards.push(card);
    }
    Ok(Deck {
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
    })
}
