//! Carrying out confirmed plans: write each into the deck folder, then (when asked) import
//! the review history into the learner once the library holds the new decks. Shared by the
//! command line and the app's worker thread.

use super::error::Result;
use super::{Plan, Progress, WriteSummary, write_with};
use crate::deck::{DeckSource, Library, LoadOptions, LoadProgress};
use crate::learner::Learner;
use crate::learner::import_history::HistoryReport;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::Path;

/// What an import did, per file and in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// One summary per plan, in order.
    pub files: Vec<WriteSummary>,
    /// The history imported (None when no plan asked for it).
    pub history: Option<HistoryReport>,
}

impl Outcome {
    /// Cards added, changed and removed in all files.
    pub fn totals(&self) -> (usize, usize, usize) {
        self.files.iter().fold((0, 0, 0), |(a, c, r), f| {
            (a + f.added, c + f.changed, r + f.removed)
        })
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let decks: usize = self.files.iter().map(|s| s.decks.len()).sum();
        let (a, c, r) = self.totals();
        write!(
            f,
            "Imported {decks} deck(s): {a} cards added, {c} changed (flagged edited), {r} removed"
        )?;
        if let Some(h) = &self.history {
            write!(
                f,
                "; {} answers of history imported ({} already there)",
                h.added, h.already
            )?;
        }
        Ok(())
    }
}

/// Writes every plan into `into` (the library is `sources` plus what is written), then
/// imports the history of those that carry it into `learner`.
pub fn apply(
    plans: &[Plan],
    into: &Path,
    sources: &[DeckSource],
    learner: Option<&mut Learner>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    let total = plans.len() as u64 + 1;
    for (i, plan) in plans.iter().enumerate() {
        progress(Progress::new("writing decks", i as u64, total));
        let current = load_reporting(sources, "reading the deck folder", progress);
        outcome
            .files
            .push(write_with(plan, into, &current, progress)?);
    }
    if let Some(learner) = learner
        && plans.iter().any(|p| p.with_history)
    {
        progress(Progress::new(
            "importing history",
            plans.len() as u64,
            total,
        ));
        // Borrowed, not copied: a large history is the biggest part of a plan.
        let reviews: Vec<_> = plans
            .iter()
            .filter(|p| p.with_history)
            .flat_map(|p| p.history.reviews.iter())
            .collect();
        let library = load_reporting(sources, "loading the new decks", progress);
        outcome.history = Some(
            learner.import_history_with(&library, reviews, now, &mut |w| {
                progress(Progress::new(w.stage, w.done, w.total))
            })?,
        );
    }
    progress(Progress::new("done", total, total));
    Ok(outcome)
}

/// Loads `sources`, passing on the loader's per-file progress (reported from its threads) to
/// `progress` on this thread as `stage`, so a large library never leaves a long silence.
pub(super) fn load_reporting(
    sources: &[DeckSource],
    stage: &'static str,
    progress: &mut dyn FnMut(Progress),
) -> Library {
    let (tx, rx) = std::sync::mpsc::channel::<LoadProgress>();
    std::thread::scope(|s| {
        let loader = s.spawn(move || {
            // Dropped when the load ends, which ends the loop below.
            let report = move |p: LoadProgress| {
                let _ = tx.send(p);
            };
            let opts = LoadOptions {
                cache_dir: None,
                progress: Some(&report),
            };
            Library::load_with(sources, &opts)
        });
        for p in rx {
            progress(Progress::new(
                stage,
                p.files_done as u64,
                p.files_total as u64,
            ));
        }
        loader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
