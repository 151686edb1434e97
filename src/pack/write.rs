//! Writing a pack: the decks as the library loaded them, their images, their blueprints and
//! the manifest, staged in a temporary file next to the target and then moved into place.

use super::{
    MANIFEST, Manifest, PACK_FORMAT, PackDeck, PackError, PackExam, PackFile, deck_hash, io,
    sha256_hex,
};
use crate::deck::library::{BUNDLED, MAX_FILE_BYTES, MAX_FOLDER_DEPTH};
use crate::deck::{ExamBlueprint, Library, LoadedDeck, Origin, assets};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file name for a pack of these decks, e.g. `aws-security-kms.examdeck.zip`.
pub fn default_file_name(decks: &[String]) -> String {
    let stem = match decks {
        [one] => folder_name(one),
        [] => "decks".to_string(),
        [first, ..] => format!("{}-and-{}-more", folder_name(first), decks.len() - 1),
    };
    format!("{stem}.examdeck.zip")
}

/// A deck id as one folder name (`aws-security/kms` → `aws-security-kms`).
fn folder_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Writes a pack of the decks `ids` (with their images and blueprints) to `out`; returns its
/// manifest.
pub fn write_pack(library: &Library, ids: &[String], out: &Path) -> Result<Manifest, PackError> {
    if ids.is_empty() {
        return Err(PackError::NoDecks);
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut decks = Vec::new();
    let mut exam_ids: Vec<String> = Vec::new();
    for id in ids {
        let loaded = library
            .deck(id)
            .ok_or_else(|| PackError::UnknownDeck(id.clone()))?;
        if decks.iter().any(|d: &PackDeck| &d.id == id) {
            continue;
        }
        let bytes = deck_file_bytes(loaded)?;
        // One folder per deck; ids that read alike once made folder names get a number, so
        // no two decks share a folder (their images would mix and the hashes not match).
        let base = format!("decks/{}", folder_name(id));
        let mut dir = base.clone();
        let mut n = 2;
        while decks
            .iter()
            .any(|d: &PackDeck| d.file.starts_with(&format!("{dir}/")))
        {
            dir = format!("{base}-{n}");
            n += 1;
        }
        let file_name = Path::new(loaded.path.trim_start_matches("bundled:"))
            .file_name()
            .map_or_else(
                || "deck.yaml".to_string(),
                |n| n.to_string_lossy().to_string(),
            );
        let images = deck_images(library, loaded)?;
        let file = format!("{dir}/{file_name}");
        decks.push(PackDeck {
            id: id.clone(),
            title: loaded.deck.title.clone(),
            file: file.clone(),
            cards: loaded.deck.cards.len(),
            sha256: deck_hash(&bytes, &images),
        });
        files.insert(file, bytes);
        for (rel, img) in images {
            files.insert(format!("{dir}/{rel}"), img);
        }
        if let Some(e) = &loaded.deck.exam
            && !exam_ids.contains(e)
        {
            exam_ids.push(e.clone());
        }
    }
    let mut exams = Vec::new();
    for id in exam_ids {
        // A deck naming an exam that is not loaded packs without it (the checker warns).
        let Some(exam) = library.exam(&id) else {
            continue;
        };
        if let Some(bytes) = exam_file_bytes(library, exam) {
            let file = format!("exams/{}.exam.yaml", folder_name(&id));
            files.insert(file.clone(), bytes);
            exams.push(PackExam { id, file });
        }
    }
    let manifest = manifest_for(library, ids, decks, exams, &files);
    write_zip(out, &manifest, &files)?;
    Ok(manifest)
}

fn manifest_for(
    library: &Library,
    ids: &[String],
    decks: Vec<PackDeck>,
    exams: Vec<PackExam>,
    files: &BTreeMap<String, Vec<u8>>,
) -> Manifest {
    let loaded: Vec<&LoadedDeck> = ids.iter().filter_map(|id| library.deck(id)).collect();
    let mut authors: Vec<String> = Vec::new();
    for a in loaded.iter().flat_map(|d| d.deck.authors.iter()) {
        if !authors.contains(a) {
            authors.push(a.clone());
        }
    }
    let licenses: Vec<Option<&String>> = loaded.iter().map(|d| d.deck.license.as_ref()).collect();
    let license = licenses
        .first()
        .copied()
        .flatten()
        .filter(|l| licenses.iter().all(|x| *x == Some(*l)))
        .cloned();
    let title = match decks.as_slice() {
        [one] => one.title.clone(),
        many => format!(
            "{} decks: {}",
            many.len(),
            many.iter()
                .map(|d| d.title.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let version = match loaded.as_slice() {
        [one] => one.deck.version.clone(),
        _ => None,
    };
    Manifest {
        examdeck_pack: PACK_FORMAT,
        title,
        version,
        authors,
        license,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        decks,
        exams,
        files: files
            .iter()
            .map(|(path, bytes)| PackFile {
                path: path.clone(),
                sha256: sha256_hex(bytes),
            })
            .collect(),
    }
}

fn deck_file_bytes(loaded: &LoadedDeck) -> Result<Vec<u8>, PackError> {
    match &loaded.origin {
        Origin::Bundled { .. } => {
            let rel = loaded.path.trim_start_matches("bundled:");
            BUNDLED
                .get_file(rel)
                .map(|f| f.contents().to_vec())
                .ok_or_else(|| PackError::Io {
                    path: PathBuf::from(&loaded.path),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                })
        }
        Origin::Disk { .. } => read_bounded(Path::new(&loaded.path)),
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, PackError> {
    let len = std::fs::metadata(path).map_err(io(path))?.len();
    if len > MAX_FILE_BYTES {
        return Err(PackError::Bad {
            path: path.to_path_buf(),
            why: "larger than 8 MiB: not a deck file".into(),
        });
    }
    std::fs::read(path).map_err(io(path))
}

/// Every local image the deck's Markdown shows, as (path relative to the deck file, bytes).
fn deck_images(
    library: &Library,
    loaded: &LoadedDeck,
) -> Result<Vec<(String, Vec<u8>)>, PackError> {
    // Every string of the deck, whatever field holds it: images can be in any Markdown field.
    let value = serde_json::to_value(&loaded.deck).unwrap_or_default();
    let mut texts = Vec::new();
    collect_strings(&value, &mut texts);
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for text in texts {
        for url in crate::deck::markdown::image_urls(text) {
            if assets::is_remote(&url) {
                continue;
            }
            let image_err = |why: String| PackError::Image {
                deck: loaded.deck.id.clone(),
                url: url.clone(),
                why,
            };
            let rel = assets::clean_relative(&url).map_err(|e| image_err(e.to_string()))?;
            if out.iter().any(|(r, _)| *r == rel) {
                continue;
            }
            let bytes = library
                .read_asset(&loaded.deck.id, &url)
                .map_err(|e| image_err(e.to_string()))?;
            out.push((rel, bytes));
        }
    }
    Ok(out)
}

fn collect_strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// The file of a loaded blueprint: the first `*.exam.yaml` (in the decks' folders, then the
/// bundled content) that reads as exactly that blueprint.
fn exam_file_bytes(library: &Library, exam: &ExamBlueprint) -> Option<Vec<u8>> {
    let mut roots: Vec<&Path> = Vec::new();
    for d in &library.decks {
        if let Origin::Disk { root, .. } = &d.origin
            && !roots.contains(&root.as_path())
        {
            roots.push(root);
        }
    }
    let matches = |display: &str, bytes: &[u8]| {
        std::str::from_utf8(bytes)
            .ok()
            .and_then(|t| crate::deck::reader::read_exam(display, t).exam)
            .is_some_and(|e| e == *exam)
    };
    for root in roots {
        let mut found = Vec::new();
        exam_files_on_disk(root, 0, &mut found);
        for p in found {
            if let Ok(bytes) = read_bounded(&p)
                && matches(&p.display().to_string(), &bytes)
            {
                return Some(bytes);
            }
        }
    }
    let mut stack = vec![&BUNDLED];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for f in dir.files() {
            let name = f.path().to_string_lossy();
            if name.ends_with(".exam.yaml") && matches(&name, f.contents()) {
                return Some(f.contents().to_vec());
            }
        }
    }
    None
}

fn exam_files_on_disk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_FOLDER_DEPTH || out.len() > 1000 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten().take(10_000) {
        let Ok(ft) = e.file_type() else { continue };
        let p = e.path();
        if ft.is_dir() {
            exam_files_on_disk(&p, depth + 1, out);
        } else if ft.is_file() && p.to_string_lossy().ends_with(".exam.yaml") {
            out.push(p);
        }
    }
}

fn write_zip(
    out: &Path,
    manifest: &Manifest,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<(), PackError> {
    let bad = |why: String| PackError::Bad {
        path: out.to_path_buf(),
        why,
    };
    let yaml = serde_saphyr::to_string(manifest).map_err(|e| bad(e.to_string()))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    // Staged next to the target and renamed: a failed write never leaves half a pack.
    let staged = tempfile::Builder::new()
        .prefix(".pack-")
        .suffix(".zip")
        .tempfile_in(&parent)
        .map_err(io(&parent))?;
    {
        let mut zip = zip::ZipWriter::new(staged.as_file());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(MANIFEST, opts)
            .map_err(|e| bad(e.to_string()))?;
        zip.write_all(yaml.as_bytes()).map_err(io(out))?;
        for (path, bytes) in files {
            zip.start_file(path.as_str(), opts)
                .map_err(|e| bad(e.to_string()))?;
            zip.write_all(bytes).map_err(io(out))?;
        }
        zip.finish().map_err(|e| bad(e.to_string()))?;
    }
    staged.persist(out).map_err(|e| io(out)(e.error))?;
    Ok(())
}
