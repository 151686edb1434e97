//! Turns one deck or exam file's text into the data model, with every problem it has.
//!
//! Pure: no file system, no clock. Checks that need the rest of the library (domains, image
//! files, duplicate deck ids) are returned as [`Pending`] for the library to finish.

use super::cloze;
use super::diagnostics::Diagnostic;
use super::fields::{Fields, Sink, as_bool, as_f64, as_seq, as_str, as_u32};
use super::markdown;
use super::model::*;
use super::yaml::{self, Loc, Node, Value};
use sha2::{Digest, Sha256};

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
#[derive(Debug, Clone, PartialEq)]
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
            cards,
        });
    }
    out.diags = sink.into_diags();
    out.pending = pending;
    out
}

struct DeckCtx {
    domain: Option<String>,
    exam: Option<String>,
    tags: Vec<String>,
}

fn read_card(
    node: &Node,
    ctx: &DeckCtx,
    sink: &mut Sink,
    pending: &mut Vec<Pending>,
) -> Option<Card> {
    let mut f = Fields::open(node, "card", sink)?;
    let line = node.loc.line;
    let id = f.required_str("id", sink);
    if let Some((id, loc)) = &id
        && !is_valid_card_id(id)
    {
        sink.error(
            *loc,
            format!("card id `{id}` has characters that are not allowed"),
            "use lowercase a-z, 0-9 and `-`",
        );
    }
    let kind = f.required_str("kind", sink);
    let explanation = f.opt_str("explanation", sink);
    let source = f.opt_str("source", sink);
    let lint_allow = f
        .take("lint")
        .map(|n| super::lint::read_allow(n, sink))
        .unwrap_or_default();
    let domain = match f.take("domain") {
        Some(n) => as_str(n, "domain", sink).inspect(|d| {
            pending.push(Pending::Domain {
                exam: ctx.exam.clone(),
                domain: d.clone(),
                loc: n.loc,
            });
        }),
        None => ctx.domain.clone(),
    };
    let mut tags = ctx.tags.clone();
    for t in f.str_list("tags", sink) {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if let Some(e) = &explanation {
        collect_images(e, f.key_loc("explanation").unwrap_or(f.loc), pending);
    }
    let (kind, kind_loc) = kind?;
    let before = sink.error_count();
    let body = read_body(&kind, kind_loc, &mut f, sink, pending);
    // Fields of other kinds are errors, not silently ignored.
    for name in [
        "prompt", "text", "answer", "choices", "select", "steps", "pairs",
    ] {
        if let Some(loc) = f.key_loc(name) {
            // When the kind's own fields already failed, a leftover is noise, not news.
            if body.is_some() {
                sink.error(
                    loc,
                    format!("field `{name}` is not used by kind `{kind}`"),
                    kind_fields_hint(&kind),
                );
            }
            f.take(name);
        }
    }
    let card_loc = f.loc;
    f.finish(CARD_FIELDS, sink);
    let (prompt, body) = body?;
    if source.is_none() {
        sink.warning(
            card_loc,
            "card has no `source`",
            "say where the fact comes from, e.g. `source: \"notes › KMS\"`",
        );
    }
    if prompt.chars().count() > LONG_PROMPT_CHARS {
        sink.warning(
            card_loc,
            format!("prompt is longer than {LONG_PROMPT_CHARS} characters"),
            "move detail into `explanation`",
        );
    }
    if sink.error_count() > before {
        return None;
    }
    let (id, _) = id?;
    let content_hash = hash_content(&prompt, &body, explanation.as_deref());
    Some(Card {
        id,
        prompt,
        body,
        explanation,
        source,
        domain,
        tags,
        content_hash,
        line,
        column: node.loc.column,
        lint_allow,
    })
}

fn kind_fields_hint(kind: &str) -> String {
    match kind {
        "basic" => "a basic card has `prompt` and `answer`".into(),
        "cloze" => "a cloze card has only `text` with {{c1::…}} markers".into(),
        "single" => "a single-choice card has `prompt` and `choices`".into(),
        "multiple" => "a multiple-choice card has `prompt`, `choices` and optional `select`".into(),
        "truefalse" => "a true/false card has `prompt` and `answer: true|false`".into(),
        "order" => "an ordering card has `prompt` and `steps`".into(),
        "match" => "a matching card has `prompt` and `pairs`".into(),
        _ => String::new(),
    }
}

fn read_body(
    kind: &str,
    kind_loc: Loc,
    f: &mut Fields,
    sink: &mut Sink,
    pending: &mut Vec<Pending>,
) -> Option<(String, CardBody)> {
    if kind == "cloze" {
        let (text, loc) = f.required_str("text", sink)?;
        collect_images(&text, loc, pending);
        return match cloze::parse(&text) {
            Err(e) => {
                sink.error(
                    loc,
                    format!("bad cloze: {e}"),
                    "write `{{c1::hidden text}}` or `{{c1::hidden text::hint}}`",
                );
                None
            }
            Ok(d) if d.is_empty() => {
                sink.error(
                    loc,
                    "cloze text has no cloze",
                    "hide at least one part with `{{c1::…}}`",
                );
                None
            }
            Ok(d) => Some((
                text,
                CardBody::Cloze {
                    ordinals: cloze::ordinals(&d),
                },
            )),
        };
    }
    if !KINDS.contains(&kind) {
        let hint = match super::fields::closest(kind, &KINDS) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("kinds are: {}", KINDS.join(", ")),
        };
        sink.error(kind_loc, format!("unknown card kind `{kind}`"), hint);
        return None;
    }
    let (prompt, ploc) = f.required_str("prompt", sink)?;
    collect_images(&prompt, ploc, pending);
    let body = match kind {
        "basic" => {
            let (answer, aloc) = f.required_str("answer", sink)?;
            collect_images(&answer, aloc, pending);
            CardBody::Basic { answer }
        }
        "truefalse" => {
            let Some(n) = f.take("answer") else {
                sink.error(
                    f.loc,
                    "card is missing required field `answer`",
                    "add `answer: true` or `answer: false`",
                );
                return None;
            };
            CardBody::TrueFalse {
                answer: as_bool(n, "answer", sink)?,
            }
        }
        "single" | "multiple" => {
            let Some(node) = f.take("choices") else {
                sink.error(
                    f.loc,
                    "card is missing required field `choices`",
                    "add `choices:` with at least two options",
                );
                return None;
            };
            let choices = read_choices(node, sink, pending)?;
            let correct = choices.iter().filter(|c| c.correct).count();
            if choices.len() < 2 {
                sink.error(
                    node.loc,
                    "a question needs at least two choices",
                    "add more options under `choices:`",
                );
            }
            for c in &choices {
                if c.why.is_none() {
                    sink.warning(
                        node.loc,
                        format!("choice \"{}\" has no `why`", short(&c.text)),
                        "explain why this option is right or wrong",
                    );
                }
            }
            if kind == "single" {
                if correct != 1 {
                    sink.error(
                        node.loc,
                        format!(
                            "a `single` question needs exactly one correct choice, found {correct}"
                        ),
                        "mark one choice `correct: true`, or use kind `multiple`",
                    );
                }
                CardBody::Single { choices }
            } else {
                let select = match f.take("select") {
                    Some(n) => as_u32(n, "select", sink).map(|s| (s as usize, n.loc)),
                    None => Some((correct, f.loc)),
                }?;
                if correct < 2 {
                    sink.error(node.loc, format!("a `multiple` question needs at least two correct choices, found {correct}"), "mark more choices `correct: true`, or use kind `single`");
                } else if select.0 != correct {
                    sink.error(
                        select.1,
                        format!(
                            "`select: {}` does not match the {correct} correct choices",
                            select.0
                        ),
                        format!("write `select: {correct}` or change which choices are correct"),
                    );
                } else if correct >= choices.len() {
                    sink.error(
                        node.loc,
                        "every choice is correct",
                        "add at least one wrong option",
                    );
                }
                CardBody::Multiple {
                    choices,
                    select: select.0,
                }
            }
        }
        "order" => {
            let Some(node) = f.take("steps") else {
                sink.error(
                    f.loc,
                    "card is missing required field `steps`",
                    "list the steps in the correct order under `steps:`",
                );
                return None;
            };
            let steps: Vec<String> = as_seq(node, "steps", sink)?
                .iter()
                .filter_map(|s| as_str(s, "steps", sink))
                .collect();
            if steps.len() < 2 {
                sink.error(
                    node.loc,
                    format!(
                        "an `order` question needs at least 2 steps, found {}",
                        steps.len()
                    ),
                    "add steps, listed in the correct order",
                );
            }
            if has_duplicates(steps.iter()) {
                sink.error(
                    node.loc,
                    "two steps have the same text",
                    "make every step distinct, or the order is ambiguous",
                );
            }
            CardBody::Order { steps }
        }
        "match" => {
            let Some(node) = f.take("pairs") else {
                sink.error(
                    f.loc,
                    "card is missing required field `pairs`",
                    "add `pairs:` with `- {left: …, right: …}` items",
                );
                return None;
            };
            let mut pairs = Vec::new();
            for item in as_seq(node, "pairs", sink)? {
                let Some(mut pf) = Fields::open(item, "pair", sink) else {
                    continue;
                };
                let left = pf.required_str("left", sink);
                let right = pf.required_str("right", sink);
                pf.finish(PAIR_FIELDS, sink);
                if let (Some((left, _)), Some((right, _))) = (left, right) {
                    pairs.push(Pair { left, right });
                }
            }
            if pairs.len() < 2 {
                sink.error(
                    node.loc,
                    format!(
                        "a `match` question needs at least 2 pairs, found {}",
                        pairs.len()
                    ),
                    "add more `- {left: …, right: …}` items",
                );
            }
            if has_duplicates(pairs.iter().map(|p| &p.left)) {
                sink.error(
                    node.loc,
                    "two pairs have the same left side",
                    "make every left item distinct",
                );
            }
            if has_duplicates(pairs.iter().map(|p| &p.right)) {
                sink.error(
                    node.loc,
                    "two pairs have the same right side",
                    "make every right item distinct, or the match is ambiguous",
                );
            }
            CardBody::Match { pairs }
        }
        _ => return None,
    };
    Some((prompt, body))
}

fn read_choices(node: &Node, sink: &mut Sink, pending: &mut Vec<Pending>) -> Option<Vec<Choice>> {
    let mut out = Vec::new();
    for item in as_seq(node, "choices", sink)? {
        let Some(mut cf) = Fields::open(item, "choice", sink) else {
            continue;
        };
        let text = cf.required_str("text", sink);
        let correct = cf
            .take("correct")
            .map(|n| as_bool(n, "correct", sink))
            .unwrap_or(Some(false));
        let why = cf.opt_str("why", sink);
        cf.finish(CHOICE_FIELDS, sink);
        if let (Some((text, loc)), Some(correct)) = (text, correct) {
            collect_images(&text, loc, pending);
            if let Some(w) = &why {
                collect_images(w, loc, pending);
            }
            out.push(Choice { text, correct, why });
        }
    }
    if has_duplicates(out.iter().map(|c| &c.text)) {
        sink.error(
            node.loc,
            "two choices have the same text",
            "make every option distinct",
        );
    }
    Some(out)
}

fn has_duplicates<'a>(items: impl Iterator<Item = &'a String>) -> bool {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().any(|s| !seen.insert(s.trim()))
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

fn collect_images(markdown_text: &str, loc: Loc, pending: &mut Vec<Pending>) {
    for url in markdown::image_urls(markdown_text) {
        pending.push(Pending::Image { url, loc });
    }
}

fn check_version(f: &mut Fields, sink: &mut Sink) -> bool {
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
fn parse_root(text: &str, sink: &mut Sink) -> Option<Node> {
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

/// SHA-256 over the learner-visible content, so edits are detectable while ids stay stable.
fn hash_content(prompt: &str, body: &CardBody, explanation: Option<&str>) -> String {
    /// Feeds serde_json's output straight into the hash, without a buffer.
    struct HashWriter<'a>(&'a mut Sha256);
    impl std::io::Write for HashWriter<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut h = Sha256::new();
    h.update(prompt.as_bytes());
    h.update([0]);
    // serde_json of the body is canonical: fields in declaration order. Serializing this plain
    // data cannot fail.
    let _ = serde_json::to_writer(HashWriter(&mut h), body);
    h.update([0]);
    h.update(explanation.unwrap_or_default().as_bytes());
    let digest = h.finalize();
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// The result of reading one exam blueprint file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadExam {
    /// The blueprint, unless it has errors.
    pub exam: Option<ExamBlueprint>,
    /// Location of the `id` value.
    pub id_loc: Loc,
    /// Everything found wrong.
    pub diags: Vec<Diagnostic>,
}

/// Reads an exam blueprint file (`*.exam.yaml`).
pub fn read_exam(path: &str, text: &str) -> ReadExam {
    let mut sink = Sink::new(path);
    let mut out = ReadExam {
        exam: None,
        id_loc: Loc::default(),
        diags: Vec::new(),
    };
    let Some(root) = parse_root(text, &mut sink) else {
        out.diags = sink.into_diags();
        return out;
    };
    let Some(mut f) = Fields::open(&root, "exam blueprint", &mut sink) else {
        out.diags = sink.into_diags();
        return out;
    };
    let version_ok = check_version(&mut f, &mut sink);
    let id = f.required_str("id", &mut sink);
    let title = f.required_str("title", &mut sink);
    let description = f.opt_str("description", &mut sink);
    let num = |f: &mut Fields, name: &str, sink: &mut Sink| match f.take(name) {
        Some(n) => as_u32(n, name, sink).map(|v| (v, n.loc)),
        None => {
            sink.error(
                f.loc,
                format!("exam blueprint is missing required field `{name}`"),
                format!("add `{name}: …`"),
            );
            None
        }
    };
    let questions = num(&mut f, "questions", &mut sink);
    let minutes = num(&mut f, "minutes", &mut sink);
    let passing = num(&mut f, "passing_score", &mut sink);
    let scale_min = num(&mut f, "scale_min", &mut sink);
    let scale_max = num(&mut f, "scale_max", &mut sink);
    let retired = f.opt_str("retired", &mut sink);
    let domains_node = f.take("domains");
    let items = f
        .take("items")
        .map(|n| super::items::read_items(n, &mut sink))
        .unwrap_or_default();
    let loc = f.loc;
    f.finish(EXAM_FIELDS, &mut sink);
    if let Some((id, l)) = &id {
        out.id_loc = *l;
        if !is_valid_card_id(id) {
            sink.error(
                *l,
                format!("exam id `{id}` has characters that are not allowed"),
                "use lowercase a-z, 0-9 and `-`",
            );
        }
    }
    if let Some(r) = &retired
        && chrono::NaiveDate::parse_from_str(r, "%Y-%m-%d").is_err()
    {
        sink.error(
            loc,
            format!("`retired: {r}` is not a date"),
            "write it as YYYY-MM-DD",
        );
    }
    if let (Some((lo, _)), Some((hi, hl)), Some((pass, pl))) = (scale_min, scale_max, passing) {
        if lo >= hi {
            sink.error(hl, "`scale_max` must be above `scale_min`", "");
        } else if pass < lo || pass > hi {
            sink.error(
                pl,
                format!("`passing_score: {pass}` is outside the scale {lo}–{hi}"),
                "",
            );
        }
    }
    let mut domains = Vec::new();
    match domains_node {
        None => sink.error(
            loc,
            "exam blueprint is missing required field `domains`",
            "list the exam's domains with id, title and weight",
        ),
        Some(node) => {
            if let Some(items) = as_seq(node, "domains", &mut sink) {
                for item in items {
                    let Some(mut df) = Fields::open(item, "domain", &mut sink) else {
                        continue;
                    };
                    let did = df.required_str("id", &mut sink);
                    let dtitle = df.required_str("title", &mut sink);
                    let weight = match df.take("weight") {
                        Some(n) => as_f64(n, "weight", &mut sink).map(|w| (w, n.loc)),
                        None => {
                            sink.error(
                                df.loc,
                                "domain is missing required field `weight`",
                                "add `weight:` in percent",
                            );
                            None
                        }
                    };
                    let covers = df.str_list("covers", &mut sink);
                    df.finish(DOMAIN_FIELDS, &mut sink);
                    if let Some((w, wl)) = weight
                        && !(w > 0.0 && w <= 100.0)
                    {
                        sink.error(
                            wl,
                            format!("weight {w} must be between 0 and 100 percent"),
                            "",
                        );
                    }
                    if let (Some((id, l)), Some((title, _)), Some((weight, _))) =
                        (did, dtitle, weight)
                    {
                        if !is_valid_card_id(&id) {
                            sink.error(
                                l,
                                format!("domain id `{id}` has characters that are not allowed"),
                                "use lowercase a-z, 0-9 and `-`",
                            );
                        }
                        if domains.iter().any(|d: &ExamDomain| d.id == id) {
                            sink.error(l, format!("domain id `{id}` is used twice"), "");
                        }
                        domains.push(ExamDomain {
                            id,
                            title,
                            weight,
                            covers,
                        });
                    }
                }
                let total: f64 = domains.iter().map(|d| d.weight).sum();
                if !domains.is_empty() && (total - 100.0).abs() > 0.5 {
                    sink.error(
                        node.loc,
                        format!("domain weights add up to {total}%, not 100%"),
                        "fix the weights",
                    );
                }
            }
        }
    }
    if version_ok
        && sink.error_count() == 0
        && let (Some((id, _)), Some((title, _)), Some(q), Some(m), Some(p), Some(lo), Some(hi)) =
            (id, title, questions, minutes, passing, scale_min, scale_max)
    {
        out.exam = Some(ExamBlueprint {
            id,
            title,
            description,
            questions: q.0,
            minutes: m.0,
            scale_min: lo.0,
            scale_max: hi.0,
            passing_score: p.0,
            retired,
            domains,
            items,
        });
    }
    out.diags = sink.into_diags();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash is stored with every learner's history: it must never change for the same card.
    #[test]
    fn content_hash_is_unchanged() {
        fn reference(prompt: &str, body: &CardBody, explanation: Option<&str>) -> String {
            let mut h = Sha256::new();
            h.update(prompt.as_bytes());
            h.update([0]);
            h.update(serde_json::to_vec(body).unwrap_or_default());
            h.update([0]);
            h.update(explanation.unwrap_or_default().as_bytes());
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        }
        let bodies = [
            CardBody::Basic {
                answer: "It records \"API\" activity — **who**, *when*.\n".into(),
            },
            CardBody::TrueFalse { answer: true },
            CardBody::Order {
                steps: vec!["a".into(), "é".into()],
            },
        ];
        for body in &bodies {
            for explanation in [None, Some("why ![x](y.png)")] {
                let got = hash_content("What?", body, explanation);
                assert_eq!(got, reference("What?", body, explanation));
                assert_eq!(got.len(), 64);
            }
        }
        assert_eq!(
            hash_content("", &CardBody::TrueFalse { answer: false }, None),
            reference("", &CardBody::TrueFalse { answer: false }, None)
        );
    }
}
