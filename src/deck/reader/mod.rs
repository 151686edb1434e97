//! Turns one deck or exam file's text into the data model, with every problem it has.
//!
//! Pure: no file system, no clock. Checks that need the rest of the library (domains, image
//! files, duplicate deck ids) are returned as [`Pending`] for the library to finish.

mod card;
mod exam;

use super::diagnostics::Diagnostic;
use super::fields::{Fields, Sink, as_seq, as_str};
use super::model::*;
use super::yaml::{self, Loc, Node, Value};
use card::{DeckCtx, collect_images, read_card};
pub use exam::{ReadExam, read_exam};

/// Prompts longer than this many characters get a warning: exam questions are shorter.
pub const LONG_PROMPT_CHARS: usize = 2_000;
/// Most cards one deck file may hold.
pub const MAX_CARDS_PER_DECK: usize = 20_000;

const DECK_FIELDS: &[&str] = &[
    "examdeck",
    "id",
    "title",
    "description",
    "version",
    "authors",
    "license",
    "exam",
    "domain",
    "tags",
    "cards",
];
const CARD_FIELDS: &[&str] = &[
    "id",
    "kind",
    "prompt",
    "text",
    "answer",
    "choices",
    "select",
    "steps",
    "pairs",
    "explanation",
    "source",
    "domain",
    "tags",
    "lint",
];
const CHOICE_FIELDS: &[&str] = &["text", "correct", "why"];
const PAIR_FIELDS: &[&str] = &["left", "right"];
const EXAM_FIELDS: &[&str] = &[
    "examdeck",
    "id",
    "title",
    "description",
    "questions",
    "minutes",
    "passing_score",
    "scale_min",
    "scale_max",
    "retired",
    "domains",
    "items",
];
const DOMAIN_FIELDS: &[&str] = &["id", "title", "weight", "covers"];

/// A check the library finishes once every file is read.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Pending {
    /// A domain id a card uses, to check against the deck's exam blueprint.
    Domain {
        /// The deck's exam id, if any.
        exam: Option<String>,
        /// The domain id.
        domain: String,
        /// Where it is written.
        loc: Loc,
    },
    /// The deck's exam id, to check that a blueprint with that id exists.
    Exam {
        /// The exam id.
        exam: String,
        /// Where it is written.
        loc: Loc,
    },
    /// A Markdown image, to resolve inside the deck's folder.
    Image {
        /// The URL as written.
        url: String,
        /// The field holding the Markdown.
        loc: Loc,
    },
}

/// The result of reading one deck file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadDeck {
    /// The deck, unless the file as a whole is unusable.
    pub deck: Option<Deck>,
    /// Location of the deck's `id` value.
    pub id_loc: Loc,
    /// Everything found wrong.
    pub diags: Vec<Diagnostic>,
    /// Checks left for the library.
    pub pending: Vec<Pending>,
}

/// Reads a deck file. `path` is only used in messages.
pub fn read_deck(path: &str, text: &str) -> ReadDeck {
    let mut sink = Sink::new(path);
    let mut pending = Vec::new();
    let mut out = ReadDeck {
        deck: None,
        id_loc: Loc::default(),
        diags: Vec::new(),
        pending: Vec::new(),
    };
    let Some(root) = parse_root(text, &mut sink) else {
        out.diags = sink.into_diags();
        return out;
    };
    let Some(mut f) = Fields::open(&root, "deck", &mut sink) else {
        out.diags = sink.into_diags();
        return out;
    };
    let version_ok = check_version(&mut f, &mut sink);
    let id = f.required_str("id", &mut sink);
    let title = f.required_str("title", &mut sink);
    let description = f.opt_str("description", &mut sink);
    let version = f.opt_str("version", &mut sink);
    let authors = f.str_list("authors", &mut sink);
    let license = f.opt_str("license", &mut sink);
    let exam = f
        .take("exam")
        .and_then(|n| as_str(n, "exam", &mut sink).map(|s| (s, n.loc)));
    let domain = f
        .take("domain")
        .and_then(|n| as_str(n, "domain", &mut sink).map(|s| (s, n.loc)));
    let tags = f.str_list("tags", &mut sink);
    let cards_node = f.take("cards");
    let fields_loc = f.loc;
    f.finish(DECK_FIELDS, &mut sink);

    if let Some((id, loc)) = &id {
        out.id_loc = *loc;
        if !is_valid_deck_id(id) {
            sink.error(
                *loc,
                format!("deck id `{id}` has characters that are not allowed"),
                "use lowercase a-z, 0-9 and `-`, with `/` between parts, e.g. `aws-security/kms`",
            );
        }
    }
    if let Some(d) = &description {
        collect_images(d, fields_loc, &mut pending);
    }
    if let Some((e, loc)) = &exam {
        pending.push(Pending::Exam {
            exam: e.clone(),
            loc: *loc,
        });
    }
    if let Some((d, loc)) = &domain {
        pending.push(Pending::Domain {
            exam: exam.as_ref().map(|e| e.0.clone()),
            domain: d.clone(),
            loc: *loc,
        });
    }

    let ctx = DeckCtx {
        domain: domain.as_ref().map(|d| d.0.clone()),
        exam: exam.as_ref().map(|e| e.0.clone()),
        tags: tags.clone(),
    };
    let mut cards = Vec::new();
    match cards_node {
        None => sink.error(
            fields_loc,
            "deck is missing required field `cards`",
            "add `cards:` with at least one card",
        ),
        Some(node) => {
            if let Some(items) = as_seq(node, "cards", &mut sink) {
                if items.len() > MAX_CARDS_PER_DECK {
                    sink.error(
                        node.loc,
                        format!("deck has {} cards; at most {MAX_CARDS_PER_DECK} are allowed in one file", items.len()),
                        "split it into several decks",
                    );
                }
                let mut seen: std::collections::HashMap<String, Loc> = Default::default();
                for item in items.iter().take(MAX_CARDS_PER_DECK) {
                    let before = sink.error_count();
                    let card = read_card(item, &ctx, &mut sink, &mut pending);
                    let Some(card) = card else { continue };
                    if let Some(first) = seen.get(&card.id) {
                        sink.error(
                            Loc {
                                line: card.line,
                                column: item.loc.column,
                            },
                            format!(
                                "card id `{}` is used twice in this deck (first at line {})",
                                card.id, first.line
                            ),
                            "give each card its own id; ids must never be reused",
                        );
                        continue;
                    }
                    seen.insert(
                        card.id.clone(),
                        Loc {
                            line: card.line,
                            column: 0,
                        },
                    );
                    if sink.error_count() == before {
                        cards.push(card);
                    }
                }
                if items.is_empty() {
                    sink.warning(node.loc, "deck has no cards", "add cards under `cards:`");
                }
            }
        }
    }

    if version_ok && let (Some((id, _)), Some((title, _))) = (id, title) {
        out.deck = Some(Deck {
            id,
            title,
            description,
            version,
            authors,
            license,
            exam: exam.map(|e| e.0),
            domain: domain.map(|d| d.0),
            tags,
            cards: cards.into(),
            texts: None,
        });
    }
    out.diags = sink.into_diags();
    out.pending = pending;
    out
}

pub(super) fn check_version(f: &mut Fields, sink: &mut Sink) -> bool {
    match f.take("examdeck") {
        None => {
            sink.error(
                f.loc,
                "missing `examdeck` format version",
                format!("start the file with `examdeck: {FORMAT_VERSION}`"),
            );
            false
        }
        Some(n) => {
            match &n.value {
                Value::Int(v) if *v == FORMAT_VERSION => true,
                Value::Int(v) if *v > FORMAT_VERSION => {
                    sink.error(n.loc, format!("format version {v} is newer than this app understands ({FORMAT_VERSION})"), "update examdeck to read this deck");
                    false
                }
                _ => {
                    sink.error(
                        n.loc,
                        "`examdeck` must be the format version number",
                        format!("write `examdeck: {FORMAT_VERSION}`"),
                    );
                    false
                }
            }
        }
    }
}

/// Parses the file's YAML, reporting a syntax or budget error as the file's one diagnostic.
pub(super) fn parse_root(text: &str, sink: &mut Sink) -> Option<Node> {
    match yaml::parse(text) {
        Ok(root) => Some(root),
        Err(e) => {
            match e.budget {
                Some(b) => {
                    let (what, hint) = budget_message(b);
                    sink.error(e.loc, format!("file {what}; refusing to read it"), hint);
                }
                None => sink.error(
                    e.loc,
                    format!("not valid YAML: {}", e.message),
                    yaml_hint(&e.message),
                ),
            }
            None
        }
    }
}

/// What was exceeded, in the author's words, and what to do.
fn budget_message(b: yaml::Budget) -> (String, &'static str) {
    use yaml::Budget;
    match b {
        Budget::Depth => (
            format!("nests deeper than {} levels", yaml::MAX_DEPTH),
            "the file nests too deeply; decks need fewer than 10 levels",
        ),
        Budget::Aliases => (
            format!("uses more than {} aliases (`*name`)", yaml::MAX_ALIASES),
            "write the values out; decks need few aliases",
        ),
        Budget::AliasCopies => (
            format!(
                "has aliases that expand to more than {} values (a YAML alias bomb?)",
                yaml::MAX_ALIAS_COPIES
            ),
            "write the values out; decks need few aliases",
        ),
        Budget::Nodes => (
            "has more items, keys and values than a file of its size may hold".to_string(),
            "split it into several decks",
        ),
        Budget::Text => (
            format!(
                "holds more than {} MiB of text",
                yaml::MAX_SCALAR_BYTES / (1024 * 1024)
            ),
            "split it into several decks",
        ),
    }
}

fn yaml_hint(message: &str) -> &'static str {
    if message.contains("duplicate") {
        "each field may appear once in a mapping"
    } else if message.contains("YAML document") {
        "a deck file holds one document: remove this `---` and what follows, or move it to its own file"
    } else if message.contains("YAML tag") || message.contains("is not a valid !!") {
        "remove the `!…` tag; decks need none (quote the value to make it text)"
    } else {
        "check indentation and quoting near this place; text containing `: ` or starting with `{`, `[`, `*`, `&` must be quoted"
    }
}

#[cfg(test)]
mod tests;
