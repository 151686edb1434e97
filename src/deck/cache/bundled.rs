//! The bundled content, compiled: every bundled deck and exam file's entry, committed as
//! `assets/bundled.cache` and compiled into the binary, so the app's own cards cost no YAML
//! parse at start-up.
//!
//! Each entry carries the SHA-256 of the YAML it was compiled from; a file whose bytes differ
//! (content edited without recompiling) is parsed as before. `tests/bundled_cache.rs` fails
//! until `UPDATE_BUNDLED=1 cargo test --test bundled_cache` brings the blob up to date.

use super::entry::{self, Entry};
use super::format::{Damaged, Parsed};
use std::collections::HashMap;

/// The compiled bundled content (empty or stale is fine: files then are parsed).
pub static COMPILED: &[u8] = include_bytes!("../../../assets/bundled.cache");

const MAGIC: &[u8; 8] = b"EXDKBNDL";
/// Entries of the blob are stamped with this instead of the app version: the blob is checked
/// against the YAML by hash and by a test, not by version.
const STAMP: &str = "bundled";
/// Most files in the blob.
const MAX_FILES: usize = 10_000;

/// Encodes the bundled files' read results: (display name, SHA-256 of the YAML, result).
pub fn encode(files: &[(String, [u8; 32], Parsed)]) -> Result<Vec<u8>, postcard::Error> {
    let mut entries = Vec::with_capacity(files.len());
    for (display, hash, parsed) in files {
        entries.push(entry::encode(STAMP, display, None, *hash, false, parsed)?);
    }
    let body = postcard::to_allocvec(&entries)?;
    let mut out = Vec::with_capacity(body.len() + 16);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&entry::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes a blob into its entries by display name.
pub fn decode(blob: &[u8]) -> Result<HashMap<String, Entry>, Damaged> {
    let pre = blob.get(..16).ok_or(Damaged)?;
    let word = |i: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&pre[i..i + 4]);
        u32::from_le_bytes(w)
    };
    if &pre[..8] != MAGIC || word(8) != entry::FORMAT_VERSION {
        return Err(Damaged);
    }
    let body = &blob[16..];
    if crc32fast::hash(body) != word(12) {
        return Err(Damaged);
    }
    // Borrowed slices: postcard writes a `Vec<u8>` and a byte string alike (length, bytes),
    // and reading them as bytes copies each entry once instead of byte by byte.
    let entries: Vec<&[u8]> = postcard::from_bytes(body).map_err(|_| Damaged)?;
    if entries.len() > MAX_FILES {
        return Err(Damaged);
    }
    let mut out = HashMap::with_capacity(entries.len());
    for bytes in entries {
        let e = entry::decode(bytes.to_vec(), STAMP)?;
        out.insert(e.header.display.clone(), e);
    }
    Ok(out)
}

/// The compiled entries of the bundled content; empty when the blob is missing or damaged.
pub fn compiled() -> HashMap<String, Entry> {
    decode(COMPILED).unwrap_or_default()
}
