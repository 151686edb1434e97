//! The cache folder: one entry file per deck file, named after its source folder and its path,
//! written to a temporary file and renamed into place, so a reader never sees half an entry.

use super::entry::{self, Entry, IndexEntry};
use super::format::Parsed;
use super::key::{FileKey, name_part};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Largest entry read back (deck files are at most 8 MiB; their records are about as large).
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
const SUFFIX: &str = ".edc";
const TEMP_PREFIX: &str = ".edc-tmp-";
/// A temporary file older than this was left by a process that stopped mid-write.
const STALE_TEMP: Duration = Duration::from_secs(600);

/// An open cache folder.
#[derive(Debug, Clone)]
pub struct CacheDir {
    dir: PathBuf,
    app_version: String,
}

impl CacheDir {
    /// Opens (creating it if needed) the cache folder; `None` when it cannot be made, and the
    /// library is then read without a cache.
    pub fn open(dir: &Path) -> Option<CacheDir> {
        std::fs::create_dir_all(dir).ok()?;
        Some(CacheDir {
            dir: dir.to_path_buf(),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }

    /// The same folder, with entries stamped as written by another app version (tests).
    pub fn with_app_version(mut self, version: &str) -> CacheDir {
        self.app_version = version.to_string();
        self
    }

    /// The file name prefix of every entry of one source folder.
    pub fn source_prefix(source: &str) -> String {
        format!("{}-", name_part(source))
    }

    /// The entry name of a deck file (shown as `display`) of a source folder.
    pub fn entry_name(source: &str, display: &str) -> String {
        format!(
            "{}{}{SUFFIX}",
            Self::source_prefix(source),
            name_part(display)
        )
    }

    /// The entry of a file, if there is a sound one written for this path by this app version.
    pub fn read(&self, name: &str, display: &str) -> Option<Entry> {
        let file = std::fs::File::open(self.dir.join(name)).ok()?;
        if file.metadata().ok()?.len() > MAX_ENTRY_BYTES {
            return None;
        }
        let mut bytes = Vec::new();
        file.take(MAX_ENTRY_BYTES).read_to_end(&mut bytes).ok()?;
        let entry = entry::decode(bytes, &self.app_version).ok()?;
        // Two paths sharing a name digest must not share an entry.
        (entry.header.display == display).then_some(entry)
    }

    /// The header and index of a file's entry (bodies left in the file), if sound and written
    /// for this path by this app version; with the entry file's path.
    pub fn read_index(&self, name: &str, display: &str) -> Option<(IndexEntry, PathBuf)> {
        let path = self.dir.join(name);
        let file = std::fs::File::open(&path).ok()?;
        let len = file.metadata().ok()?.len();
        if len > MAX_ENTRY_BYTES {
            return None;
        }
        let mut reader = std::io::BufReader::new(file);
        let entry = entry::decode_index(&mut reader, len, &self.app_version).ok()?;
        (entry.header.display == display).then_some((entry, path))
    }

    /// Writes a file's entry; a failure only costs a parse next time.
    pub fn write(
        &self,
        name: &str,
        display: &str,
        key: FileKey,
        hash: [u8; 32],
        racy: bool,
        parsed: &Parsed,
    ) -> std::io::Result<()> {
        let bytes = entry::encode(&self.app_version, display, Some(key), hash, racy, parsed)
            .map_err(std::io::Error::other)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&self.dir)?;
        std::io::Write::write_all(&mut tmp, &bytes)?;
        tmp.persist(self.dir.join(name)).map_err(|e| e.error)?;
        Ok(())
    }

    /// Deletes the entries of a source folder whose files are gone (not in `keep`), and
    /// temporary files a stopped process left behind.
    pub fn retain(&self, prefix: &str, keep: &HashSet<String>) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let stale_temp = name.starts_with(TEMP_PREFIX)
                && e.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_TEMP);
            let gone = name.starts_with(prefix) && name.ends_with(SUFFIX) && !keep.contains(&name);
            if stale_temp || gone {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}
