//! What each native file dialog is for: the request it opens with and the action its answer
//! becomes. The dialogs themselves run on a worker thread (`crate::app::dialog`).

use super::Action;
use crate::app::dialog::DialogRequest;

/// Why a dialog was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogPurpose {
    /// "Add decks…": a deck file, a zip or a deck pack.
    AddDeckFile,
    /// "Add decks…": a folder of decks, copied into the user's folder.
    AddDeckFolder,
    /// Settings: a folder to watch as a deck source.
    WatchFolder,
    /// Settings: a backup file to restore (asks before restoring).
    RestoreBackup,
    /// "Share…": where to write a pack of these decks.
    SharePack(Vec<String>),
    /// Settings → Sync: the folder this learner's computers share.
    SyncFolder,
}

impl DialogPurpose {
    /// The dialog to show.
    pub fn request(&self) -> DialogRequest {
        match self {
            DialogPurpose::AddDeckFile => DialogRequest::OpenFile {
                title: "Add decks: a deck file, zip or deck pack".into(),
                filters: vec![(
                    "Decks and packs".into(),
                    vec!["yaml".into(), "yml".into(), "zip".into()],
                )],
            },
            DialogPurpose::AddDeckFolder => DialogRequest::OpenFolder {
                title: "Add decks: a folder of decks".into(),
            },
            DialogPurpose::WatchFolder => DialogRequest::OpenFolder {
                title: "Watch a deck folder".into(),
            },
            DialogPurpose::RestoreBackup => DialogRequest::OpenFile {
                title: "Restore progress from a backup".into(),
                filters: vec![(
                    "examdeck backups".into(),
                    vec!["sqlite3".into(), "sqlite".into(), "db".into()],
                )],
            },
            DialogPurpose::SyncFolder => DialogRequest::OpenFolder {
                title: "Choose the sync folder".into(),
            },
            DialogPurpose::SharePack(decks) => DialogRequest::SaveFile {
                title: "Share decks as a pack".into(),
                file_name: crate::pack::default_file_name(decks),
            },
        }
    }

    /// The action the chosen path becomes.
    pub fn action(self, path: std::path::PathBuf) -> Action {
        match self {
            DialogPurpose::AddDeckFile | DialogPurpose::AddDeckFolder => Action::Import(path),
            DialogPurpose::WatchFolder => Action::AddDeckFolder(path),
            DialogPurpose::RestoreBackup => Action::AskRestore(path),
            DialogPurpose::SharePack(decks) => Action::WritePack { decks, path },
            DialogPurpose::SyncFolder => Action::SetSyncFolder(Some(path)),
        }
    }
}
