//! Why an import was refused. Every error names the file; nothing is written when one occurs.

use std::path::PathBuf;

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a package or CSV examdeck can read, or it is damaged or hostile.
    #[error("{path}: {why}")]
    Refused {
        /// The file.
        path: PathBuf,
        /// What is wrong, as a sentence that says what to do where it can.
        why: String,
    },
    /// Writing the history into the learner's database failed.
    #[error("importing the review history: {0}")]
    History(#[from] crate::learner::LearnerError),
    /// The file's type is not one the importer knows.
    #[error("{0}: not an Anki package or CSV file (expected .apkg, .colpkg, .csv, .tsv or .txt)")]
    UnknownType(PathBuf),
}

impl ImportError {
    /// A refusal of `path` for `why`.
    pub fn refused(path: &std::path::Path, why: impl Into<String>) -> ImportError {
        ImportError::Refused {
            path: path.to_path_buf(),
            why: why.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
        move |source| ImportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Result with [`ImportError`].
pub type Result<T, E = ImportError> = std::result::Result<T, E>;
