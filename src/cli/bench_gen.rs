//! A realistic deck library for `examdeck bench --library`: cards as long as the bundled ones
//! (about 1.1–1.4 KB of YAML each) in the bundled mix of kinds — single and multiple answer
//! questions with 4–6 choices each with a `why`, basic and cloze cards, ordering and matching —
//! with Markdown explanations holding lists and code blocks. Written with serde-saphyr.
//!
//! Deterministic: the same seed gives the same bytes, so runs are comparable.

use serde::Serialize;
use std::path::Path;

/// A small deterministic generator (PCG-like LCG): no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "key",
    "policy",
    "principal",
    "role",
    "trust",
    "boundary",
    "encryption",
    "envelope",
    "rotation",
    "audit",
    "trail",
    "bucket",
    "object",
    "replication",
    "region",
    "account",
    "organization",
    "guardrail",
    "detective",
    "preventive",
    "control",
    "finding",
    "severity",
    "remediation",
    "workflow",
    "event",
    "rule",
    "target",
    "queue",
    "stream",
    "retention",
    "certificate",
    "chain",
    "private",
    "endpoint",
    "gateway",
    "subnet",
    "route",
    "table",
    "flow",
    "log",
    "packet",
    "inspection",
    "firewall",
    "session",
    "token",
    "federation",
    "identity",
    "provider",
    "assertion",
    "attribute",
    "condition",
    "deny",
    "allow",
    "explicit",
    "implicit",
    "evaluation",
    "permission",
    "delegated",
    "administrator",
    "aggregator",
    "baseline",
    "drift",
    "snapshot",
    "backup",
    "vault",
    "lock",
    "tag",
    "resource",
    "service",
    "team",
    "company",
];

fn sentence(r: &mut Rng, words: u64) -> String {
    let n = 4 + r.below(words);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = r.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else if r.below(12) == 0 {
            s.push('`');
            s.push_str(w);
            s.push('`');
        } else if r.below(15) == 0 {
            s.push_str("**");
            s.push_str(w);
            s.push_str("**");
        } else {
            s.push_str(w);
        }
    }
    s
}

fn prose(r: &mut Rng, chars: usize) -> String {
    let mut s = String::new();
    while s.len() < chars {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&sentence(r, 8));
        s.push('.');
    }
    s
}

/// A Markdown explanation: paragraphs, a list, sometimes a code block.
fn explanation(r: &mut Rng, chars: usize) -> String {
    let mut s = prose(r, chars / 2);
    s.push_str("\n\n");
    for _ in 0..2 {
        s.push_str("- ");
        s.push_str(&sentence(r, 6));
        s.push('\n');
    }
    if r.below(3) == 0 {
        s.push_str("\n```json\n{\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}\n```\n");
    }
    s.push('\n');
    s.push_str(&prose(r, chars / 3));
    s.push('\n');
    s
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize)]
struct Choice {
    text: String,
    #[serde(skip_serializing_if = "is_false")]
    correct: bool,
    why: String,
}

#[derive(Serialize)]
struct Pair {
    left: String,
    right: String,
}

#[derive(Serialize, Default)]
struct Card {
    id: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    select: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    choices: Vec<Choice>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pairs: Vec<Pair>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<String>,
    source: String,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct DeckFile {
    examdeck: u32,
    id: String,
    title: String,
    description: String,
    cards: Vec<Card>,
}

fn choices(r: &mut Rng, n: usize, correct: usize) -> Vec<Choice> {
    let right = (0..correct)
        .map(|_| r.below(n as u64) as usize)
        .collect::<Vec<_>>();
    let mut out: Vec<Choice> = (0..n)
        .map(|_| Choice {
            text: prose(r, 35),
            correct: false,
            why: prose(r, 45),
        })
        .collect();
    // Exactly `correct` distinct right answers.
    let mut marked = 0;
    for i in right.into_iter().chain(0..n) {
        if marked == correct {
            break;
        }
        if let Some(c) = out.get_mut(i)
            && !c.correct
        {
            c.correct = true;
            marked += 1;
        }
    }
    out
}

/// The `i`-th card of a deck, kinds mixed as in the bundled content (46 % single, 17 %
/// multiple, 5 % order, 5 % match, the rest basic and cloze).
fn card(r: &mut Rng, i: usize) -> Card {
    let roll = r.below(100);
    let source = "generated › bench library".to_string();
    let tags = vec![r.pick(WORDS).to_string()];
    let id = format!("card-{i:05}");
    match roll {
        0..46 => {
            let n = 4 + r.below(3) as usize;
            Card {
                id,
                kind: "single",
                prompt: Some(format!(
                    "{}\n\nWhich solution meets these requirements?\n",
                    prose(r, 110)
                )),
                choices: choices(r, n, 1),
                explanation: Some(explanation(r, 110)),
                source,
                tags,
                ..Card::default()
            }
        }
        46..63 => Card {
            id,
            kind: "multiple",
            prompt: Some(format!("{} (Choose two.)\n", prose(r, 90))),
            select: Some(2),
            choices: choices(r, 5, 2),
            explanation: Some(explanation(r, 100)),
            source,
            tags,
            ..Card::default()
        },
        63..68 => Card {
            id,
            kind: "order",
            prompt: Some(format!("Put the steps in order: {}", sentence(r, 10))),
            steps: (0..5).map(|_| prose(r, 50)).collect(),
            explanation: Some(explanation(r, 220)),
            source,
            tags,
            ..Card::default()
        },
        68..73 => Card {
            id,
            kind: "match",
            prompt: Some(format!("Match each item to its use: {}", sentence(r, 8))),
            pairs: (0..4)
                .map(|k| Pair {
                    left: format!("{} {k}", sentence(r, 2)),
                    right: prose(r, 50),
                })
                .collect(),
            explanation: Some(explanation(r, 220)),
            source,
            tags,
            ..Card::default()
        },
        73..88 => Card {
            id,
            kind: "basic",
            prompt: Some(format!("{}?", sentence(r, 14))),
            answer: Some(explanation(r, 300)),
            source,
            tags,
            ..Card::default()
        },
        _ => Card {
            id,
            kind: "cloze",
            text: Some(format!(
                "{} {{{{c1::{}}}}} {} {{{{c2::{}}}}}.\n",
                prose(r, 100),
                sentence(r, 4),
                prose(r, 70),
                sentence(r, 4)
            )),
            explanation: Some(explanation(r, 220)),
            source,
            tags,
            ..Card::default()
        },
    }
}

/// The YAML text of deck file `f` with `cards` cards.
pub fn deck_yaml(f: usize, cards: usize) -> anyhow::Result<String> {
    let mut r = Rng(0x5eed ^ (f as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let deck = DeckFile {
        examdeck: 1,
        id: format!("bench/deck-{f:02}"),
        title: format!("Bench deck {f}"),
        description: prose(&mut r, 200),
        cards: (0..cards).map(|i| card(&mut r, i)).collect(),
    };
    serde_saphyr::to_string(&deck).map_err(|e| anyhow::anyhow!("writing deck {f}: {e}"))
}

/// The file name of deck file `f`.
pub fn deck_file_name(f: usize) -> String {
    format!("deck-{f:02}.yaml")
}

/// Writes `files` deck files of `cards` cards into `dir` (created); files are written under a
/// temporary name, then renamed, so an interrupted run leaves no half-written deck.
pub fn write_library(dir: &Path, files: usize, cards: usize) -> anyhow::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut bytes = 0u64;
    for f in 0..files {
        let text = deck_yaml(f, cards)?;
        bytes += text.len() as u64;
        let tmp = dir.join(format!(".{}.tmp", deck_file_name(f)));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, dir.join(deck_file_name(f)))?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{DeckSource, Library};

    #[test]
    fn generated_decks_load_without_errors_at_bundled_card_sizes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = write_library(dir.path(), 2, 200).expect("write");
        let lib = Library::load(&[DeckSource::Path(dir.path().to_path_buf())]);
        let errors: Vec<String> = lib
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(lib.cards().count(), 400);
        let per_card = bytes / 400;
        assert!(
            (1000..=1400).contains(&per_card),
            "{per_card} bytes per card"
        );
        let kinds: std::collections::BTreeSet<String> = lib
            .cards()
            .map(|(_, c)| c.body.kind_name().to_string())
            .collect();
        assert!(kinds.len() >= 6, "every kind appears: {kinds:?}");
    }

    #[test]
    fn same_seed_same_bytes() {
        assert_eq!(
            deck_yaml(3, 20).expect("yaml"),
            deck_yaml(3, 20).expect("yaml")
        );
        assert_ne!(
            deck_yaml(3, 20).expect("yaml"),
            deck_yaml(4, 20).expect("yaml")
        );
    }

    /// The generated library is in the fast YAML reader's subset (or the benchmark would
    /// measure granit-parser), and read exactly as granit-parser reads it.
    #[test]
    fn generated_decks_are_read_by_the_fast_yaml_reader() {
        use crate::deck::yaml::{parse_general, parse_subset};
        for f in 0..3 {
            let text = deck_yaml(f, 300).expect("yaml");
            let fast = parse_subset(&text).expect("in the subset");
            let general = parse_general(&text).expect("valid yaml");
            assert_eq!(format!("{fast:?}"), format!("{general:?}"));
        }
    }
}
