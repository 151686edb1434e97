//! Anki packages (`.apkg`, `.colpkg`, modern and legacy): the zip and its media
//! (`package`), the embedded database (`collection`), templates, protobuf, and the mapping
//! to decks (`convert`).

pub mod collection;
pub mod convert;
pub mod package;
pub mod proto;
pub mod template;

use super::error::{ImportError, Result};
use super::html::media_file_name;
use super::{Options, Plan, Progress};
use std::io::Write;
use std::path::Path;

/// Image file extensions copied into a deck's media folder (what the app can show).
const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "gif", "svg"];

/// Reads an Anki package into an import plan (nothing is written but a temporary copy of
/// the database, removed afterwards).
pub fn plan(path: &Path, opts: &Options, progress: &mut dyn FnMut(Progress)) -> Result<Plan> {
    let meta = std::fs::metadata(path).map_err(ImportError::io(path))?;
    if meta.len() > package::MAX_PACKAGE_BYTES {
        return Err(ImportError::refused(
            path,
            "the package is larger than 2 GiB",
        ));
    }
    let colpkg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("colpkg"));
    let with_history = opts.with_history.unwrap_or(colpkg);
    let file = std::fs::File::open(path).map_err(ImportError::io(path))?;
    let mut pkg = package::Package::open(std::io::BufReader::new(file), path)?;
    progress(Progress::new("unpacking the collection", 0, 1));
    let mut staged = tempfile::NamedTempFile::new().map_err(ImportError::io(path))?;
    pkg.extract_collection(staged.as_file_mut())?;
    staged
        .as_file_mut()
        .flush()
        .map_err(ImportError::io(path))?;
    let col = collection::read(staged.path(), path, with_history, progress)?;
    drop(staged);
    // Only images the package holds, in a format the app shows, are linked.
    let available: std::collections::BTreeSet<String> = pkg
        .media_names()
        .filter(|n| {
            let ext = n.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            IMAGE_EXTENSIONS.contains(&ext.as_str())
        })
        .map(str::to_string)
        .collect();
    let converted = convert::convert(
        &col,
        opts.deck_prefix.as_deref(),
        available.clone(),
        progress,
    );
    let mut warnings = converted.warnings;
    let mut media = Vec::new();
    for name in &converted.images {
        let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
            warnings.push(format!(
                "image {name}: not a PNG, JPEG, GIF or SVG; not copied"
            ));
            continue;
        }
        if !available.contains(name) {
            warnings.push(format!("image {name}: missing from the package"));
            continue;
        }
        match pkg.media_bytes(name)? {
            Some(bytes) => media.push((media_file_name(name), bytes)),
            None => warnings.push(format!(
                "image {name}: larger than 8 MiB or damaged; not copied"
            )),
        }
    }
    let history = super::history::from_revlog(&col.revlog, &converted.items);
    Ok(Plan {
        source: path.to_path_buf(),
        folder: super::folder_name(path),
        decks: converted.decks,
        media,
        warnings,
        with_history,
        history_in_package: col.revlog_count,
        history,
    })
}
