//! A study session: which item is on screen, what the learner did with it, and answering /
//! undoing through the learner. No drawing here, so every rule is testable without a window.

use super::core::AppCore;
use crate::app::question::QuestionInput;
use crate::deck::{Card, ItemKey};
use crate::learner::{Answer, NextItem, StudyScope};
use crate::schedule::Rating;
use crate::schedule::ReviewKind;
use chrono::{DateTime, Utc};

/// The item on screen.
pub struct Current {
    /// What the scheduler chose, with its interval previews.
    pub item: NextItem,
    /// When it was shown (for time taken).
    pub shown_at: DateTime<Utc>,
    /// Flashcard answer revealed / question submitted.
    pub revealed: bool,
    /// The learner's choices (questions only).
    pub input: QuestionInput,
    /// For a submitted question: was it right?
    pub correct: Option<bool>,
}

/// One sitting of studying a scope.
pub struct Session {
    /// What is being studied.
    pub scope: StudyScope,
    /// The item on screen; `None` when done.
    pub current: Option<Current>,
    /// Answers given in this session (minus undone ones).
    pub answered: u32,
    /// Questions answered right (minus undone ones).
    pub correct: u32,
    /// When the session started.
    pub started_at: DateTime<Utc>,
    /// Whether each answer in this session was right (for undo of the counters).
    history: Vec<Option<bool>>,
}

impl Session {
    /// Starts studying `scope` and shows the first item.
    pub fn start(core: &mut AppCore, scope: StudyScope) -> anyhow::Result<Session> {
        let now = core.now();
        let mut s = Session {
            scope,
            current: None,
            answered: 0,
            correct: 0,
            started_at: now,
            history: Vec::new(),
        };
        s.advance(core)?;
        Ok(s)
    }

    /// The card of the current item.
    pub fn card<'a>(&self, core: &'a AppCore) -> Option<&'a Card> {
        let key = &self.current.as_ref()?.item.key;
        card_of(core, key)
    }

    /// Loads the next item, or `None` when the scope is done for today.
    pub fn advance(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        let now = core.now();
        let next = core.learner.next_item(&self.scope, &core.library, now)?;
        self.current = next.map(|item| make_current(core, item, now));
        Ok(())
    }

    /// Shows a flashcard's answer.
    pub fn reveal(&mut self) {
        if let Some(c) = &mut self.current {
            c.revealed = true;
        }
    }

    /// Submits a question's input and grades it; returns whether it was right.
    pub fn submit(&mut self, core: &AppCore) -> Option<bool> {
        let card = self.card(core)?.clone();
        let c = self.current.as_mut()?;
        if c.revealed || !c.input.is_complete() {
            return c.correct;
        }
        let right = c
            .input
            .to_response()
            .is_some_and(|r| crate::exam::response::grade(&card, &r));
        c.revealed = true;
        c.correct = Some(right);
        Some(right)
    }

    /// The rating a submitted question gets unless the learner changes it.
    pub fn default_rating(&self) -> Option<Rating> {
        let c = self.current.as_ref()?;
        match c.correct {
            Some(true) => Some(Rating::Good),
            Some(false) => Some(Rating::Again),
            None => None,
        }
    }

    /// Records the answer with `rating` (a wrong question is always Again) and moves on.
    pub fn grade(&mut self, core: &mut AppCore, rating: Rating) -> anyhow::Result<()> {
        let now = core.now();
        let Some(c) = self.current.take() else {
            return Ok(());
        };
        let rating = if c.correct == Some(false) {
            Rating::Again
        } else {
            rating
        };
        let response = c
            .input
            .to_response()
            .and_then(|r| serde_json::to_string(&r).ok());
        let time_taken_ms = (now - c.shown_at)
            .num_milliseconds()
            .clamp(0, 60 * 60 * 1000) as u32;
        // The learner derives learn / review / relearn from the item's phase.
        let kind = ReviewKind::Review;
        let answer = Answer {
            rating,
            kind,
            time_taken_ms,
            response,
        };
        core.learner.answer(&c.item.key, &answer, now)?;
        self.answered += 1;
        self.history.push(c.correct);
        if c.correct == Some(true) {
            self.correct += 1;
        }
        core.refresh_counts(now)?;
        self.advance(core)
    }

    /// Undoes the last answer and shows that item again, as it was before.
    pub fn undo(&mut self, core: &mut AppCore) -> anyhow::Result<bool> {
        let Some(key) = core.learner.undo()? else {
            return Ok(false);
        };
        let now = core.now();
        if let Some(was_right) = self.history.pop() {
            self.answered = self.answered.saturating_sub(1);
            if was_right == Some(true) {
                self.correct = self.correct.saturating_sub(1);
            }
        }
        core.refresh_counts(now)?;
        let again = core
            .learner
            .next_item(&StudyScope::Items(vec![key]), &core.library, now)?;
        self.current = again.map(|item| make_current(core, item, now));
        Ok(true)
    }

    /// Suspends the current item and moves on.
    pub fn suspend(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        if let Some(c) = self.current.take() {
            core.learner.suspend(&c.item.key, core.now())?;
            core.refresh_counts(core.now())?;
        }
        self.advance(core)
    }

    /// Buries the current item until tomorrow and moves on.
    pub fn bury(&mut self, core: &mut AppCore) -> anyhow::Result<()> {
        if let Some(c) = self.current.take() {
            core.learner.bury(&c.item.key, core.now())?;
            core.refresh_counts(core.now())?;
        }
        self.advance(core)
    }
}

/// The card behind an item key, with its text (read from the library cache the first time).
pub fn card_of<'a>(core: &'a AppCore, key: &ItemKey) -> Option<&'a Card> {
    core.library
        .deck(&key.deck)?
        .deck
        .full_card_by_id(&key.card)
}

fn make_current(core: &AppCore, item: NextItem, now: DateTime<Utc>) -> Current {
    let input = match card_of(core, &item.key) {
        Some(card) => {
            let n = match &card.body {
                crate::deck::CardBody::Single { choices }
                | crate::deck::CardBody::Multiple { choices, .. } => choices.len(),
                crate::deck::CardBody::Order { steps } => steps.len(),
                crate::deck::CardBody::Match { pairs } => pairs.len(),
                _ => 0,
            };
            // Shuffle differs per showing but is stable while the item is on screen.
            let seed = now.timestamp_millis() as u64 ^ hash(&item.key.to_string());
            QuestionInput::new(
                card,
                &crate::exam::rng::SplitMix64::new(seed).permutation(n),
            )
        }
        None => QuestionInput::None,
    };
    Current {
        item,
        shown_at: now,
        revealed: false,
        input,
        correct: None,
    }
}

fn hash(s: &str) -> u64 {
    // FNV-1a: tiny, stable, enough to vary a shuffle.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
