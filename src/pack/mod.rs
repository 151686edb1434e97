//! Deck packs: one zip a study group passes around, holding deck files, their images, the
//! exam blueprints they need and an `examdeck-pack.yaml` manifest (title, version, authors,
//! license, every deck with its content hash, the app version that made it).
//!
//! Writing ([`write_pack`]) reads decks through the library, so only files the loader accepts
//! and images inside a deck's folder go in. Reading ([`open_pack`]) treats the zip as
//! untrusted: the import bounds of `app::import` (size, entries, unpacked size), no path
//! outside the pack (zip-slip), and every file's SHA-256 checked against the manifest, so a
//! pack edited by hand is refused until its manifest tells the truth; its decks are then
//! validated like any deck file.

mod check;
mod read;
mod write;

pub use check::{Unpacked, unpack_for_check};
pub use read::{DeckChange, OpenedPack, PackDiff, diff, import_pack, is_pack, open_pack};
pub use write::{default_file_name, write_pack};

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Name of the manifest at the root of a pack.
pub const MANIFEST: &str = "examdeck-pack.yaml";
/// Pack format this app writes and reads.
pub const PACK_FORMAT: u32 = 1;
/// Largest manifest read.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// The manifest of a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Pack format version ([`PACK_FORMAT`]).
    #[serde(rename = "examdeck-pack")]
    pub examdeck_pack: u32,
    /// Human title (the deck's title for a pack of one deck).
    pub title: String,
    /// The authors' version string, if the decks give one.
    #[serde(default)]
    pub version: Option<String>,
    /// Authors of the decks, without duplicates.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Licence of the content, when every deck names the same one.
    #[serde(default)]
    pub license: Option<String>,
    /// Version of examdeck that wrote the pack.
    pub app_version: String,
    /// The decks.
    pub decks: Vec<PackDeck>,
    /// The exam blueprints the decks need.
    #[serde(default)]
    pub exams: Vec<PackExam>,
    /// Every file in the pack but the manifest, with its SHA-256.
    pub files: Vec<PackFile>,
}

/// A deck in a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackDeck {
    /// Deck id (progress is kept by it).
    pub id: String,
    /// Deck title.
    pub title: String,
    /// The deck file inside the pack, `/`-separated.
    pub file: String,
    /// Number of cards.
    pub cards: usize,
    /// Hex SHA-256 of the deck's content: its file, then each image's path and bytes.
    pub sha256: String,
}

/// An exam blueprint in a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackExam {
    /// Exam id.
    pub id: String,
    /// The blueprint file inside the pack.
    pub file: String,
}

/// A file in a pack with its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackFile {
    /// Path inside the pack, `/`-separated.
    pub path: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
}

/// Why a pack could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A deck id that no loaded deck has.
    #[error("no deck with id `{0}` is loaded: `examdeck check` lists the decks")]
    UnknownDeck(String),
    /// Nothing to pack.
    #[error("name at least one deck id to pack")]
    NoDecks,
    /// A deck's image could not be read.
    #[error("deck `{deck}`: image {url}: {why}")]
    Image {
        /// The deck.
        deck: String,
        /// The image as written in the deck.
        url: String,
        /// What is wrong.
        why: String,
    },
    /// The zip is damaged, too large, or not a pack.
    #[error("{path}: {why}")]
    Bad {
        /// The pack.
        path: PathBuf,
        /// What is wrong, and what to do.
        why: String,
    },
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The content hash of a deck: its file's bytes, then each image's path and bytes, in path
/// order (so the hash does not depend on the order images appear in the deck).
pub fn deck_hash(deck_file: &[u8], images: &[(String, Vec<u8>)]) -> String {
    use sha2::{Digest, Sha256};
    let mut sorted: Vec<&(String, Vec<u8>)> = images.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = Sha256::new();
    h.update((deck_file.len() as u64).to_le_bytes());
    h.update(deck_file);
    for (path, bytes) in sorted {
        h.update((path.len() as u64).to_le_bytes());
        h.update(path.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> PackError + '_ {
    move |source| PackError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests;
