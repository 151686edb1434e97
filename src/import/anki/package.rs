//! The zip layer of an Anki package: which collection file to read (never the
//! `collection.anki2` placeholder when a newer one is present), zstd decompression, the media
//! map (protobuf in modern packages, JSON in legacy ones) and bounded reads of every entry.
//! The layout follows Anki's `rslib/src/import_export/package/`.

use super::proto;
use crate::import::error::{ImportError, Result};
use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::Path;

/// Largest package file accepted.
pub const MAX_PACKAGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Largest collection database once unpacked.
pub const MAX_COLLECTION_BYTES: u64 = 1024 * 1024 * 1024;
/// Most zip entries.
pub const MAX_ENTRIES: usize = 200_000;
/// Largest media map once unpacked.
pub const MAX_MEDIA_MAP_BYTES: u64 = 32 * 1024 * 1024;
/// Largest image copied (the deck loader shows images up to this size).
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

/// An opened package: the zip and what its small entries said.
pub struct Package<R> {
    zip: zip::ZipArchive<R>,
    path: std::path::PathBuf,
    /// The collection entry to read and whether it is zstd-compressed.
    collection: (String, bool),
    /// Media file name in the collection → zip entry name.
    media: BTreeMap<String, String>,
    /// Whether media entries are zstd-compressed (modern packages).
    media_zstd: bool,
}

impl<R: Read + Seek> Package<R> {
    /// Opens the zip and reads `meta` and the media map.
    pub fn open(reader: R, path: &Path) -> Result<Package<R>> {
        let bad = |why: String| ImportError::refused(path, why);
        let zip = zip::ZipArchive::new(reader)
            .map_err(|e| bad(format!("not a readable Anki package (zip): {e}")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(bad(format!("more than {MAX_ENTRIES} files in the package")));
        }
        let names: Vec<String> = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let has = |n: &str| names.iter().any(|x| x == n);
        // Newest first: the older names are placeholders in packages written by new Anki.
        let collection = if has("collection.anki21b") {
            ("collection.anki21b".to_string(), true)
        } else if has("collection.anki21") {
            ("collection.anki21".to_string(), false)
        } else if has("collection.anki2") {
            ("collection.anki2".to_string(), false)
        } else {
            return Err(bad(
                "no Anki collection in this zip; export it again from Anki as a deck package (.apkg)"
                    .into(),
            ));
        };
        let mut pkg = Package {
            zip,
            path: path.to_path_buf(),
            media_zstd: collection.1,
            collection,
            media: BTreeMap::new(),
        };
        if has("media") {
            let raw = pkg.read_entry("media", MAX_MEDIA_MAP_BYTES, false)?;
            pkg.media = if pkg.media_zstd {
                let bytes = zstd_bounded(&raw, MAX_MEDIA_MAP_BYTES)
                    .map_err(|e| bad(format!("media map: {e}")))?;
                media_map_protobuf(&bytes).map_err(|e| bad(format!("media map: {e}")))?
            } else {
                media_map_json(&raw).map_err(|e| bad(format!("media map: {e}")))?
            };
        }
        Ok(pkg)
    }

    /// Reads entry `name` whole, refusing more than `limit` bytes (zip bombs stop here).
    fn read_entry(&mut self, name: &str, limit: u64, zstd: bool) -> Result<Vec<u8>> {
        let path = self.path.clone();
        let bad = |why: String| ImportError::refused(&path, why);
        let entry = self
            .zip
            .by_name(name)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        let mut out = Vec::new();
        if zstd {
            let mut dec =
                zstd::stream::read::Decoder::new(entry).map_err(|e| bad(format!("{name}: {e}")))?;
            (&mut dec)
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|e| bad(format!("{name}: damaged compressed data ({e})")))?;
        } else {
            entry
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|e| bad(format!("{name}: {e}")))?;
        }
        if out.len() as u64 > limit {
            return Err(bad(format!(
                "{name} unpacks to more than {} MiB; examdeck does not import it",
                limit / (1024 * 1024)
            )));
        }
        Ok(out)
    }

    /// Unpacks the collection database into `to` (a staged temporary file).
    pub fn extract_collection(&mut self, to: &mut std::fs::File) -> Result<()> {
        let (name, zstd) = self.collection.clone();
        let path = self.path.clone();
        let bad = |why: String| ImportError::refused(&path, why);
        let entry = self
            .zip
            .by_name(&name)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        let copied = if zstd {
            let dec =
                zstd::stream::read::Decoder::new(entry).map_err(|e| bad(format!("{name}: {e}")))?;
            std::io::copy(&mut dec.take(MAX_COLLECTION_BYTES + 1), to)
        } else {
            std::io::copy(&mut entry.take(MAX_COLLECTION_BYTES + 1), to)
        }
        .map_err(|e| bad(format!("{name}: damaged data ({e})")))?;
        if copied > MAX_COLLECTION_BYTES {
            return Err(bad(format!(
                "the collection unpacks to more than {} MiB",
                MAX_COLLECTION_BYTES / (1024 * 1024)
            )));
        }
        Ok(())
    }

    /// Media file names the package holds.
    pub fn media_names(&self) -> impl Iterator<Item = &str> {
        self.media.keys().map(String::as_str)
    }

    /// The bytes of media file `name`, or None if the package lacks it or it is too large.
    pub fn media_bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(entry) = self.media.get(name).cloned() else {
            return Ok(None);
        };
        if self.zip.by_name(&entry).is_err() {
            return Ok(None);
        }
        let zstd = self.media_zstd;
        match self.read_entry(&entry, MAX_IMAGE_BYTES, zstd) {
            Ok(b) => Ok(Some(b)),
            Err(ImportError::Refused { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Decompresses a small zstd blob, refusing more than `limit` bytes.
fn zstd_bounded(raw: &[u8], limit: u64) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    zstd::stream::read::Decoder::new(raw)?
        .take(limit + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "unpacks to more than {} MiB; examdeck does not import it",
            limit / (1024 * 1024)
        )));
    }
    Ok(out)
}

/// Modern map: `MediaEntries { repeated MediaEntry entries = 1 }`, `MediaEntry { string name
/// = 1; uint32 size = 2; bytes sha1 = 3; optional uint32 legacy_zip_filename = 255 }`; the
/// zip entry is the entry's index unless `legacy_zip_filename` is set.
fn media_map_protobuf(bytes: &[u8]) -> Result<BTreeMap<String, String>, proto::ProtoError> {
    let mut map = BTreeMap::new();
    let mut index = 0usize;
    for (num, value) in proto::fields(bytes)? {
        if let (1, proto::Value::Bytes(entry)) = (num, value) {
            let name = proto::string_field(entry, 1)?;
            let zip_name = match proto::fields(entry)?
                .into_iter()
                .find(|(n, _)| *n == 255)
                .map(|(_, v)| v)
            {
                Some(proto::Value::Varint(n)) => n.to_string(),
                _ => index.to_string(),
            };
            map.insert(name, zip_name);
            index += 1;
        }
    }
    Ok(map)
}

/// Legacy map: JSON `{"0": "name.png", …}`.
fn media_map_json(bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
    if bytes.is_empty() {
        return Ok(BTreeMap::new());
    }
    let raw: BTreeMap<String, String> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(raw.into_iter().map(|(zip, name)| (name, zip)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_map_is_inverted() {
        let m = media_map_json(br#"{"0":"a.png","1":"b.jpg"}"#).expect("valid");
        assert_eq!(m.get("b.jpg").map(String::as_str), Some("1"));
        assert!(media_map_json(b"[1,2]").is_err());
    }
}
