//! Writing imported decks as deck-format YAML with serde-saphyr (never by concatenating
//! strings): one file per deck, readable by a person, loadable by `examdeck check`.

use serde::Serialize;

/// The kind of an imported card (Anki has only these two shapes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Front and back.
    Basic,
    /// Cloze deletions.
    Cloze,
}

impl Kind {
    /// The deck-format name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Basic => "basic",
            Kind::Cloze => "cloze",
        }
    }
}

/// One card as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardOut {
    /// Card id (from the Anki note guid and ordinal).
    pub id: String,
    /// Kind.
    pub kind: Kind,
    /// Front (basic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Back (basic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Text with `{{cN::…}}` markers (cloze).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Extra fields shown after answering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Where the card came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl CardOut {
    /// Review items this card makes (one, or one per cloze number).
    pub fn item_count(&self) -> usize {
        match (self.kind, &self.text) {
            (Kind::Cloze, Some(t)) => crate::deck::cloze::parse(t)
                .map(|d| crate::deck::cloze::ordinals(&d).len())
                .unwrap_or(0),
            _ => 1,
        }
    }
}

/// One deck file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckOut {
    /// Format version (1).
    pub examdeck: u32,
    /// Deck id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Where it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The cards.
    pub cards: Vec<CardOut>,
}

impl DeckOut {
    /// The file name for this deck inside the import folder: the id's parts joined by `.`
    /// (ids hold no dots, so two ids never share a name).
    pub fn file_name(&self) -> String {
        format!("{}.yaml", self.id.replace('/', "."))
    }

    /// The deck as YAML text.
    pub fn to_yaml(&self) -> Result<String, String> {
        serde_saphyr::to_string(self).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_yaml_loads_back_unchanged() {
        let deck = DeckOut {
            examdeck: 1,
            id: "a/b".into(),
            title: "A › B".into(),
            description: None,
            cards: vec![
                CardOut {
                    id: "x".into(),
                    kind: Kind::Basic,
                    prompt: Some("What: is *this*?\n\n- a list\n- `code`".into()),
                    answer: Some("true".into()),
                    text: None,
                    explanation: None,
                    source: Some("Anki deck A::B".into()),
                    tags: vec!["t::u".into()],
                },
                CardOut {
                    id: "y".into(),
                    kind: Kind::Cloze,
                    prompt: None,
                    answer: None,
                    text: Some("{{c1::one}} {{c2::two::hint}}".into()),
                    explanation: Some("# heading".into()),
                    source: None,
                    tags: vec![],
                },
            ],
        };
        let text = deck.to_yaml().expect("serializes");
        let read = crate::deck::reader::read_deck("a.yaml", &text);
        let errors: Vec<_> = read.diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}\n{text}");
        let back = read.deck.expect("deck");
        assert_eq!(
            back.cards[0].prompt,
            "What: is *this*?\n\n- a list\n- `code`"
        );
        assert_eq!(
            back.cards[0].body,
            crate::deck::CardBody::Basic {
                answer: "true".into()
            }
        );
        assert_eq!(back.cards[1].explanation.as_deref(), Some("# heading"));
        assert_eq!(deck.cards[1].item_count(), 2);
        assert_eq!(deck.file_name(), "a.b.yaml");
    }

    /// Imported decks are read by the fast subset reader exactly as by granit-parser, whatever
    /// text their cards hold (or left to granit-parser).
    #[test]
    fn written_yaml_is_read_alike_by_both_yaml_readers() {
        use crate::deck::yaml::{parse_general, parse_subset};
        use rand::{Rng, SeedableRng};
        const PIECES: &[&str] = &[
            "word",
            " ",
            "  ",
            "\n",
            "\n\n",
            ":",
            ": ",
            "#",
            " #",
            "'",
            "\"",
            "\\",
            "-",
            "- ",
            "|",
            ">",
            "{",
            "}",
            "[",
            "]",
            ",",
            "é",
            "\t",
            "*",
            "&",
            "!",
            "%",
            "@",
            "`",
            "~",
            "null",
            "true",
            "1",
            "0x1",
            "{{c1::x}}",
            "\u{85}",
            "\r",
            "a long sentence of ordinary words ",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let mut read_fast = 0;
        for _ in 0..1_000 {
            let mut text = String::new();
            for _ in 0..rng.random_range(1..30) {
                text.push_str(PIECES[rng.random_range(0..PIECES.len())]);
            }
            let card = CardOut {
                id: "x".into(),
                kind: Kind::Basic,
                prompt: Some(text.clone()),
                answer: Some(text.trim().to_string()),
                text: None,
                explanation: Some(format!("{text}\n")),
                source: None,
                tags: vec![text.clone(), "plain".into()],
            };
            let deck = DeckOut {
                examdeck: 1,
                id: "a/b".into(),
                title: text.clone(),
                description: None,
                cards: vec![card],
            };
            let yaml = deck.to_yaml().expect("serializes");
            let general = parse_general(&yaml).expect("serde-saphyr writes valid YAML");
            if let Some(fast) = parse_subset(&yaml) {
                assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{yaml}");
                read_fast += 1;
            }
        }
        assert!(
            read_fast > 500,
            "only {read_fast} of 1000 read by the subset"
        );
    }
}
