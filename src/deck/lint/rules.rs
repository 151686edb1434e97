//! The per-card rules: each looks at one card (and the library's common words) and says
//! what an author should change. Thresholds were tuned on the bundled decks (see
//! `docs/deck-format.md`, "Content lint").

use super::words::{Common, content_stems, starts_with_verb, word_count};
use super::{Finding, Rule};
use crate::deck::{Card, CardBody, Choice};
use std::collections::BTreeSet;

/// Longest basic answer, in words: one fact per card.
pub const MAX_ANSWER_WORDS: usize = 35;
/// The right option is "much longer" when it has at least this many times the words of the
/// longest distractor …
pub const LONG_KEY_RATIO: f64 = 1.6;
/// … and at least this many words more.
pub const LONG_KEY_EXTRA_WORDS: usize = 6;
/// An ordering prompt lists its steps when at least this share of the steps …
pub const LISTED_STEP_SHARE: f64 = 0.6;
/// … have at least this share of their content words in the prompt.
pub const STEP_IN_PROMPT_SHARE: f64 = 0.75;

/// Runs every per-card rule on `card`.
pub fn check_card(card: &Card, common: &Common) -> Vec<Finding> {
    let mut out = Vec::new();
    match &card.body {
        CardBody::Basic { answer } => long_answer(answer, &mut out),
        CardBody::Single { choices } => {
            long_key(choices, &mut out);
            prompt_echo(&card.prompt, choices, common, &mut out);
            odd_grammar(choices, &mut out);
        }
        CardBody::Multiple { choices, .. } => prompt_echo(&card.prompt, choices, common, &mut out),
        CardBody::Order { steps } => order_lists_steps(&card.prompt, steps, &mut out),
        _ => {}
    }
    out
}

fn long_answer(answer: &str, out: &mut Vec<Finding>) {
    let n = word_count(answer);
    if n > MAX_ANSWER_WORDS {
        out.push(Finding::new(
            Rule::LongAnswer,
            format!("basic answer has {n} words (at most {MAX_ANSWER_WORDS})"),
            "keep one fact per card: split it into atomic cards or a cloze, and move context \
             into `explanation`",
        ));
    }
}

fn long_key(choices: &[Choice], out: &mut Vec<Finding>) {
    let Some(key) = choices.iter().find(|c| c.correct) else {
        return;
    };
    let key_words = word_count(&key.text);
    let Some(longest) = choices
        .iter()
        .filter(|c| !c.correct)
        .map(|c| word_count(&c.text))
        .max()
    else {
        return;
    };
    if key_words as f64 >= longest as f64 * LONG_KEY_RATIO
        && key_words >= longest + LONG_KEY_EXTRA_WORDS
    {
        out.push(Finding::new(
            Rule::LongKey,
            format!("the right option has {key_words} words, the longest distractor {longest}"),
            "make the options similar in length: trim the right one or give the distractors \
             the same detail",
        ));
    }
}

/// Distinctive stems of the prompt that `option` repeats.
fn shared(prompt: &BTreeSet<String>, option: &str, common: &Common) -> BTreeSet<String> {
    content_stems(option)
        .into_iter()
        .filter(|s| prompt.contains(s) && !common.contains(s))
        .collect()
}

fn prompt_echo(prompt: &str, choices: &[Choice], common: &Common, out: &mut Vec<Finding>) {
    if choices.iter().filter(|c| !c.correct).count() < 2 {
        return;
    }
    let p = content_stems(prompt);
    let right: Vec<BTreeSet<String>> = choices
        .iter()
        .filter(|c| c.correct)
        .map(|c| shared(&p, &c.text, common))
        .collect();
    let wrong_share = choices
        .iter()
        .filter(|c| !c.correct)
        .any(|c| !shared(&p, &c.text, common).is_empty());
    if !wrong_share && right.iter().all(|s| !s.is_empty()) {
        let words: BTreeSet<&String> = right.iter().flatten().collect();
        let words: Vec<&str> = words.into_iter().map(String::as_str).collect();
        out.push(Finding::new(
            Rule::PromptEcho,
            format!(
                "only the right option repeats the prompt's words ({})",
                words.join(", ")
            ),
            "reword the right option, or let a distractor use the prompt's terms too",
        ));
    }
}

fn odd_grammar(choices: &[Choice], out: &mut Vec<Finding>) {
    if choices.len() < 3 {
        return;
    }
    let Some(key) = choices.iter().find(|c| c.correct) else {
        return;
    };
    let key_verb = starts_with_verb(&key.text);
    let wrong: Vec<bool> = choices
        .iter()
        .filter(|c| !c.correct)
        .map(|c| starts_with_verb(&c.text))
        .collect();
    if wrong.iter().all(|&v| v != key_verb) {
        let (k, d) = if key_verb {
            ("a verb", "a noun")
        } else {
            ("a noun", "a verb")
        };
        out.push(Finding::new(
            Rule::OddGrammar,
            format!("only the right option starts with {k}; every distractor starts with {d}"),
            "write all options in the same grammatical form (all \"Enable …\" or all \"An …\")",
        ));
    }
}

/// The longest run of short comma-separated items in one clause of `prompt` (e.g. "(contain,
/// scope, eradicate, recover, learn)"): the prompt enumerating what it asks to order.
fn enumerated_items(prompt: &str) -> usize {
    prompt
        .split(['.', '?', '!', '(', ')', ':', ';', '\n'])
        .map(|clause| {
            let parts: Vec<&str> = clause
                .split([',', '→'])
                .flat_map(|p| p.split(" and ").flat_map(|q| q.split(" then ")))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() >= 3 && parts.iter().all(|p| word_count(p) <= 3) {
                parts.len()
            } else {
                0
            }
        })
        .max()
        .unwrap_or(0)
}

fn order_lists_steps(prompt: &str, steps: &[String], out: &mut Vec<Finding>) {
    let listed = enumerated_items(prompt);
    if steps.len() >= 3 && listed + 1 >= steps.len() {
        out.push(Finding::new(
            Rule::OrderListsSteps,
            format!(
                "the prompt lists {listed} items for the {} steps it asks to order",
                steps.len()
            ),
            "ask for the order without listing the steps or phases in the prompt",
        ));
        return;
    }
    let p = content_stems(prompt);
    let listed = steps
        .iter()
        .filter(|s| {
            let words = content_stems(s);
            !words.is_empty()
                && words.iter().filter(|w| p.contains(*w)).count() as f64
                    >= words.len() as f64 * STEP_IN_PROMPT_SHARE
        })
        .count();
    if steps.len() >= 2 && listed >= 2 && listed as f64 >= steps.len() as f64 * LISTED_STEP_SHARE {
        out.push(Finding::new(
            Rule::OrderListsSteps,
            format!(
                "the prompt names {listed} of the {} steps it asks to order",
                steps.len()
            ),
            "ask for the order without naming the steps (e.g. \"Put these phases in order\")",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(text: &str, correct: bool) -> Choice {
        Choice {
            text: text.into(),
            correct,
            why: None,
        }
    }

    fn rules(found: &[Finding]) -> Vec<Rule> {
        found.iter().map(|f| f.rule).collect()
    }

    fn single(prompt: &str, choices: Vec<Choice>) -> Vec<Rule> {
        let mut out = Vec::new();
        long_key(&choices, &mut out);
        prompt_echo(prompt, &choices, &Common::default(), &mut out);
        odd_grammar(&choices, &mut out);
        rules(&out)
    }

    #[test]
    fn long_answer_over_the_limit() {
        let mut out = Vec::new();
        long_answer(&"word ".repeat(36), &mut out);
        assert_eq!(rules(&out), vec![Rule::LongAnswer]);
        assert!(out[0].message.contains("36 words"));
        let mut out = Vec::new();
        long_answer(&"word ".repeat(35), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn long_key_only_when_much_longer() {
        let long = single(
            "Which control stops it?",
            vec![
                choice(
                    "A bucket policy with a Deny on aws:SecureTransport false, applied to every \
                     prefix and checked by Config",
                    true,
                ),
                choice("Object Lock", false),
                choice("A lifecycle rule", false),
            ],
        );
        assert!(long.contains(&Rule::LongKey));
        let even = single(
            "Which control stops it?",
            vec![
                choice("A bucket policy that denies plain HTTP", true),
                choice("Object Lock in compliance mode", false),
                choice("A lifecycle rule to Glacier", false),
            ],
        );
        assert!(!even.contains(&Rule::LongKey));
    }

    #[test]
    fn prompt_echo_only_when_the_key_alone_repeats() {
        let echo = single(
            "Which feature proves CloudTrail log files were not tampered with?",
            vec![
                choice("Log file integrity validation", true),
                choice("S3 Object Lock", false),
                choice("Macie discovery jobs", false),
            ],
        );
        assert!(echo.contains(&Rule::PromptEcho));
        let fair = single(
            "Which feature proves CloudTrail log files were not tampered with?",
            vec![
                choice("Log file integrity validation", true),
                choice("S3 Object Lock on the log bucket", false),
                choice("Macie discovery jobs", false),
            ],
        );
        assert!(!fair.contains(&Rule::PromptEcho));
    }

    #[test]
    fn odd_grammar_verb_among_nouns() {
        let odd = single(
            "What stops it?",
            vec![
                choice("Enable S3 Block Public Access", true),
                choice("An S3 access point", false),
                choice("A lifecycle rule", false),
                choice("Bucket versioning", false),
            ],
        );
        assert!(odd.contains(&Rule::OddGrammar));
        let parallel = single(
            "What stops it?",
            vec![
                choice("Enable S3 Block Public Access", true),
                choice("Create an S3 access point", false),
                choice("Add a lifecycle rule", false),
            ],
        );
        assert!(!parallel.contains(&Rule::OddGrammar));
    }

    #[test]
    fn order_prompt_listing_its_steps() {
        let steps: Vec<String> = [
            "Preparation",
            "Detection and analysis",
            "Containment",
            "Recovery",
        ]
        .map(String::from)
        .to_vec();
        let mut out = Vec::new();
        order_lists_steps(
            "Order the phases preparation, containment, recovery, detection and analysis.",
            &steps,
            &mut out,
        );
        assert_eq!(rules(&out), vec![Rule::OrderListsSteps]);
        // The phases named in the prompt, worded differently from the steps.
        let mut out = Vec::new();
        order_lists_steps(
            "A key leaked. Put the response steps in the order of the life cycle (contain, \
             scope, eradicate, recover).",
            &[
                "Deactivate the key",
                "Search CloudTrail",
                "Remove what the attacker made",
                "Issue a role",
            ]
            .map(String::from),
            &mut out,
        );
        assert_eq!(rules(&out), vec![Rule::OrderListsSteps]);
        let mut out = Vec::new();
        order_lists_steps(
            "Put the phases of the NIST incident-response life cycle in order.",
            &steps,
            &mut out,
        );
        assert!(out.is_empty());
    }
}
