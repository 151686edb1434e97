//! Deck format v1: the data model, reading YAML files with compiler-style diagnostics, safe
//! asset paths and the library of decks from several folders. Knows nothing of egui or SQL.

pub mod assets;
pub mod cache;
pub mod cards;
pub mod cloze;
pub mod diagnostics;
pub mod diagram;
pub mod fields;
pub mod items;
pub mod library;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod reader;
pub mod safe_read;
pub mod schema;
pub mod yaml;

pub use cards::{Cards, SyncDigest};
pub use diagnostics::{Diagnostic, Severity};
pub use library::{
    DeckSource, Library, LoadMemo, LoadOptions, LoadProgress, LoadStats, LoadedDeck, Origin,
};
pub use model::*;
