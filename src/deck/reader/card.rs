//! One card of a deck file: its fields, its kind's content, its content hash.

use super::{CARD_FIELDS, CHOICE_FIELDS, LONG_PROMPT_CHARS, PAIR_FIELDS, Pending};
use crate::deck::cloze;
use crate::deck::fields::{Fields, Sink, as_bool, as_seq, as_str, as_u32};
use crate::deck::markdown;
use crate::deck::model::*;
use crate::deck::yaml::{Loc, Node};
use sha2::{Digest, Sha256};

pub(super) struct DeckCtx {
    pub(super) domain: Option<String>,
    pub(super) exam: Option<String>,
    pub(super) tags: Vec<String>,
}

pub(super) fn read_card(
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
        .map(|n| crate::deck::lint::read_allow(n, sink))
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
        let hint = match crate::deck::fields::closest(kind, &KINDS) {
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

pub(super) fn collect_images(markdown_text: &str, loc: Loc, pending: &mut Vec<Pending>) {
    for url in markdown::image_urls(markdown_text) {
        pending.push(Pending::Image { url, loc });
    }
}

/// SHA-256 over the learner-visible content, so edits are detectable while ids stay stable.
pub(super) fn hash_content(prompt: &str, body: &CardBody, explanation: Option<&str>) -> String {
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
