//! The compiled library cache: each deck and exam file's read result (deck or blueprint,
//! diagnostics, checks left for the library, content hashes), so an unchanged file is neither
//! read nor parsed again.
//!
//! - `key.rs`: when a file counts as unchanged (stat; the bytes' hash once it was read anyway);
//! - `format.rs`: the records, an index (ids, kinds, cloze ordinals, domains, tags, hashes,
//!   lines) apart from the card bodies, each body its own checksummed record;
//! - `entry.rs`: one entry's bytes (magic, format and app version, lengths, CRC-32s), checked
//!   before anything is decoded;
//! - `lazy.rs`: card texts read from an entry when a card is shown (a deck taken from the
//!   cache holds only what the queue, counts and grading need);
//! - `store.rs`: the folder of entries, atomic writes, dropping entries of deleted files;
//! - `bundled.rs`: the bundled content compiled into the binary.
//!
//! The cache is an optimisation only: a missing, damaged or foreign entry is ignored and
//! rewritten, and deleting the folder changes nothing but time. `EXAMDECK_NO_CACHE=1` turns it
//! off (the compiled bundled content too), to compare.

pub mod bundled;
pub mod entry;
pub mod format;
pub mod key;
pub mod lazy;
pub mod store;

pub use format::Parsed;
pub use key::FileKey;
pub use lazy::{CardTexts, DeckFile};
pub use store::CacheDir;

/// Whether `EXAMDECK_NO_CACHE` asks to read every file as if there were no cache.
pub fn disabled() -> bool {
    std::env::var_os("EXAMDECK_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}
