//! "Add decks…": take a deck file, a folder or a zip of decks as a study group sends them,
//! validate it, and copy it into the learner's deck folder. A deck with the same id replaces
//! the older copy; progress is keyed by ids, so it is kept. The import is staged first
//! ([`stage`]): when it would replace a file in the learner's deck folder the app asks, and
//! the replaced file is never deleted — [`StagedImport::commit`] moves it to
//! `<decks>/.replaced/<UTC time>/…` (the loader skips dot-folders).

use crate::deck::{DeckSource, Library};

use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest zip accepted, and largest total size once unpacked.
pub const MAX_ZIP_BYTES: u64 = 64 * 1024 * 1024;
/// Most entries in a zip.
pub const MAX_ZIP_ENTRIES: usize = 5_000;

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportSummary {
    /// Deck ids imported (new or replacing an older copy).
    pub decks: Vec<String>,
    /// Cards that did not exist before.
    pub added: usize,
    /// Cards whose content changed.
    pub changed: usize,
    /// Cards of the older copies that the new ones no longer have.
    pub removed: usize,
    /// Problems found in what was imported (decks with errors are not imported).
    pub problems: Vec<String>,
    /// The learner's own deck files that were replaced, and where each was kept.
    pub replaced: Vec<Replaced>,
}

/// A deck file of the learner's that an import replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    /// Its deck id.
    pub deck: String,
    /// Where it was.
    pub file: PathBuf,
    /// Where it is kept now.
    pub kept: PathBuf,
}

/// A file in the learner's deck folder holding a deck the import would replace.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The deck id both have.
    pub deck: String,
    /// The learner's file.
    pub file: PathBuf,
}

/// An import validated and waiting in a staging folder inside the deck folder; dropping it
/// changes nothing.
pub struct StagedImport {
    staging: tempfile::TempDir,
    stage_root: PathBuf,
    name: String,
    user_decks: PathBuf,
    /// What it will import.
    pub summary: ImportSummary,
    /// The learner's files it would replace: ask before [`StagedImport::commit`].
    pub conflicts: Vec<Conflict>,
}

impl std::fmt::Debug for StagedImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StagedImport")
            .field("staging", &self.staging.path())
            .field("summary", &self.summary)
            .field("conflicts", &self.conflicts)
            .finish()
    }
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Imported {} deck(s): {} cards added, {} changed, {} removed",
            self.decks.len(),
            self.added,
            self.changed,
            self.removed
        )?;
        if !self.problems.is_empty() {
            write!(f, "; {} problem(s) — see the list", self.problems.len())?;
        }
        for r in &self.replaced {
            write!(
                f,
                "; replaced your {} ({}), kept at {}",
                r.file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                r.deck,
                r.kept.display()
            )?;
        }
        Ok(())
    }
}

/// Why nothing could be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A zip that cannot be read or is too large.
    #[error("{path}: {why}")]
    BadZip {
        /// The zip.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// Nothing importable was found.
    #[error("no deck without errors found in {0}")]
    NothingToImport(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Imports `from` into `user_decks` without asking: [`stage`] then [`StagedImport::commit`]
/// (replaced files are kept under `.replaced/`).
pub fn import(
    from: &Path,
    user_decks: &Path,
    current: &Library,
) -> Result<ImportSummary, ImportError> {
    stage(from, user_decks, current)?.commit(chrono::Utc::now())
}

/// Stages `from` (a `.yaml` file, a folder or a `.zip`) inside `user_decks` and validates it,
/// comparing with the decks in `current` to count added, changed and removed cards and to
/// find the learner's files it would replace. Nothing outside the staging folder changes.
pub fn stage(
    from: &Path,
    user_decks: &Path,
    current: &Library,
) -> Result<StagedImport, ImportError> {
    let name = from
        .file_stem()
        .map(|s| sanitize(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "imported".into());
    let staging = tempfile::Builder::new()
        .prefix(".import-")
        .tempdir_in(user_decks)
        .map_err(io(user_decks))?;
    let stage_root = staging.path().join(&name);
    std::fs::create_dir_all(&stage_root).map_err(io(&stage_root))?;
    if from.is_dir() {
        copy_tree(from, &stage_root, 0)?;
    } else if from
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        unzip(from, &stage_root)?;
    } else {
        let target = stage_root.join(from.file_name().unwrap_or_default());
        std::fs::copy(from, &target).map_err(io(from))?;
    }

    // Validate against the bundled blueprints, like `examdeck check`.
    let staged = Library::load(&[DeckSource::Bundled, DeckSource::Path(stage_root.clone())]);
    let mut summary = ImportSummary {
        problems: staged
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && !d.path.starts_with("bundled:"))
            .map(|d| {
                d.to_string()
                    .replace(&format!("{}/", staging.path().display()), "")
            })
            .collect(),
        ..ImportSummary::default()
    };
    let new_decks: Vec<_> = staged.decks.iter().filter(|d| d.source == 1).collect();
    if new_decks.is_empty() {
        return Err(ImportError::NothingToImport(from.to_path_buf()));
    }
    let mut conflicts: Vec<Conflict> = Vec::new();
    for d in &new_decks {
        summary.decks.push(d.deck.id.clone());
        let c = d
            .deck
            .changes_from(current.deck(&d.deck.id).map(|o| &o.deck));
        summary.added += c.added;
        summary.changed += c.changed;
        summary.removed += c.removed;
        // An older copy in the user's folder would clash with the new one: it is moved aside
        // on commit, after the learner agreed.
        if let Some(o) = current.deck(&d.deck.id)
            && let crate::deck::Origin::Disk { root, .. } = &o.origin
            && root.starts_with(user_decks)
            && !conflicts
                .iter()
                .any(|c| c.file.as_path() == Path::new(&o.path))
        {
            conflicts.push(Conflict {
                deck: d.deck.id.clone(),
                file: PathBuf::from(&o.path),
            });
        }
    }
    Ok(StagedImport {
        staging,
        stage_root,
        name,
        user_decks: user_decks.to_path_buf(),
        summary,
        conflicts,
    })
}

/// Folder (inside the deck folder) where replaced deck files are kept.
pub const REPLACED_DIR: &str = ".replaced";

impl StagedImport {
    /// Puts the import in place: each conflicting file of the learner's is first moved to
    /// `<decks>/.replaced/<now>/<its path>`, then the staged folder is renamed in.
    pub fn commit(self, now: chrono::DateTime<chrono::Utc>) -> Result<ImportSummary, ImportError> {
        let mut summary = self.summary;
        let keep_root = unique_dir(
            &self.user_decks.join(REPLACED_DIR),
            &now.format("%Y%m%d-%H%M%S").to_string(),
        );
        for c in &self.conflicts {
            let rel = c
                .file
                .strip_prefix(&self.user_decks)
                .ok()
                .map(Path::to_path_buf)
                .or_else(|| c.file.file_name().map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("deck.yaml"));
            let kept = keep_root.join(rel);
            if let Some(parent) = kept.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::rename(&c.file, &kept).map_err(io(&c.file))?;
            summary.replaced.push(Replaced {
                deck: c.deck.clone(),
                file: c.file.clone(),
                kept,
            });
        }
        let dest = unique_dir(&self.user_decks, &self.name);
        std::fs::rename(&self.stage_root, &dest).map_err(io(&dest))?;
        drop(self.staging);
        Ok(summary)
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn unique_dir(parent: &Path, name: &str) -> PathBuf {
    let mut dest = parent.join(name);
    let mut n = 2;
    while dest.exists() {
        dest = parent.join(format!("{name}-{n}"));
        n += 1;
    }
    dest
}

fn copy_tree(from: &Path, to: &Path, depth: usize) -> Result<(), ImportError> {
    if depth > crate::deck::library::MAX_FOLDER_DEPTH {
        return Ok(());
    }
    for e in std::fs::read_dir(from).map_err(io(from))?.flatten() {
        let ft = e.file_type().map_err(io(&e.path()))?;
        let target = to.join(e.file_name());
        // Symlinks are not followed: a shared folder must not smuggle in outside files.
        if ft.is_dir() {
            std::fs::create_dir_all(&target).map_err(io(&target))?;
            copy_tree(&e.path(), &target, depth + 1)?;
        } else if ft.is_file() {
            std::fs::copy(e.path(), &target).map_err(io(&e.path()))?;
        }
    }
    Ok(())
}

fn unzip(zip_path: &Path, to: &Path) -> Result<(), ImportError> {
    let bad = |why: String| ImportError::BadZip {
        path: zip_path.to_path_buf(),
        why,
    };
    let meta = std::fs::metadata(zip_path).map_err(io(zip_path))?;
    if meta.len() > MAX_ZIP_BYTES {
        return Err(bad("larger than 64 MiB".into()));
    }
    let file = std::fs::File::open(zip_path).map_err(io(zip_path))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(bad(format!("more than {MAX_ZIP_ENTRIES} entries")));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| bad(e.to_string()))?;
        // enclosed_name refuses absolute paths and `..`: no zip-slip.
        let Some(rel) = entry.enclosed_name() else {
            continue;
        };
        let target = to.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(io(&target))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let mut bytes = Vec::new();
        // Read at most what is left of the budget (+1 to notice overflow): zip bombs stop here.
        (&mut entry)
            .take(MAX_ZIP_BYTES - total + 1)
            .read_to_end(&mut bytes)
            .map_err(io(&target))?;
        total += bytes.len() as u64;
        if total > MAX_ZIP_BYTES {
            return Err(bad("unpacks to more than 64 MiB".into()));
        }
        std::fs::write(&target, bytes).map_err(io(&target))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const DECK_V1: &str = "examdeck: 1\nid: group/net\ntitle: Net\ncards:\n  - {id: a, kind: basic, prompt: p, answer: one, source: s}\n  - {id: b, kind: basic, prompt: q, answer: two, source: s}\n";
    const DECK_V2: &str = "examdeck: 1\nid: group/net\ntitle: Net\ncards:\n  - {id: a, kind: basic, prompt: p, answer: ONE, source: s}\n  - {id: c, kind: basic, prompt: r, answer: three, source: s}\n  - {id: d, kind: basic, prompt: t, answer: four, source: s}\n";

    #[test]
    fn a_zip_replaces_the_older_copy_and_counts_changes() {
        let user = tempfile::tempdir().expect("tempdir");
        let src = tempfile::tempdir().expect("tempdir");
        let f1 = src.path().join("net.yaml");
        std::fs::write(&f1, DECK_V1).expect("write");
        let lib = Library::load(&[DeckSource::Path(user.path().to_path_buf())]);
        let s1 = import(&f1, user.path(), &lib).expect("import v1");
        assert_eq!((s1.added, s1.changed, s1.removed), (2, 0, 0));

        let zip_path = src.path().join("group.zip");
        let mut zw = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create"));
        zw.start_file("decks/net.yaml", zip::write::SimpleFileOptions::default())
            .expect("entry");
        zw.write_all(DECK_V2.as_bytes()).expect("write");
        zw.start_file("../escape.yaml", zip::write::SimpleFileOptions::default())
            .expect("entry");
        zw.write_all(DECK_V1.as_bytes()).expect("write");
        zw.finish().expect("finish");

        let lib = Library::load(&[DeckSource::Path(user.path().to_path_buf())]);
        let s2 = import(&zip_path, user.path(), &lib).expect("import v2");
        assert_eq!(s2.decks, vec!["group/net".to_string()]);
        assert_eq!((s2.added, s2.changed, s2.removed), (2, 1, 1));
        assert!(
            !user
                .path()
                .parent()
                .expect("parent")
                .join("escape.yaml")
                .exists()
        );
        let after = Library::load(&[DeckSource::Path(user.path().to_path_buf())]);
        assert_eq!(after.error_count(), 0, "{:?}", after.diagnostics);
        assert_eq!(after.deck("group/net").expect("deck").deck.cards.len(), 3);
    }

    #[test]
    fn a_broken_file_is_refused_with_its_problems() {
        let user = tempfile::tempdir().expect("tempdir");
        let src = tempfile::tempdir().expect("tempdir");
        let f = src.path().join("bad.yaml");
        std::fs::write(&f, "examdeck: 1\nid: x\ncards: []\n").expect("write");
        let lib = Library::default();
        assert!(matches!(
            import(&f, user.path(), &lib),
            Err(ImportError::NothingToImport(_))
        ));
    }

    #[test]
    fn a_deck_of_the_learner_is_replaced_only_on_commit_and_kept() {
        let user = tempfile::tempdir().expect("tempdir");
        let src = tempfile::tempdir().expect("tempdir");
        let mine = user.path().join("my-notes.yaml");
        std::fs::write(&mine, DECK_V1).expect("write mine");
        let theirs = src.path().join("net.yaml");
        std::fs::write(&theirs, DECK_V2).expect("write theirs");
        let lib = Library::load(&[DeckSource::Path(user.path().to_path_buf())]);

        // Staged and dropped (the learner said no): nothing changes, nothing is left over.
        let staged = stage(&theirs, user.path(), &lib).expect("stage");
        assert_eq!(staged.conflicts.len(), 1);
        assert_eq!(staged.conflicts[0].file, mine);
        assert_eq!(staged.conflicts[0].deck, "group/net");
        drop(staged);
        assert_eq!(std::fs::read_to_string(&mine).expect("mine"), DECK_V1);
        let names: Vec<_> = std::fs::read_dir(user.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("my-notes.yaml")]);

        // Committed: the learner's file is kept under .replaced/, and the summary says where.
        let t: chrono::DateTime<chrono::Utc> = "2026-11-30T21:00:00Z".parse().expect("time");
        let summary = stage(&theirs, user.path(), &lib)
            .expect("stage")
            .commit(t)
            .expect("commit");
        assert!(!mine.exists());
        let kept = user.path().join(".replaced/20261130-210000/my-notes.yaml");
        assert_eq!(std::fs::read_to_string(&kept).expect("kept"), DECK_V1);
        assert_eq!(summary.replaced.len(), 1);
        assert_eq!(summary.replaced[0].kept, kept);
        assert!(
            summary.to_string().contains("replaced your my-notes.yaml"),
            "{summary}"
        );
        // The loader skips the dot-folder: one copy of the deck, no duplicate-id error.
        let after = Library::load(&[DeckSource::Path(user.path().to_path_buf())]);
        assert_eq!(after.error_count(), 0, "{:?}", after.diagnostics);
        assert_eq!(after.deck("group/net").expect("deck").deck.cards.len(), 3);
    }
}
