//! Finding and reading a source's deck and exam files: bounded, regular files only, nothing
//! through a link that leaves the folder, deep trees reported rather than skipped silently.

use super::{BUNDLED, DeckSource, MAX_FILE_BYTES, MAX_FILES_PER_SOURCE, MAX_FOLDER_DEPTH, Origin};
use crate::deck::assets::IMAGE_EXTENSIONS;
use crate::deck::diagnostics::Diagnostic;
use crate::deck::safe_read::{self, ReadError};
use crate::deck::yaml::Loc;
use std::path::{Path, PathBuf};

/// A deck or exam file found in a source; its bytes are read only when needed (a file whose
/// cache entry is still good is never read).
pub(super) struct RawFile {
    pub(super) display: String,
    pub(super) rel: String,
    pub(super) origin: Origin,
    pub(super) from: FileFrom,
}

/// Where a file's bytes are.
pub(super) enum FileFrom {
    /// Compiled into the binary.
    Bundled(&'static [u8]),
    /// On disk; `confine`: the folder the file (after links) must stay inside.
    Disk {
        path: PathBuf,
        confine: Option<PathBuf>,
    },
}

impl RawFile {
    /// The file's bytes, bounded, or why they could not be read.
    pub(super) fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>, Diagnostic> {
        match &self.from {
            FileFrom::Bundled(b) => Ok(std::borrow::Cow::Borrowed(b)),
            FileFrom::Disk { path, confine } => {
                safe_read::read_regular(path, confine.as_deref(), MAX_FILE_BYTES)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|e| {
                        let hint = match e {
                            ReadError::TooLarge(_) => "split it into several decks",
                            _ => e.hint(),
                        };
                        Diagnostic::error(&self.display, Loc::default(), e.to_string(), hint)
                    })
            }
        }
    }

    /// The bytes as text, or why they are not text.
    pub(super) fn text<'b>(&self, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
        std::str::from_utf8(bytes).map_err(|_| {
            Diagnostic::error(
                &self.display,
                Loc::default(),
                "file is not UTF-8 text",
                "save it as UTF-8",
            )
        })
    }
}

pub(super) fn is_exam_file(name: &str) -> bool {
    name.ends_with(".exam.yaml") || name.ends_with(".exam.yml")
}

pub(super) fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn is_image(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

pub(super) fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(super) fn display_for(source: &DeckSource, rel: &str) -> String {
    match source {
        DeckSource::Bundled => format!("bundled:{rel}"),
        DeckSource::Path(p) if p.is_file() => p.display().to_string(),
        DeckSource::Path(p) => p.join(rel).display().to_string(),
    }
}

/// Lists a source's deck/exam files (with their text) and image files (relative paths).
pub(super) fn collect_files(source: &DeckSource) -> (Vec<RawFile>, Vec<String>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut images = Vec::new();
    let mut diags = Vec::new();
    match source {
        DeckSource::Bundled => {
            let mut stack = vec![&BUNDLED];
            while let Some(dir) = stack.pop() {
                stack.extend(dir.dirs());
                for f in dir.files() {
                    let rel = rel_string(f.path());
                    if is_yaml(&rel) {
                        let parent = f.path().parent().map(rel_string).unwrap_or_default();
                        files.push(RawFile {
                            display: format!("bundled:{rel}"),
                            rel: rel.clone(),
                            origin: Origin::Bundled { dir: parent },
                            from: FileFrom::Bundled(f.contents()),
                        });
                    } else if is_image(&rel) {
                        images.push(rel);
                    }
                }
            }
        }
        DeckSource::Path(path) => {
            if path.is_file() {
                // `deck.yaml` has the empty path as parent; it means the current folder.
                let root = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                // A file named on purpose may be a link anywhere: only a walked folder confines.
                files.push(read_disk_file(path, &root, &name, false));
            } else if path.is_dir() {
                walk(path, path, 0, &mut files, &mut images, &mut diags);
            } else if path.exists() {
                // A FIFO or device given as the deck path.
                diags.push(Diagnostic::error(
                    &path.display().to_string(),
                    Loc::default(),
                    ReadError::NotRegular.to_string(),
                    ReadError::NotRegular.hint(),
                ));
            } else {
                diags.push(Diagnostic::error(
                    &path.display().to_string(),
                    Loc::default(),
                    "no such file or folder",
                    "check the path given with --decks or in settings",
                ));
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    images.sort();
    (files, images, diags)
}

fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    files: &mut Vec<RawFile>,
    images: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        diags.push(Diagnostic::error(
            &dir.display().to_string(),
            Loc::default(),
            "cannot read folder",
            "check its permissions",
        ));
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        // file_type() does not follow symlinks: a linked folder is not walked.
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if depth + 1 > MAX_FOLDER_DEPTH {
                // Once per skipped tree: nothing below this folder is looked at.
                diags.push(Diagnostic::warning(
                    &path.display().to_string(),
                    Loc::default(),
                    format!(
                        "folder is nested more than {MAX_FOLDER_DEPTH} levels deep; \
                         its files are not read"
                    ),
                    "move the decks into a shallower folder",
                ));
                continue;
            }
            walk(root, &path, depth + 1, files, images, diags);
        } else if files.len() >= MAX_FILES_PER_SOURCE {
            diags.push(Diagnostic::error(
                &root.display().to_string(),
                Loc::default(),
                format!("more than {MAX_FILES_PER_SOURCE} files"),
                "split the library into several folders",
            ));
            return;
        } else if is_yaml(&name) {
            let rel = rel_string(path.strip_prefix(root).unwrap_or(&path));
            files.push(read_disk_file(&path, root, &rel, true));
        } else if is_image(&name) {
            images.push(rel_string(path.strip_prefix(root).unwrap_or(&path)));
        }
    }
}

fn read_disk_file(path: &Path, root: &Path, rel: &str, confine: bool) -> RawFile {
    let origin = Origin::Disk {
        root: root.to_path_buf(),
        dir: match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    RawFile {
        display: path.display().to_string(),
        rel: rel.to_string(),
        origin,
        from: FileFrom::Disk {
            path: path.to_path_buf(),
            confine: confine.then(|| root.to_path_buf()),
        },
    }
}
