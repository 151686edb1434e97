//! The "Add decks…" flow as window-free state: an import waiting for the learner to confirm
//! that it may replace one of their own deck files, and the outcome of the last import, which
//! stays until dismissed (the watcher's "Decks reloaded." status line must not hide it).

use super::import::{self, StagedImport};
use crate::deck::Library;
use chrono::{DateTime, Utc};
use std::path::Path;

/// The outcome of an import, shown until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportNotice {
    /// It worked (some decks were imported).
    pub ok: bool,
    /// One line: what happened.
    pub headline: String,
    /// Files replaced, and where each is kept, one per line.
    pub details: Vec<String>,
    /// Problems found in what was imported (decks with errors were left out).
    pub problems: Vec<String>,
}

/// "Add decks…" state.
#[derive(Debug, Default)]
pub struct ImportFlow {
    /// An import that would replace the learner's own files, awaiting "Replace" or "Cancel".
    pub pending: Option<StagedImport>,
    /// The last outcome.
    pub notice: Option<ImportNotice>,
}

impl ImportFlow {
    /// Stages `path`; puts it in place at once unless it would replace one of the learner's
    /// files (then it waits in [`ImportFlow::pending`]). True when decks changed on disk.
    pub fn begin(
        &mut self,
        path: &Path,
        user_decks: &Path,
        library: &Library,
        now: DateTime<Utc>,
    ) -> bool {
        self.pending = None;
        match import::stage(path, user_decks, library) {
            Err(e) => {
                self.failed(format!("Could not import {}", path.display()), e);
                false
            }
            Ok(staged) if staged.conflicts.is_empty() => self.commit(staged, now),
            Ok(staged) => {
                self.notice = None;
                self.pending = Some(staged);
                false
            }
        }
    }

    /// The learner agreed to replace their files. True when decks changed on disk.
    pub fn confirm(&mut self, now: DateTime<Utc>) -> bool {
        match self.pending.take() {
            Some(staged) => self.commit(staged, now),
            None => false,
        }
    }

    /// The learner said no: the staged import is thrown away, nothing changed.
    pub fn cancel(&mut self) {
        if self.pending.take().is_some() {
            self.notice = Some(ImportNotice {
                ok: true,
                headline: "Import cancelled: nothing was changed.".into(),
                details: Vec::new(),
                problems: Vec::new(),
            });
        }
    }

    /// Hides the outcome.
    pub fn dismiss(&mut self) {
        self.notice = None;
    }

    fn commit(&mut self, staged: StagedImport, now: DateTime<Utc>) -> bool {
        match staged.commit(now) {
            Ok(summary) => {
                let details = summary
                    .replaced
                    .iter()
                    .map(|r| {
                        format!(
                            "Replaced your {} (deck {}); your file is kept at {}",
                            r.file.display(),
                            r.deck,
                            r.kept.display()
                        )
                    })
                    .collect();
                self.notice = Some(ImportNotice {
                    ok: true,
                    headline: format!("{summary}."),
                    details,
                    problems: summary.problems.clone(),
                });
                true
            }
            Err(e) => {
                self.failed("Could not put the import in place".into(), e);
                false
            }
        }
    }

    fn failed(&mut self, what: String, e: import::ImportError) {
        self.notice = Some(ImportNotice {
            ok: false,
            headline: format!("{what}: {e}"),
            details: Vec::new(),
            problems: Vec::new(),
        });
    }
}
