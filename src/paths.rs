//! Where a learner's things live: the data folder and the deck sources. Shared by the app
//! and the command line, so neither has to import the other.

use crate::deck::DeckSource;
use std::path::{Path, PathBuf};

/// The folders a run of examdeck works with, as chosen on the command line or by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// The learner's data folder (database, own decks, backups).
    pub data_dir: PathBuf,
    /// Extra deck folders or files (`--decks`).
    pub extra_decks: Vec<PathBuf>,
    /// The sync folder given by `--sync-dir` / `EXAMDECK_SYNC_DIR` (else the one saved in
    /// Settings).
    pub sync_dir: Option<PathBuf>,
}

/// The learner's data directory: `explicit` (`--data-dir` / `EXAMDECK_DATA_DIR`) or the
/// platform's (e.g. `~/.local/share/examdeck`).
pub fn data_dir(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(d) = explicit {
        return Ok(d.to_path_buf());
    }
    directories::ProjectDirs::from("", "", "examdeck")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| anyhow::anyhow!("no home directory found; pass --data-dir PATH"))
}

/// The deck sources: bundled content, the user's deck folder, then `extra` folders.
pub fn library_sources(user_decks: Option<PathBuf>, extra: &[PathBuf]) -> Vec<DeckSource> {
    let mut sources = vec![DeckSource::Bundled];
    if let Some(p) = user_decks.filter(|p| p.is_dir()) {
        sources.push(DeckSource::Path(p));
    }
    sources.extend(extra.iter().cloned().map(DeckSource::Path));
    sources
}

/// The base sources followed by the deck folders saved in Settings; a folder already among
/// the base sources is loaded once.
pub fn with_saved(base: &[DeckSource], saved: &[PathBuf]) -> Vec<DeckSource> {
    let mut sources = base.to_vec();
    for p in saved {
        let source = DeckSource::Path(p.clone());
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    sources
}

/// Everything the app loads: the bundled content, the user's folder, `extra` (`--decks`),
/// the deck folders saved in Settings, then the `decks/` folder a study group shares inside
/// the sync folder (when there is one). The command line loads the same library.
pub fn app_sources(
    user_decks: Option<PathBuf>,
    extra: &[PathBuf],
    saved: &[PathBuf],
    sync_dir: Option<&Path>,
) -> Vec<DeckSource> {
    let mut sources = with_saved(&library_sources(user_decks, extra), saved);
    let shared = sync_dir
        .map(crate::sync::decks_dir)
        .filter(|d| d.is_dir())
        .map(DeckSource::Path);
    if let Some(s) = shared.filter(|s| !sources.contains(s)) {
        sources.push(s);
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_data_dir_wins_and_missing_user_decks_are_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(data_dir(Some(dir.path())).expect("dir"), dir.path());
        let missing = dir.path().join("nope");
        let extra = vec![PathBuf::from("x")];
        let s = library_sources(Some(missing), &extra);
        assert_eq!(s, vec![DeckSource::Bundled, DeckSource::Path("x".into())]);
        let s = library_sources(Some(dir.path().to_path_buf()), &[]);
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn app_sources_add_saved_folders_once_then_the_shared_decks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let user = dir.path().join("user");
        let saved = dir.path().join("saved");
        let sync = dir.path().join("sync");
        for d in [&user, &saved, &crate::sync::decks_dir(&sync)] {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        let s = app_sources(
            Some(user.clone()),
            std::slice::from_ref(&saved),
            &[saved.clone(), dir.path().join("other")],
            Some(&sync),
        );
        assert_eq!(
            s,
            vec![
                DeckSource::Bundled,
                DeckSource::Path(user),
                DeckSource::Path(saved),
                DeckSource::Path(dir.path().join("other")),
                DeckSource::Path(crate::sync::decks_dir(&sync)),
            ]
        );
        let no_shared = app_sources(None, &[], &[], Some(&dir.path().join("none")));
        assert_eq!(no_shared, vec![DeckSource::Bundled]);
    }
}
