//! Synthetic libraries for tests, the crash test and the benchmark.

use crate::deck::{Card, CardBody, Deck, Library, LoadedDeck, Origin};

/// A library of `decks` decks (`deck-0` …) with `cards` cards each; every `cloze_every`-th
/// card is a cloze with two deletions (0 = none). Decks with an even number serve exam
/// `exam-a` (domains `d1`/`d2`).
pub fn library(decks: usize, cards: usize, cloze_every: usize) -> Library {
    let mut lib = Library::default();
    for d in 0..decks {
        let deck = Deck {
            id: format!("deck-{d}"),
            title: format!("Deck {d}"),
            description: None,
            version: None,
            authors: vec![],
            license: None,
            exam: (d % 2 == 0).then(|| "exam-a".to_string()),
            domain: None,
            tags: vec![],
            cards: (0..cards)
                .map(|c| {
                    let cloze = cloze_every > 0 && c % cloze_every == cloze_every - 1;
                    Card {
                        id: format!("card-{c}"),
                        prompt: format!("Question {d}.{c}"),
                        body: if cloze {
                            CardBody::Cloze {
                                ordinals: vec![1, 2],
                            }
                        } else {
                            CardBody::Basic {
                                answer: format!("Answer {d}.{c}"),
                            }
                        },
                        explanation: None,
                        source: None,
                        domain: (d % 2 == 0).then(|| format!("d{}", 1 + c % 2)),
                        tags: vec![],
                        content_hash: format!("hash-{d}-{c}"),
                        line: 1,
                        column: 1,
                        lint_allow: Vec::new(),
                    }
                })
                .collect(),
            texts: None,
        };
        lib.decks.push(LoadedDeck {
            deck,
            path: format!("deck-{d}.yaml"),
            origin: Origin::Bundled { dir: String::new() },
            source: 0,
        });
    }
    lib.decks.sort_by(|a, b| a.deck.id.cmp(&b.deck.id));
    lib
}
