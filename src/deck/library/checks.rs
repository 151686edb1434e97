//! The library's checks across files: exam and domain ids against the loaded blueprints,
//! images against the deck's folder, blueprints' `covers` against each other.

use super::files::{RawFile, rel_string};
use super::{BUNDLED, Origin};
use crate::deck::assets::{self, AssetError};
use crate::deck::cache::FileKey;
use crate::deck::diagnostics::Diagnostic;
use crate::deck::diagram;
use crate::deck::fields::closest;
use crate::deck::model::ExamBlueprint;
use crate::deck::reader::Pending;
use crate::deck::safe_read;
use crate::deck::yaml::Loc;
use std::collections::{BTreeSet, HashMap};

pub(super) fn finish_check(
    check: &Pending,
    file: &RawFile,
    exams: &HashMap<String, ExamBlueprint>,
    images: &mut ImageChecks,
    out: &mut Vec<Diagnostic>,
) {
    match check {
        Pending::Exam { exam, loc } => {
            if !exams.contains_key(exam) {
                let known: Vec<&str> = exams.keys().map(String::as_str).collect();
                let hint = match closest(exam, &known) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "add its blueprint file (`*.exam.yaml`) or fix the id".into(),
                };
                out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    format!("unknown exam `{exam}`"),
                    hint,
                ));
            }
        }
        Pending::Domain { exam, domain, loc } => {
            let Some(exam_id) = exam else {
                out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    format!("domain `{domain}` is given but the deck names no `exam`"),
                    "add `exam: <blueprint id>` at the top of the deck, or remove `domain`",
                ));
                return;
            };
            // An unknown exam is reported once, by the `Exam` check.
            let Some(bp) = exams.get(exam_id) else { return };
            if !bp.domains.iter().any(|d| &d.id == domain) {
                let known: Vec<&str> = bp.domains.iter().map(|d| d.id.as_str()).collect();
                let hint = match closest(domain, &known) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("domains of {exam_id}: {}", known.join(", ")),
                };
                out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    format!("unknown domain `{domain}` for exam `{exam_id}`"),
                    hint,
                ));
            }
        }
        Pending::Image { url, loc } => {
            // A bundled image has no path (`None`); a deck's on disk has where it is.
            let found = match &file.origin {
                Origin::Bundled { dir } => assets::clean_relative(url).and_then(|rel| {
                    let full = if dir.is_empty() {
                        rel
                    } else {
                        format!("{dir}/{rel}")
                    };
                    match BUNDLED.get_file(&full) {
                        Some(_) => Ok((full, None)),
                        None => Err(AssetError::Missing(url.clone())),
                    }
                }),
                Origin::Disk { root, dir } => assets::resolve_on_disk(root, dir, url).map(|p| {
                    let real_root = root.canonicalize().unwrap_or_else(|_| root.clone());
                    let key = rel_string(p.strip_prefix(&real_root).unwrap_or(&p));
                    (key, Some(p))
                }),
            };
            match found {
                Ok((key, path)) => {
                    let verdict = match path {
                        // Our own images, in the binary: inspected by the tests
                        // (`bundled_images_are_sound`), not at every start.
                        None => Verdict::new(),
                        Some(path) => images
                            .checked
                            .entry(key.clone())
                            .or_insert_with(|| {
                                remembered_verdict(
                                    images.previous,
                                    &mut images.seen,
                                    &file.origin,
                                    &key,
                                    path,
                                )
                            })
                            .clone(),
                    };
                    for (warn, message, hint) in verdict.iter() {
                        let message = format!("image `{url}`: {message}");
                        out.push(if *warn {
                            Diagnostic::warning(&file.display, *loc, message, *hint)
                        } else {
                            Diagnostic::error(&file.display, *loc, message, *hint)
                        });
                    }
                    images.used.insert(key);
                }
                Err(e) => out.push(Diagnostic::error(
                    &file.display,
                    *loc,
                    e.to_string(),
                    e.hint(),
                )),
            }
        }
    }
}

/// What [`image_verdict`] said of an image: (is a warning, message, hint) each.
pub(super) type Verdict = Vec<(bool, String, &'static str)>;

/// Image verdicts of a load by the image's path on disk, with the file's stat when checked,
/// for the next load.
pub(super) type ImageMemo = HashMap<String, (FileKey, Verdict)>;

/// Images seen while checking one source: which are used, and what [`image_verdict`] said of
/// each (an image shown by many cards is read and inspected once).
pub(super) struct ImageChecks<'a> {
    pub(super) used: BTreeSet<String>,
    checked: HashMap<String, Verdict>,
    /// The last load's verdicts.
    previous: &'a ImageMemo,
    /// This load's verdicts, for the next.
    pub(super) seen: ImageMemo,
}

impl<'a> ImageChecks<'a> {
    pub(super) fn new(previous: &'a ImageMemo) -> ImageChecks<'a> {
        ImageChecks {
            used: BTreeSet::new(),
            checked: HashMap::new(),
            previous,
            seen: HashMap::new(),
        }
    }
}

/// [`image_verdict`] of a deck's image on disk at `path` (`key`: its name in the deck's
/// folder), taken from the last load when its file's stat is unchanged: a reload would
/// otherwise read and inspect every deck's images again.
fn remembered_verdict(
    previous: &ImageMemo,
    seen: &mut ImageMemo,
    origin: &Origin,
    key: &str,
    path: std::path::PathBuf,
) -> Verdict {
    let memo_key = path.to_string_lossy().to_string();
    let stat = std::fs::symlink_metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| FileKey::of(&m));
    if let Some(stat) = stat
        && let Some((was, v)) = previous.get(&memo_key)
        && *was == stat
    {
        seen.insert(memo_key, (stat, v.clone()));
        return v.clone();
    }
    let root = match origin {
        Origin::Disk { root, .. } => Some(root.as_path()),
        Origin::Bundled { .. } => None,
    };
    let bytes =
        safe_read::read_regular(&path, root, assets::MAX_ASSET_BYTES).map_err(|e| e.to_string());
    let v = image_verdict(key, bytes);
    if let Some(stat) = stat {
        seen.insert(memo_key, (stat, v.clone()));
    }
    v
}

/// Problems of an image that the app would show: (is a warning, message, hint) each. An error
/// means the window shows a placeholder instead.
fn image_verdict(name: &str, bytes: Result<Vec<u8>, String>) -> Verdict {
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return vec![(false, e, "check that it is an ordinary, readable file")],
    };
    match diagram::inspect(name, &bytes) {
        Err(p) => vec![(false, p.to_string(), p.hint())],
        Ok(info) => {
            let mut out = Vec::new();
            if !info.external_refs.is_empty() {
                out.push((
                    true,
                    format!(
                        "SVG refers to other files or URLs, which are never loaded: {}",
                        info.external_refs.join(", ")
                    ),
                    "embed what the diagram needs in the SVG itself",
                ));
            }
            let side = info.width.max(info.height);
            if side > diagram::MAX_IMAGE_SIDE as f32 {
                out.push((
                    true,
                    format!(
                        "SVG is {:.0}×{:.0} px; it is drawn scaled down to {} px",
                        info.width,
                        info.height,
                        diagram::MAX_IMAGE_SIDE
                    ),
                    "give the SVG a smaller width and height (its viewBox keeps the drawing)",
                ));
            }
            out
        }
    }
}

pub(super) fn check_covers(exams: &HashMap<String, ExamBlueprint>, out: &mut Vec<Diagnostic>) {
    for exam in exams.values() {
        for d in &exam.domains {
            for c in &d.covers {
                let ok = c.split_once('/').is_some_and(|(e, dom)| {
                    exams
                        .get(e)
                        .is_some_and(|x| x.domains.iter().any(|y| y.id == dom))
                });
                if !ok {
                    out.push(Diagnostic::error(
                        &format!("exam {}", exam.id),
                        Loc::default(),
                        format!(
                            "domain `{}` covers `{c}`, which is no known exam/domain",
                            d.id
                        ),
                        "write `exam-id/domain-id` of a loaded blueprint",
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start-up skips inspecting the bundled images (see `finish_check`): this is where
    /// each is inspected, as a deck's image on disk would be at every load.
    #[test]
    fn bundled_images_are_sound() {
        fn walk(dir: &include_dir::Dir<'_>, n: &mut usize) {
            for f in dir.files() {
                let name = f.path().to_string_lossy().to_string();
                if name.ends_with(".svg") || name.ends_with(".png") {
                    *n += 1;
                    let v = image_verdict(&name, Ok(f.contents().to_vec()));
                    assert!(v.is_empty(), "{name}: {v:?}");
                }
            }
            for d in dir.dirs() {
                walk(d, n);
            }
        }
        let mut n = 0;
        walk(&BUNDLED, &mut n);
        assert!(n > 0, "the bundled decks have diagrams");
    }
}
