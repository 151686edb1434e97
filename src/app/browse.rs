//! The card browser's rows, search and sorting, as plain data (the Browse screen draws them).

use super::core::AppCore;
use crate::deck::{Card, Deck, ItemKey};
use crate::learner::ItemState;
use crate::schedule::Phase;
use chrono::{DateTime, Utc};

/// Which learning state to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateFilter {
    /// Everything.
    #[default]
    Any,
    /// Never studied.
    New,
    /// On learning or relearning steps.
    Learning,
    /// Due now.
    Due,
    /// Suspended by the learner or as a leech.
    Suspended,
    /// Tagged leech.
    Leech,
    /// Changed by the author since last review.
    Edited,
}

impl StateFilter {
    /// All, in menu order.
    pub const ALL: [StateFilter; 7] = [
        StateFilter::Any,
        StateFilter::New,
        StateFilter::Learning,
        StateFilter::Due,
        StateFilter::Suspended,
        StateFilter::Leech,
        StateFilter::Edited,
    ];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            StateFilter::Any => "any state",
            StateFilter::New => "new",
            StateFilter::Learning => "learning",
            StateFilter::Due => "due",
            StateFilter::Suspended => "suspended",
            StateFilter::Leech => "leech",
            StateFilter::Edited => "edited",
        }
    }
}

/// The search form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BrowseFilter {
    /// Words that must all appear (case-insensitive) in the card's text or id.
    pub text: String,
    /// Deck id.
    pub deck: Option<String>,
    /// Card kind.
    pub kind: Option<&'static str>,
    /// Domain id.
    pub domain: Option<String>,
    /// Tag.
    pub tag: Option<String>,
    /// Learning state.
    pub state: StateFilter,
}

/// Columns the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Deck, then file order.
    #[default]
    Deck,
    /// Prompt text.
    Prompt,
    /// Kind.
    Kind,
    /// Domain.
    Domain,
    /// Due date (new cards last).
    Due,
    /// Lapses, most first.
    Lapses,
}

/// One row: an item with what the table shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BrowseRow {
    /// The item.
    pub key: ItemKey,
    /// Deck title.
    pub deck_title: String,
    /// First line of the prompt, without Markdown marks.
    pub prompt: String,
    /// Kind name.
    pub kind: &'static str,
    /// Domain id.
    pub domain: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Lower-cased searchable text (prompt, answers, choices, explanation, ids).
    search: String,
    /// Phase.
    pub phase: Phase,
    /// Next due time, if studied.
    pub due: Option<DateTime<Utc>>,
    /// Times forgotten after graduating.
    pub lapses: u32,
    /// Suspended.
    pub suspended: bool,
    /// Leech.
    pub leech: bool,
    /// Edited since last review.
    pub edited: bool,
}

/// Builds a row per item of the library, with its learning state.
pub fn rows(core: &AppCore) -> anyhow::Result<Vec<BrowseRow>> {
    let states = core.learner.item_states()?;
    let mut out = Vec::new();
    // Decks taken from the library cache read their texts here, one deck at a time, and
    // keep only what a row needs.
    for loaded in &core.library.decks {
        let deck = &loaded.deck;
        let cards = deck.full_cards();
        for card in cards.iter() {
            for ord in card.ordinals() {
                let key = ItemKey {
                    deck: deck.id.clone(),
                    card: card.id.clone(),
                    ord,
                };
                let st = states.get(&key);
                out.push(row(deck, card, key, st));
            }
        }
    }
    Ok(out)
}

fn row(deck: &Deck, card: &Card, key: ItemKey, st: Option<&ItemState>) -> BrowseRow {
    let mut search = format!("{} {} {}", deck.id, card.id, card.prompt);
    if let Ok(body) = serde_json::to_string(&card.body) {
        search.push(' ');
        search.push_str(&body);
    }
    if let Some(e) = &card.explanation {
        search.push(' ');
        search.push_str(e);
    }
    BrowseRow {
        deck_title: deck.title.clone(),
        prompt: first_line(&card.prompt),
        kind: card.body.kind_name(),
        domain: card.domain.clone().unwrap_or_default(),
        tags: card.tags.clone(),
        search: search.to_lowercase(),
        phase: st.map_or(Phase::New, |s| s.phase),
        due: st.and_then(|s| s.due),
        lapses: st.map_or(0, |s| s.lapses),
        suspended: st.is_some_and(|s| s.suspended),
        leech: st.is_some_and(|s| s.leech),
        edited: st.is_some_and(|s| s.edited),
        key,
    }
}

fn first_line(md: &str) -> String {
    let line = md
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let plain = line.replace("**", "").replace(['`', '#'], "");
    let plain = plain.trim();
    if plain.chars().count() > 140 {
        format!("{}…", plain.chars().take(140).collect::<String>())
    } else {
        plain.to_string()
    }
}

/// Indexes of the rows that match `f`, sorted by `sort`.
pub fn search(
    rows: &[BrowseRow],
    f: &BrowseFilter,
    sort: SortBy,
    now: DateTime<Utc>,
) -> Vec<usize> {
    let words: Vec<String> = f.text.split_whitespace().map(str::to_lowercase).collect();
    let mut hits: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            words.iter().all(|w| r.search.contains(w.as_str()))
                && f.deck.as_ref().is_none_or(|d| &r.key.deck == d)
                && f.kind.is_none_or(|k| r.kind == k)
                && f.domain.as_ref().is_none_or(|d| &r.domain == d)
                && f.tag.as_ref().is_none_or(|t| r.tags.contains(t))
                && match f.state {
                    StateFilter::Any => true,
                    StateFilter::New => r.phase == Phase::New,
                    StateFilter::Learning => matches!(r.phase, Phase::Learning | Phase::Relearning),
                    StateFilter::Due => !r.suspended && r.due.is_some_and(|d| d <= now),
                    StateFilter::Suspended => r.suspended,
                    StateFilter::Leech => r.leech,
                    StateFilter::Edited => r.edited,
                }
        })
        .map(|(i, _)| i)
        .collect();
    match sort {
        SortBy::Deck => {}
        SortBy::Prompt => hits.sort_by(|a, b| rows[*a].prompt.cmp(&rows[*b].prompt)),
        SortBy::Kind => hits.sort_by_key(|i| rows[*i].kind),
        SortBy::Domain => hits.sort_by(|a, b| rows[*a].domain.cmp(&rows[*b].domain)),
        SortBy::Due => {
            hits.sort_by_key(|i| rows[*i].due.map_or(i64::MAX, |d| d.timestamp_millis()))
        }
        SortBy::Lapses => hits.sort_by_key(|i| std::cmp::Reverse(rows[*i].lapses)),
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(deck: &str, card: &str, text: &str, kind: &'static str, phase: Phase) -> BrowseRow {
        BrowseRow {
            key: ItemKey {
                deck: deck.into(),
                card: card.into(),
                ord: 0,
            },
            deck_title: deck.into(),
            prompt: text.into(),
            kind,
            domain: "iam".into(),
            tags: vec!["t".into()],
            search: text.to_lowercase(),
            phase,
            due: None,
            lapses: 0,
            suspended: false,
            leech: false,
            edited: false,
        }
    }

    #[test]
    fn all_words_must_match_and_filters_combine() {
        let rows = vec![
            row("a", "1", "KMS key rotation yearly", "single", Phase::New),
            row("a", "2", "CloudTrail log integrity", "basic", Phase::Review),
            row("b", "3", "KMS grants", "basic", Phase::Learning),
        ];
        let now = Utc::now();
        let f = |text: &str| BrowseFilter {
            text: text.into(),
            ..BrowseFilter::default()
        };
        assert_eq!(search(&rows, &f("kms"), SortBy::Deck, now), vec![0, 2]);
        assert_eq!(
            search(&rows, &f("kms rotation"), SortBy::Deck, now),
            vec![0]
        );
        let only_b = BrowseFilter {
            deck: Some("b".into()),
            ..f("kms")
        };
        assert_eq!(search(&rows, &only_b, SortBy::Deck, now), vec![2]);
        let learning = BrowseFilter {
            state: StateFilter::Learning,
            ..BrowseFilter::default()
        };
        assert_eq!(search(&rows, &learning, SortBy::Deck, now), vec![2]);
        let basic = BrowseFilter {
            kind: Some("basic"),
            ..BrowseFilter::default()
        };
        assert_eq!(search(&rows, &basic, SortBy::Prompt, now), vec![1, 2]);
    }
}
