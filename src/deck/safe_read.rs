//! Reading files from untrusted folders: regular files only, never blocking on open, never
//! more than a limit, and never through a link that leaves the folder.
//!
//! A deck folder may hold a FIFO named `x.yaml` (opening it for reading blocks until a writer
//! comes), a link to `/dev/zero` (endless) or to `/etc/shadow` (someone else's secret). Every
//! deck and image file is read through [`read_regular`].

use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not there or not readable.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// A FIFO, device, socket or folder.
    #[error("not a regular file (a FIFO, device or socket?); it is skipped")]
    NotRegular,
    /// A link whose target is outside the folder being loaded.
    #[error("a link to a file outside the loaded folder; it is not read")]
    Outside,
    /// More than the limit.
    #[error("file is larger than {} MiB", .0 / (1024 * 1024))]
    TooLarge(u64),
}

impl ReadError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ReadError::Io(_) => "check that it exists and is readable",
            ReadError::NotRegular => "deck and image files must be ordinary files",
            ReadError::Outside => "copy the file into the folder instead of linking to it",
            ReadError::TooLarge(_) => "split it into several files",
        }
    }
}

/// True if `path`, links resolved, lies inside `root` (links resolved too).
pub fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(r), Ok(p)) => p.starts_with(r),
        _ => false,
    }
}

/// Reads at most `limit` bytes of a regular file. With `root`, a path that resolves outside it
/// is refused. The file type is checked on the opened handle (not the path), and the open
/// itself does not block on a FIFO.
pub fn read_regular(path: &Path, root: Option<&Path>, limit: u64) -> Result<Vec<u8>, ReadError> {
    if let Some(root) = root
        && !inside(root, path)
    {
        // A dangling link is "missing", not "outside".
        path.canonicalize()?;
        return Err(ReadError::Outside);
    }
    let file = open_nonblocking(path)?;
    if !file.metadata()?.is_file() {
        return Err(ReadError::NotRegular);
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn fifos_devices_and_outside_links_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("x.yaml");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_regular(&fifo, Some(dir.path()), 100),
            Err(ReadError::NotRegular)
        ));
        let zero = dir.path().join("zero.yaml");
        std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
        assert!(matches!(
            read_regular(&zero, None, 100),
            Err(ReadError::NotRegular)
        ));
        let secret = outside.path().join("secret");
        std::fs::write(&secret, "password").expect("write");
        let link = dir.path().join("s.yaml");
        std::os::unix::fs::symlink(&secret, &link).expect("symlink");
        assert!(matches!(
            read_regular(&link, Some(dir.path()), 100),
            Err(ReadError::Outside)
        ));
        let big = dir.path().join("big.yaml");
        std::fs::write(&big, vec![b'a'; 101]).expect("write");
        assert!(matches!(
            read_regular(&big, Some(dir.path()), 100),
            Err(ReadError::TooLarge(100))
        ));
        assert_eq!(
            read_regular(&big, Some(dir.path()), 101)
                .expect("fits")
                .len(),
            101
        );
    }
}
