//! Anki notes and cards → examdeck decks. Basic-like note types give one basic card per
//! generated Anki card (rendered from its templates); cloze note types give one cloze card
//! per note (every `cN` is a review item). Deck `A::B::C` becomes deck id `a/b/c`; card ids
//! come from the note guid (+ the template ordinal), so a re-import finds the same cards.

use super::collection::{Card, Collection, Note, NoteType};
use super::template;
use crate::deck::ItemKey;
use crate::import::html::HtmlConverter;
use crate::import::yaml_out::{CardOut, DeckOut, Kind};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Anki's standard basic note types, imported without a warning.
const STANDARD: [&str; 4] = [
    "Basic",
    "Basic (and reversed card)",
    "Basic (optional reversed card)",
    "Basic (type in the answer)",
];

/// What a collection turned into.
#[derive(Debug, Default)]
pub struct Converted {
    /// Decks, sorted by id.
    pub decks: Vec<DeckOut>,
    /// Anki media names the cards show.
    pub images: BTreeSet<String>,
    /// Everything dropped or guessed, one sentence each.
    pub warnings: Vec<String>,
    /// Anki card id → our review item.
    pub items: HashMap<i64, ItemKey>,
}

/// One id part: lowercase `a-z0-9`, other runs become one `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(60).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "deck".into() } else { out }
}

/// Deck id for Anki deck name `A::B::C` under `prefix`.
pub fn deck_id(prefix: Option<&str>, anki_name: &str) -> String {
    let parts: Vec<String> = anki_name.split("::").map(slug).take(8).collect();
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}/{}", parts.join("/")),
        _ => parts.join("/"),
    }
}

/// Card id base for a note guid: the guid itself when it is already a valid id, else its
/// bytes in hex (guids are case-sensitive, so lowercasing could merge two notes).
pub fn card_base(guid: &str) -> String {
    if crate::deck::is_valid_card_id(guid) && guid.len() <= 80 {
        return guid.to_string();
    }
    let hex: String = guid.bytes().map(|b| format!("{b:02x}")).collect();
    if !hex.is_empty() && hex.len() <= 80 {
        return format!("g{hex}");
    }
    use sha2::Digest;
    let h = sha2::Sha256::digest(guid.as_bytes());
    format!(
        "h{}",
        h[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

fn unique(id: String, used: &mut HashSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    candidate
}

fn non_empty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

struct Ctx<'a> {
    html: HtmlConverter,
    warnings: Vec<String>,
    images: BTreeSet<String>,
    col: &'a Collection,
}

impl Ctx<'_> {
    fn md(&mut self, guid: &str, html: &str) -> String {
        let (md, found) = self.html.convert(html);
        for d in found.dropped {
            self.warnings.push(format!("note {guid}: dropped {d}"));
        }
        self.images.extend(found.images);
        md
    }
}

/// Converts every note that has cards.
pub fn convert(
    col: &Collection,
    prefix: Option<&str>,
    images: BTreeSet<String>,
    progress: &mut dyn FnMut(crate::import::Progress),
) -> Converted {
    let mut ctx = Ctx {
        html: HtmlConverter::with_images(images),
        warnings: Vec::new(),
        images: BTreeSet::new(),
        col,
    };
    // Deck ids, assigned in name order so that collisions resolve the same way every time.
    let mut names: Vec<(&str, i64)> = col.decks.iter().map(|(id, n)| (n.as_str(), *id)).collect();
    names.sort();
    let mut used_decks = HashSet::new();
    let mut deck_ids: HashMap<i64, (String, String)> = HashMap::new();
    for (name, id) in names {
        let our = unique(deck_id(prefix, name), &mut used_decks);
        deck_ids.insert(id, (our, name.to_string()));
    }
    let mut by_note: HashMap<i64, Vec<Card>> = HashMap::new();
    for c in &col.cards {
        by_note.entry(c.note).or_default().push(*c);
    }
    let mut decks: BTreeMap<String, DeckOut> = BTreeMap::new();
    let mut used_cards: HashMap<String, HashSet<String>> = HashMap::new();
    let mut items = HashMap::new();
    let mut odd_types = BTreeSet::new();
    let total = col.notes.len() as u64;
    for (n, note) in col.notes.iter().enumerate() {
        if n % 1000 == 0 {
            progress(crate::import::Progress::new(
                "converting notes",
                n as u64,
                total,
            ));
        }
        let Some(cards) = by_note.get(&note.id) else {
            continue;
        };
        let Some(nt) = col.notetypes.get(&note.notetype) else {
            ctx.warnings.push(format!(
                "note {}: its note type is missing from the package; skipped",
                note.guid
            ));
            continue;
        };
        if !nt.cloze && !STANDARD.contains(&nt.name.as_str()) {
            odd_types.insert(nt.name.clone());
        }
        let fields: HashMap<&str, &str> = nt
            .fields
            .iter()
            .map(String::as_str)
            .zip(note.fields.iter().map(String::as_str))
            .collect();
        let base = card_base(&note.guid);
        let mut place = |anki_deck: i64, id: String, card: CardOut| -> Option<(String, String)> {
            let (deck_id, anki_name) = deck_ids.get(&anki_deck)?.clone();
            let used = used_cards.entry(deck_id.clone()).or_default();
            let id = unique(id, used);
            let deck = decks.entry(deck_id.clone()).or_insert_with(|| DeckOut {
                examdeck: 1,
                id: deck_id.clone(),
                title: anki_name.replace("::", " › "),
                description: Some(format!("Imported from the Anki deck \"{anki_name}\".")),
                cards: Vec::new(),
            });
            deck.cards.push(CardOut {
                id: id.clone(),
                ..card
            });
            Some((deck_id, id))
        };
        if nt.cloze {
            let Some(first) = cards.first() else { continue };
            if let Some((card, ords)) = cloze_card(&mut ctx, note, nt, &fields, first.deck)
                && let Some((deck, id)) = place(first.deck, base, card)
            {
                for c in cards {
                    let ord = c.ord + 1;
                    if ords.contains(&ord) {
                        items.insert(
                            c.id,
                            ItemKey {
                                deck: deck.clone(),
                                card: id.clone(),
                                ord,
                            },
                        );
                    }
                }
            }
        } else {
            for c in cards {
                let id = if c.ord == 0 {
                    base.clone()
                } else {
                    format!("{base}-{}", c.ord + 1)
                };
                if let Some(card) = basic_card(&mut ctx, note, nt, &fields, c)
                    && let Some((deck, id)) = place(c.deck, id, card)
                {
                    items.insert(
                        c.id,
                        ItemKey {
                            deck,
                            card: id,
                            ord: 0,
                        },
                    );
                }
            }
        }
    }
    for name in odd_types {
        ctx.warnings.push(format!(
            "note type \"{name}\" is not one of Anki's standard types: its cards were imported \
             as basic cards from their templates' front and back"
        ));
    }
    Converted {
        decks: decks.into_values().collect(),
        images: ctx.images,
        warnings: ctx.warnings,
        items,
    }
}

fn source(ctx: &Ctx<'_>, deck: i64) -> Option<String> {
    ctx.col.decks.get(&deck).map(|n| format!("Anki deck {n}"))
}

fn basic_card(
    ctx: &mut Ctx<'_>,
    note: &Note,
    nt: &NoteType,
    fields: &HashMap<&str, &str>,
    card: &Card,
) -> Option<CardOut> {
    let Some(t) = nt.templates.get(usize::from(card.ord)) else {
        ctx.warnings.push(format!(
            "note {}: card {} has no template in note type \"{}\"; skipped",
            note.guid,
            card.ord + 1,
            nt.name
        ));
        return None;
    };
    let prompt = ctx.md(&note.guid, &template::render(&t.front, fields));
    let answer = ctx.md(&note.guid, &template::render_answer(&t.back, fields));
    if prompt.trim().is_empty() || answer.trim().is_empty() {
        ctx.warnings.push(format!(
            "note {}: card \"{}\" has an empty {}; skipped",
            note.guid,
            t.name,
            if prompt.trim().is_empty() {
                "front"
            } else {
                "back"
            }
        ));
        return None;
    }
    Some(CardOut {
        id: String::new(),
        kind: Kind::Basic,
        prompt: Some(prompt),
        answer: Some(answer),
        text: None,
        explanation: None,
        source: source(ctx, card.deck),
        tags: note.tags.clone(),
    })
}

fn cloze_card(
    ctx: &mut Ctx<'_>,
    note: &Note,
    nt: &NoteType,
    fields: &HashMap<&str, &str>,
    deck: i64,
) -> Option<(CardOut, Vec<u16>)> {
    let front = nt.templates.first().map(|t| t.front.as_str()).unwrap_or("");
    let back = nt.templates.first().map(|t| t.back.as_str()).unwrap_or("");
    let name = template::cloze_field(front)
        .map(str::to_string)
        .or_else(|| nt.fields.first().cloned())
        .unwrap_or_default();
    let text = ctx.md(&note.guid, fields.get(name.as_str()).copied().unwrap_or(""));
    let ords = match crate::deck::cloze::parse(&text) {
        Ok(d) if !d.is_empty() => crate::deck::cloze::ordinals(&d),
        Ok(_) | Err(_) => {
            ctx.warnings.push(format!(
                "note {}: the cloze text has no cloze deletion examdeck can read; skipped",
                note.guid
            ));
            return None;
        }
    };
    // The answer side without the cloze text itself: the extra fields.
    let mut rest = fields.clone();
    rest.insert(name.as_str(), "");
    let extra = ctx.md(&note.guid, &template::render(back, &rest));
    Some((
        CardOut {
            id: String::new(),
            kind: Kind::Cloze,
            prompt: None,
            answer: None,
            text: Some(text),
            explanation: non_empty(extra),
            source: source(ctx, deck),
            tags: note.tags.clone(),
        },
        ords,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_and_stable() {
        assert_eq!(
            deck_id(None, "Security::Crypto::KMS"),
            "security/crypto/kms"
        );
        assert_eq!(
            deck_id(Some("group"), "Ünïcode Deck!!"),
            "group/n-code-deck"
        );
        assert_eq!(deck_id(None, "::"), "deck/deck");
        assert_eq!(card_base("fixture-basic"), "fixture-basic");
        assert_eq!(card_base("Ab"), "g4162");
        assert_ne!(card_base("ab1"), card_base("AB1"));
        for g in ["", "x".repeat(500).as_str(), "b`K8D;u]Q?"] {
            assert!(crate::deck::is_valid_card_id(&card_base(g)), "{g}");
        }
    }
}
