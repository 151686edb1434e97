//! The deck format's data model: what a valid deck file means, independent of YAML.

use crate::deck::cache::CardTexts;
use crate::deck::cards::Cards;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// The newest deck format version this app reads.
pub const FORMAT_VERSION: i64 = 1;

/// A deck: one file of cards on one subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deck {
    /// Library-wide unique id, e.g. `aws-security/cloudtrail`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Markdown description.
    pub description: Option<String>,
    /// The author's version string.
    pub version: Option<String>,
    /// Authors' names.
    pub authors: Vec<String>,
    /// Licence of the content (SPDX id preferred).
    pub license: Option<String>,
    /// Id of the exam blueprint this deck serves.
    pub exam: Option<String>,
    /// Default blueprint domain for cards without their own.
    pub domain: Option<String>,
    /// Tags given to every card.
    pub tags: Vec<String>,
    /// The cards, in file order (only those without errors). A deck taken from the library
    /// cache decodes them on first use, without their text (see [`Deck::full_card`]).
    pub cards: Cards,
    /// Where the cards' texts are when the deck came from the library cache; `None`: the
    /// cards hold their text.
    #[serde(skip)]
    pub texts: Option<Arc<CardTexts>>,
}

/// How a new version of a deck differs from an installed one, counted in cards by id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardChanges {
    /// Cards the installed copy lacks.
    pub added: usize,
    /// Cards whose learner-visible content differs.
    pub changed: usize,
    /// Cards of the installed copy the new version no longer has.
    pub removed: usize,
}

impl Deck {
    /// Card `i` with its text (from the library cache on first use, then kept).
    pub fn full_card(&self, i: usize) -> Option<&Card> {
        let bare = self.cards.get(i)?;
        Some(match &self.texts {
            None => bare,
            Some(t) => t.card(i, bare),
        })
    }

    /// The card with this id, with its text.
    pub fn full_card_by_id(&self, id: &str) -> Option<&Card> {
        let i = self.cards.iter().position(|c| c.id == id)?;
        self.full_card(i)
    }

    /// Every card with its text; from the library cache, read in one pass and not kept.
    pub fn full_cards(&self) -> Cow<'_, [Card]> {
        match &self.texts {
            None => Cow::Borrowed(&self.cards),
            Some(t) => Cow::Owned(t.all(&self.cards)),
        }
    }

    /// Puts every card's text in memory (the deck then no longer refers to the cache).
    pub fn load_texts(&mut self) {
        if let Some(t) = self.texts.take() {
            self.cards = t.all(&self.cards).into();
        }
    }

    /// What replacing `installed` (None: not installed) with this deck adds, changes and removes.
    pub fn changes_from(&self, installed: Option<&Deck>) -> CardChanges {
        let before: std::collections::HashMap<&str, &str> = installed
            .map(|o| {
                o.cards
                    .iter()
                    .map(|c| (c.id.as_str(), c.content_hash.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let now: std::collections::HashSet<&str> =
            self.cards.iter().map(|c| c.id.as_str()).collect();
        let mut out = CardChanges {
            removed: before.keys().filter(|id| !now.contains(*id)).count(),
            ..CardChanges::default()
        };
        for c in &self.cards {
            match before.get(c.id.as_str()) {
                None => out.added += 1,
                Some(h) if *h != c.content_hash => out.changed += 1,
                Some(_) => {}
            }
        }
        out
    }
}

/// One card (a flashcard or a question).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// Unique within the deck; stable across edits.
    pub id: String,
    /// Markdown prompt (for cloze: the text with `{{cN::…}}` markers).
    pub prompt: String,
    /// Kind-specific content.
    pub body: CardBody,
    /// Markdown explanation shown after answering.
    pub explanation: Option<String>,
    /// Where the fact comes from.
    pub source: Option<String>,
    /// Blueprint domain: the card's own, else the deck's.
    pub domain: Option<String>,
    /// Deck tags followed by the card's own, without duplicates.
    pub tags: Vec<String>,
    /// Hex SHA-256 of the learner-visible content; changes when the card is edited.
    pub content_hash: String,
    /// Line of the card in its file (for messages and editors).
    pub line: u32,
    /// Column of the card in its file (1-based; 0 when unknown).
    pub column: u32,
    /// Content-linter rules the author has judged and silenced for this card
    /// (`lint: {allow: [rule, …]}`; see `deck::lint`).
    pub lint_allow: Vec<String>,
}

/// What kind of card this is, with the data that kind needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum CardBody {
    /// Front and back.
    Basic {
        /// Markdown answer.
        answer: String,
    },
    /// Text with hidden parts; each distinct `cN` is its own review item.
    Cloze {
        /// The distinct deletion numbers, ascending.
        ordinals: Vec<u16>,
    },
    /// One correct choice.
    Single {
        /// The options.
        choices: Vec<Choice>,
    },
    /// "Choose N": all-or-nothing.
    Multiple {
        /// The options.
        choices: Vec<Choice>,
        /// How many to choose (the number of correct choices).
        select: usize,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// Steps to put in order (listed here in the correct order).
    Order {
        /// Markdown steps, correct order.
        steps: Vec<String>,
    },
    /// Pairs to match (right sides are shown shuffled).
    Match {
        /// The correct pairs.
        pairs: Vec<Pair>,
    },
}

impl CardBody {
    /// The kind's name as written in deck files.
    pub fn kind_name(&self) -> &'static str {
        match self {
            CardBody::Basic { .. } => "basic",
            CardBody::Cloze { .. } => "cloze",
            CardBody::Single { .. } => "single",
            CardBody::Multiple { .. } => "multiple",
            CardBody::TrueFalse { .. } => "truefalse",
            CardBody::Order { .. } => "order",
            CardBody::Match { .. } => "match",
        }
    }

    /// True for kinds graded automatically (exam-style questions).
    pub fn is_question(&self) -> bool {
        !matches!(self, CardBody::Basic { .. } | CardBody::Cloze { .. })
    }
}

/// All card kinds, in the order the docs list them.
pub const KINDS: [&str; 7] = [
    "basic",
    "cloze",
    "single",
    "multiple",
    "truefalse",
    "order",
    "match",
];

/// An option of a single or multiple choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Markdown text of the option.
    pub text: String,
    /// Whether choosing it is right.
    pub correct: bool,
    /// Why this option is right or wrong.
    pub why: Option<String>,
}

/// A left/right pair of a matching question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// The left item (shown in order).
    pub left: String,
    /// Its match (shown shuffled).
    pub right: String,
}

impl Card {
    /// The review items this card produces: one, or one per cloze deletion.
    pub fn ordinals(&self) -> Vec<u16> {
        match &self.body {
            CardBody::Cloze { ordinals } => ordinals.clone(),
            _ => vec![0],
        }
    }

    /// [`Card::ordinals`] without allocating.
    pub fn item_ordinals(&self) -> impl Iterator<Item = u16> + '_ {
        let cloze = match &self.body {
            CardBody::Cloze { ordinals } => Some(ordinals.iter().copied()),
            _ => None,
        };
        let plain = cloze.is_none().then_some(0u16);
        cloze.into_iter().flatten().chain(plain)
    }
}

/// Identity of one reviewable item: deck id + card id + cloze number (0 for other kinds).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ItemKey {
    /// The deck's id.
    pub deck: String,
    /// The card's id within the deck.
    pub card: String,
    /// Cloze number (`c1` → 1), 0 for non-cloze cards.
    pub ord: u16,
}

impl std::fmt::Display for ItemKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ord == 0 {
            write!(f, "{}#{}", self.deck, self.card)
        } else {
            write!(f, "{}#{}:c{}", self.deck, self.card, self.ord)
        }
    }
}

/// An exam blueprint: the shape of the real exam.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamBlueprint {
    /// Unique id, e.g. `aws-scs-c03`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Markdown description.
    pub description: Option<String>,
    /// Number of questions in the real exam (scored and unscored).
    pub questions: u32,
    /// Time allowed, in minutes.
    pub minutes: u32,
    /// Lowest reported score.
    pub scale_min: u32,
    /// Highest reported score.
    pub scale_max: u32,
    /// Score needed to pass, on the scale above.
    pub passing_score: u32,
    /// Date from which the exam can no longer be taken, `YYYY-MM-DD`.
    pub retired: Option<String>,
    /// The content domains with their weights.
    pub domains: Vec<ExamDomain>,
    /// The question kinds a paper holds and their shares (`items:`), in file order; empty
    /// when the blueprint declares none (then papers hold every exam kind but true/false).
    pub items: Vec<ItemShare>,
}

/// One question kind of an exam blueprint's `items:` mix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemShare {
    /// The kind as written in deck files: `single`, `multiple`, `order` or `match`.
    pub kind: String,
    /// Percent of a paper's questions (the shares of a blueprint add up to 100).
    pub share: f64,
}

/// A content domain of an exam.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamDomain {
    /// Id used by decks, e.g. `detection`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Share of the scored content, in percent.
    pub weight: f64,
    /// Domains of other blueprints (`exam-id/domain-id`) whose cards also serve this one.
    pub covers: Vec<String>,
}

/// True if `id` is a valid deck id: `a-z 0-9 -` segments separated by `/`.
pub fn is_valid_deck_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.split('/').all(is_valid_card_id)
}

/// True if `id` is a valid card, domain or exam id: lowercase `a-z 0-9 -`, not starting or
/// ending with `-`.
pub fn is_valid_card_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 96
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_deck_id("aws-security/cloudtrail"));
        assert!(is_valid_deck_id("kms"));
        assert!(!is_valid_deck_id("AWS/kms"));
        assert!(!is_valid_deck_id("aws//kms"));
        assert!(!is_valid_deck_id("/kms"));
        assert!(!is_valid_deck_id("kms_1"));
        assert!(is_valid_card_id("log-file-integrity-2"));
        assert!(!is_valid_card_id("log file"));
        assert!(!is_valid_card_id("-x"));
        assert!(!is_valid_card_id(""));
    }

    #[test]
    fn item_key_display() {
        let k = ItemKey {
            deck: "a/b".into(),
            card: "c".into(),
            ord: 2,
        };
        assert_eq!(k.to_string(), "a/b#c:c2");
    }
}
