//! Watched deck folders the learner adds in Settings: kept in the learner's settings (the
//! SQLite database, so they survive like progress), loaded after the user's own folder and
//! the `--decks` folders, and watched for hot reload like them.

use super::core::AppCore;
use crate::deck::{DeckSource, Diagnostic};
use anyhow::{Context, bail};

use std::path::{Path, PathBuf};

/// At most this many saved folders: each one is walked and watched.
pub const MAX_FOLDERS: usize = 32;

/// The base sources (bundled, the user's folder, `--decks`) followed by the folders saved in
/// Settings; a folder already among the base sources is loaded once.
pub fn with_saved(base: &[DeckSource], saved: &[PathBuf]) -> Vec<DeckSource> {
    crate::paths::with_saved(base, saved)
}

impl AppCore {
    /// The folders saved in Settings.
    pub fn deck_folders(&self) -> &[PathBuf] {
        &self.learner.settings().deck_folders
    }

    /// Saves a folder as a deck source and reloads the library; returns the folder as saved
    /// (absolute). Refuses what is not a folder, a folder already loaded, or too many.
    pub fn add_deck_folder(&mut self, path: &Path) -> anyhow::Result<PathBuf> {
        if !path.is_dir() {
            bail!(
                "{} is not a folder: choose the folder that holds the deck files",
                path.display()
            );
        }
        let folder = path
            .canonicalize()
            .with_context(|| format!("cannot open {}", path.display()))?;
        let loaded = self.sources.iter().any(|s| match s {
            DeckSource::Path(p) => p.canonicalize().is_ok_and(|p| p == folder),
            DeckSource::Bundled => false,
        });
        if loaded {
            bail!("{} is already a deck folder", folder.display());
        }
        let mut s = self.learner.settings().clone();
        if s.deck_folders.len() >= MAX_FOLDERS {
            bail!("at most {MAX_FOLDERS} deck folders can be added: remove one first");
        }
        s.deck_folders.push(folder.clone());
        self.learner.set_settings(s)?;
        self.rebuild_sources()?;
        Ok(folder)
    }

    /// Forgets a saved folder (its files stay where they are) and reloads the library.
    /// Progress on its cards is kept in the log, ready if the folder comes back.
    pub fn remove_deck_folder(&mut self, path: &Path) -> anyhow::Result<()> {
        let mut s = self.learner.settings().clone();
        let before = s.deck_folders.len();
        s.deck_folders.retain(|p| p != path);
        if s.deck_folders.len() == before {
            bail!("{} is not one of the saved deck folders", path.display());
        }
        self.learner.set_settings(s)?;
        self.rebuild_sources()
    }

    /// Recomputes the deck sources from the base sources and the saved folders, then
    /// reloads every deck.
    pub fn rebuild_sources(&mut self) -> anyhow::Result<()> {
        self.sources = with_saved(&self.base_sources, &self.learner.settings().deck_folders);
        let now = self.now();
        self.reload(now)
    }
}

/// The saved folder (or `--decks` folder) a problem's file is in, for the Problems panel.
pub fn folder_of<'a>(d: &Diagnostic, folders: &'a [PathBuf]) -> Option<&'a Path> {
    let file = Path::new(&d.path);
    folders
        .iter()
        .filter(|f| file.starts_with(f))
        // The deepest folder wins when folders nest.
        .max_by_key(|f| f.components().count())
        .map(PathBuf::as_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(dir: &Path, id: &str) {
        let text = format!(
            "examdeck: 1\nid: {id}\ntitle: Deck {id}\ncards:\n  - id: c1\n    kind: basic\n    prompt: Q\n    answer: A\n"
        );
        std::fs::write(dir.join(format!("{id}.yaml")), text).expect("write deck");
    }

    #[test]
    fn a_saved_folder_is_loaded_persisted_and_forgotten() {
        let data = tempfile::tempdir().expect("tempdir");
        let group = tempfile::tempdir().expect("tempdir");
        deck(group.path(), "group-deck");
        let now = chrono::Utc::now();
        let mut core = AppCore::open(data.path().to_path_buf(), &[], now).expect("open");
        assert!(core.library.deck("group-deck").is_none());
        let saved = core.add_deck_folder(group.path()).expect("add");
        assert!(core.library.deck("group-deck").is_some());
        assert!(core.add_deck_folder(group.path()).is_err(), "added twice");
        assert!(core.add_deck_folder(&group.path().join("nope")).is_err());
        drop(core);
        // Reopened: the folder comes back from the database.
        let mut core = AppCore::open(data.path().to_path_buf(), &[], now).expect("reopen");
        assert_eq!(core.deck_folders(), std::slice::from_ref(&saved));
        assert!(core.library.deck("group-deck").is_some());
        core.remove_deck_folder(&saved).expect("remove");
        assert!(core.library.deck("group-deck").is_none());
        assert!(core.remove_deck_folder(&saved).is_err());
    }

    #[test]
    fn problems_are_attributed_to_the_deepest_folder() {
        let d = Diagnostic {
            path: "/a/b/c/deck.yaml".into(),
            line: 1,
            column: 1,
            severity: crate::deck::Severity::Error,
            message: "m".into(),
            hint: "h".into(),
        };
        let folders = vec![
            PathBuf::from("/a"),
            PathBuf::from("/a/b"),
            PathBuf::from("/x"),
        ];
        assert_eq!(folder_of(&d, &folders), Some(Path::new("/a/b")));
        assert_eq!(folder_of(&d, &folders[2..]), None);
    }
}
