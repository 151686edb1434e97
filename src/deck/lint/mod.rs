//! The content linter behind `examdeck check`: item-writing problems a program can see
//! (give-aways, non-atomic flashcards, duplicate prompts), reported as warnings at the card's
//! `file:line:column` with the rule's name and what to do.
//!
//! Pure functions over the loaded library: no file is read here. An author who has judged a
//! warning silences it on that card with `lint: {allow: [rule, …]}`.

mod duplicates;
mod rules;
pub mod words;

pub use duplicates::{MIN_JACCARD, jaccard, near_duplicates};
pub use rules::{MAX_ANSWER_WORDS, check_card};

use super::fields::{Sink, as_seq, as_str, closest};
use super::yaml::{Loc, Node, Value};
use super::{Card, CardBody, Diagnostic, Library};
use std::collections::BTreeSet;
use words::{Common, content_stems};

/// A lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A basic card's answer is over [`MAX_ANSWER_WORDS`] words.
    LongAnswer,
    /// A single-answer question's right option is much longer than every distractor.
    LongKey,
    /// Only the right option(s) repeat distinctive words of the prompt.
    PromptEcho,
    /// Only the right option starts with a verb (or a noun) where every distractor does not.
    OddGrammar,
    /// An ordering question's prompt names the steps it asks to order.
    OrderListsSteps,
    /// Two prompts are the same or nearly so.
    DuplicatePrompt,
}

/// Every rule, in the order the docs list them.
pub const RULES: [Rule; 6] = [
    Rule::LongAnswer,
    Rule::LongKey,
    Rule::PromptEcho,
    Rule::OddGrammar,
    Rule::OrderListsSteps,
    Rule::DuplicatePrompt,
];

impl Rule {
    /// The rule's name, as printed and as written in `lint: {allow: […]}`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::LongAnswer => "long-answer",
            Rule::LongKey => "long-key",
            Rule::PromptEcho => "prompt-echo",
            Rule::OddGrammar => "odd-grammar",
            Rule::OrderListsSteps => "order-lists-steps",
            Rule::DuplicatePrompt => "duplicate-prompt",
        }
    }

    /// The rule with this name.
    pub fn from_name(name: &str) -> Option<Rule> {
        RULES.into_iter().find(|r| r.name() == name)
    }
}

/// One problem a rule found on one card.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl Finding {
    /// A finding of `rule`.
    pub fn new(rule: Rule, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Reads a card's `lint: {allow: [rule, …]}`; an unknown rule name is an error with a
/// suggestion (a silenced typo would hide nothing).
pub fn read_allow(node: &Node, sink: &mut Sink) -> Vec<String> {
    let hint = "write `lint: {allow: [rule-name, …]}`";
    let Value::Map(entries) = &node.value else {
        sink.error(node.loc, "`lint` must be a mapping with `allow`", hint);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        if !matches!(&key.value, Value::Str(k) if k == "allow") {
            sink.error(key.loc, "`lint` knows only the field `allow`", hint);
            continue;
        }
        let Some(items) = as_seq(value, "allow", sink) else {
            continue;
        };
        for item in items {
            let Some(name) = as_str(item, "allow", sink) else {
                continue;
            };
            if Rule::from_name(&name).is_none() {
                let names: Vec<&str> = RULES.iter().map(|r| r.name()).collect();
                let hint = match closest(&name, &names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("lint rules: {}", names.join(", ")),
                };
                sink.error(item.loc, format!("unknown lint rule `{name}`"), hint);
                continue;
            }
            out.push(name);
        }
    }
    out
}

/// The text whose content words stand for a card in the common-word count and the
/// duplicate search: prompt and options (cloze: its text).
fn card_text(card: &Card) -> String {
    let mut t = card.prompt.clone();
    if let CardBody::Single { choices } | CardBody::Multiple { choices, .. } = &card.body {
        for c in choices {
            t.push('\n');
            t.push_str(&c.text);
        }
    }
    t
}

/// Lints every card of the library; warnings sorted by file and position.
pub fn lint_library(lib: &Library) -> Vec<Diagnostic> {
    let cards: Vec<(&str, &Card)> = lib
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter().map(move |c| (d.path.as_str(), c)))
        .collect();
    let docs: Vec<BTreeSet<String>> = cards
        .iter()
        .map(|(_, c)| content_stems(&card_text(c)))
        .collect();
    let common = Common::from_docs(docs.iter());
    let mut out = Vec::new();
    let mut push = |path: &str, card: &Card, f: Finding| {
        if card.lint_allow.iter().any(|a| a == f.rule.name()) {
            return;
        }
        let loc = Loc {
            line: card.line,
            column: card.column,
        };
        out.push(Diagnostic::warning(
            path,
            loc,
            format!("[{}] {}", f.rule.name(), f.message),
            f.hint,
        ));
    };
    for (path, card) in &cards {
        for f in check_card(card, &common) {
            push(path, card, f);
        }
    }
    let prompts: Vec<BTreeSet<String>> = cards
        .iter()
        .map(|(_, c)| match c.body {
            CardBody::Cloze { .. } => BTreeSet::new(),
            _ => content_stems(&c.prompt),
        })
        .collect();
    for (a, b, sim) in near_duplicates(&prompts) {
        let (first_path, first) = cards[a];
        let (path, card) = cards[b];
        let what = if sim >= 1.0 {
            "the same as"
        } else {
            "nearly the same as"
        };
        push(
            path,
            card,
            Finding::new(
                Rule::DuplicatePrompt,
                format!(
                    "prompt is {what} card `{}` at {first_path}:{} ({:.0} % of words shared)",
                    first.id,
                    first.line,
                    sim * 100.0
                ),
                "merge the two cards or ask about a different fact",
            ),
        );
    }
    super::diagnostics::sort(&mut out);
    out
}
