//! What says a deck file is unchanged without reading it: its size and times (and, on Unix,
//! its inode and change time, which no tool can set back), with the hash of its bytes as the
//! tie-breaker once the file had to be read anyway.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::Metadata;
use std::time::{SystemTime, UNIX_EPOCH};

/// A file saved this close (in seconds) to the moment it was read may be saved again within
/// the file system's timestamp granularity without its key changing ("racily clean", as git
/// calls it): such an entry is checked by hashing the bytes next time.
const RACY_SECS: i64 = 2;

/// The stat of a deck file at the time it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    /// Length in bytes.
    pub size: u64,
    /// Modification time: seconds and nanoseconds since 1970.
    pub mtime: (i64, u32),
    /// Status change time (Unix; zero elsewhere).
    pub ctime: (i64, u32),
    /// Inode and device (Unix; zero elsewhere): a file replaced by another is another file.
    pub ino: (u64, u64),
}

impl FileKey {
    /// The key of a file from its metadata.
    pub fn of(meta: &Metadata) -> FileKey {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileKey {
                size: meta.len(),
                mtime: (meta.mtime(), nanos(meta.mtime_nsec())),
                ctime: (meta.ctime(), nanos(meta.ctime_nsec())),
                ino: (meta.ino(), meta.dev()),
            }
        }
        #[cfg(not(unix))]
        {
            FileKey {
                size: meta.len(),
                mtime: meta.modified().map(split_time).unwrap_or((0, 0)),
                ctime: meta.created().map(split_time).unwrap_or((0, 0)),
                ino: (0, 0),
            }
        }
    }

    /// Whether the file was modified so close to `read_at` that a later save could leave this
    /// key unchanged.
    pub fn is_racy(&self, read_at: SystemTime) -> bool {
        let (now, _) = split_time(read_at);
        self.mtime.0 >= now - RACY_SECS
    }
}

#[cfg(unix)]
fn nanos(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn split_time(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(e) => (
            -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
            0,
        ),
    }
}

/// SHA-256 of a file's bytes.
pub fn hash_bytes(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A short, file-name-safe digest of a text (paths become names this way).
pub fn name_part(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn recent_files_are_racy() {
        let key = |secs| FileKey {
            size: 1,
            mtime: (secs, 0),
            ctime: (secs, 0),
            ino: (1, 1),
        };
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        assert!(key(1_000).is_racy(now));
        assert!(key(999).is_racy(now));
        assert!(
            key(2_000).is_racy(now),
            "a time in the future is suspect too"
        );
        assert!(!key(990).is_racy(now));
    }

    #[test]
    fn names_differ_per_path() {
        assert_eq!(name_part("a/b.yaml").len(), 16);
        assert_ne!(name_part("a/b.yaml"), name_part("a/c.yaml"));
    }
}
