//! Reading a pack: bounded unpacking into memory, the manifest checked against every file,
//! then a preview against the installed decks, or an import through "Add decks…".

use super::{
    MANIFEST, MAX_MANIFEST_BYTES, Manifest, PACK_FORMAT, PackError, deck_hash, io, sha256_hex,
};
use crate::app::import::{ImportSummary, MAX_ZIP_BYTES, MAX_ZIP_ENTRIES};
use crate::deck::{DeckSource, Diagnostic, Library};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Component, Path};

/// A pack read into memory whose files all match its manifest.
#[derive(Debug, Clone)]
pub struct OpenedPack {
    /// The manifest.
    pub manifest: Manifest,
    /// Every file but the manifest, by `/`-separated path.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What happens to one deck of a pack against the installed decks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckChange {
    /// Deck id.
    pub id: String,
    /// Deck title.
    pub title: String,
    /// Not installed yet.
    pub new: bool,
    /// Cards the installed copy lacks.
    pub added: usize,
    /// Cards whose content differs.
    pub changed: usize,
    /// Cards of the installed copy the pack no longer has.
    pub removed: usize,
}

/// A pack compared with the installed decks, before anything is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackDiff {
    /// One entry per deck of the pack that loads.
    pub decks: Vec<DeckChange>,
    /// Problems in the pack's files (a deck with errors is not imported).
    pub problems: Vec<Diagnostic>,
}

/// True if `path` is a zip with a pack manifest at its root.
pub fn is_pack(path: &Path) -> bool {
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        return false;
    }
    std::fs::File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .is_some_and(|mut z| z.by_name(MANIFEST).is_ok())
}

/// Reads a pack within the import bounds and checks every file against the manifest.
pub fn open_pack(path: &Path) -> Result<OpenedPack, PackError> {
    let bad = |why: String| PackError::Bad {
        path: path.to_path_buf(),
        why,
    };
    let len = std::fs::metadata(path).map_err(io(path))?.len();
    if len > MAX_ZIP_BYTES {
        return Err(bad("larger than 64 MiB: not a deck pack".into()));
    }
    let file = std::fs::File::open(path).map_err(io(path))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(format!("not a zip: {e}")))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(bad(format!("more than {MAX_ZIP_ENTRIES} entries: refused")));
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| bad(e.to_string()))?;
        let name = entry
            .name()
            .map_or_else(|_| format!("entry {i}"), |n| n.to_string());
        // A path outside the pack (absolute, or with `..`) is an attack, not a mistake.
        let Some(rel) = entry.enclosed_name().and_then(|p| clean(&p)) else {
            return Err(bad(format!(
                "entry `{name}` points outside the pack: refused (zip-slip)"
            )));
        };
        if entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        // Read at most what is left of the budget (+1 to notice overflow): a bomb stops here.
        (&mut entry)
            .take(MAX_ZIP_BYTES - total + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        total += bytes.len() as u64;
        if total > MAX_ZIP_BYTES {
            return Err(bad(
                "unpacks to more than 64 MiB: refused (a zip bomb?)".into()
            ));
        }
        if files.insert(rel.clone(), bytes).is_some() {
            return Err(bad(format!("`{rel}` is in the pack twice: refused")));
        }
    }
    let manifest_bytes = files
        .remove(MANIFEST)
        .ok_or_else(|| bad(format!("not a deck pack: no {MANIFEST} at its root")))?;
    if manifest_bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(bad(format!("{MANIFEST} is larger than 1 MiB: refused")));
    }
    let text = String::from_utf8(manifest_bytes)
        .map_err(|_| bad(format!("{MANIFEST} is not UTF-8 text")))?;
    let manifest: Manifest =
        serde_saphyr::from_str(&text).map_err(|e| bad(format!("{MANIFEST}: {e}")))?;
    if manifest.examdeck_pack > PACK_FORMAT {
        return Err(bad(format!(
            "pack format {} is newer than this app reads ({PACK_FORMAT}): update examdeck",
            manifest.examdeck_pack
        )));
    }
    verify(&manifest, &files).map_err(bad)?;
    Ok(OpenedPack { manifest, files })
}

/// A `/`-separated relative path with only normal parts.
fn clean(p: &Path) -> Option<String> {
    let parts: Option<Vec<String>> = p
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().to_string()),
            _ => None,
        })
        .collect();
    parts.filter(|v| !v.is_empty()).map(|v| v.join("/"))
}

/// Every file listed with the hash it has, nothing unlisted, and every deck's content hash.
fn verify(m: &Manifest, files: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    let lie = "the pack was changed after it was made: ask its author for a fresh pack";
    let mut listed = BTreeSet::new();
    for f in &m.files {
        let Some(bytes) = files.get(&f.path) else {
            return Err(format!(
                "{MANIFEST} lists `{}` but the pack lacks it; {lie}",
                f.path
            ));
        };
        if sha256_hex(bytes) != f.sha256 {
            return Err(format!(
                "`{}` does not match its hash in {MANIFEST}; {lie}",
                f.path
            ));
        }
        listed.insert(f.path.as_str());
    }
    if let Some(extra) = files.keys().find(|k| !listed.contains(k.as_str())) {
        return Err(format!("`{extra}` is not listed in {MANIFEST}; {lie}"));
    }
    for d in &m.decks {
        let Some(bytes) = files.get(&d.file) else {
            return Err(format!(
                "deck `{}`: its file `{}` is not in the pack",
                d.id, d.file
            ));
        };
        let dir = d.file.rsplit_once('/').map_or("", |(dir, _)| dir);
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let images: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter(|(p, _)| **p != d.file && !is_yaml(p))
            .filter_map(|(p, b)| p.strip_prefix(&prefix).map(|r| (r.to_string(), b.clone())))
            .collect();
        if deck_hash(bytes, &images) != d.sha256 {
            return Err(format!(
                "deck `{}` does not match its content hash in {MANIFEST}; {lie}",
                d.id
            ));
        }
    }
    for e in &m.exams {
        if !files.contains_key(&e.file) {
            return Err(format!(
                "exam `{}`: its file `{}` is not in the pack",
                e.id, e.file
            ));
        }
    }
    Ok(())
}

fn is_yaml(p: &str) -> bool {
    let p = p.to_ascii_lowercase();
    p.ends_with(".yaml") || p.ends_with(".yml")
}

impl OpenedPack {
    /// Writes the pack's files under `dir` (paths were checked when it was opened).
    pub fn extract(&self, dir: &Path) -> Result<(), PackError> {
        for (rel, bytes) in &self.files {
            let target = rel
                .split('/')
                .fold(dir.to_path_buf(), |p, part| p.join(part));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::write(&target, bytes).map_err(io(&target))?;
        }
        Ok(())
    }

    /// The pack's decks loaded and validated like any deck folder, and compared with the
    /// installed `current` decks; nothing is written outside a temporary folder.
    pub fn preview(&self, current: &Library) -> Result<PackDiff, PackError> {
        let tmp = tempfile::tempdir().map_err(io(Path::new("temporary folder")))?;
        self.extract(tmp.path())?;
        let staged = Library::load(&[DeckSource::Bundled, DeckSource::Path(tmp.path().into())]);
        let mut d = diff(&staged, current);
        let root = format!("{}/", tmp.path().display());
        for p in &mut d.problems {
            p.path = p.path.replace(&root, "");
        }
        Ok(d)
    }
}

/// Decks of `staged` that did not come from the bundled content, compared with `current`.
pub fn diff(staged: &Library, current: &Library) -> PackDiff {
    let mut out = PackDiff {
        problems: staged
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && !d.path.starts_with("bundled:"))
            .cloned()
            .collect(),
        ..PackDiff::default()
    };
    for d in staged.decks.iter().filter(|d| d.source != 0) {
        let installed = current.deck(&d.deck.id).map(|o| &o.deck);
        let c = d.deck.changes_from(installed);
        let change = DeckChange {
            id: d.deck.id.clone(),
            title: d.deck.title.clone(),
            new: installed.is_none(),
            added: c.added,
            changed: c.changed,
            removed: c.removed,
        };
        out.decks.push(change);
    }
    out
}

/// Imports a pack into the user's deck folder through "Add decks…" (which validates each
/// deck, replaces older copies and keeps progress by id); returns the manifest too.
pub fn import_pack(
    path: &Path,
    user_decks: &Path,
    current: &Library,
) -> anyhow::Result<(Manifest, ImportSummary)> {
    let pack = open_pack(path)?;
    let tmp = tempfile::tempdir()?;
    let stem = path
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .trim_end_matches(".zip")
                .trim_end_matches(".examdeck")
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "pack".into());
    let folder = tmp.path().join(stem);
    pack.extract(&folder)?;
    let summary = crate::app::import::import(&folder, user_decks, current)?;
    Ok((pack.manifest, summary))
}
