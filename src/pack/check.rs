//! `examdeck check FILE.zip`: a pack is checked like a folder once its manifest has been
//! verified; problems name the pack, not the temporary folder it was unpacked into.

use super::{PackError, is_pack, open_pack};
use std::path::{Path, PathBuf};

/// Paths to check, with every pack unpacked into a temporary folder (kept alive by the
/// returned guards), and the (temporary folder, pack) pairs to rename paths in messages.
pub struct Unpacked {
    /// The paths to load: the originals, packs replaced by their folders.
    pub paths: Vec<PathBuf>,
    /// Temporary folder → the pack it came from.
    pub renames: Vec<(String, String)>,
    _guards: Vec<tempfile::TempDir>,
}

/// Unpacks every pack among `paths`; a pack whose manifest does not match is an error.
pub fn unpack_for_check(paths: &[PathBuf]) -> Result<Unpacked, PackError> {
    let mut out = Unpacked {
        paths: Vec::new(),
        renames: Vec::new(),
        _guards: Vec::new(),
    };
    for p in paths {
        if !is_pack(p) {
            out.paths.push(p.clone());
            continue;
        }
        let pack = open_pack(p)?;
        let tmp = tempfile::tempdir().map_err(super::io(Path::new("temporary folder")))?;
        pack.extract(tmp.path())?;
        out.paths.push(tmp.path().to_path_buf());
        out.renames
            .push((tmp.path().display().to_string(), p.display().to_string()));
        out._guards.push(tmp);
    }
    Ok(out)
}

impl Unpacked {
    /// A message path with the temporary folder replaced by the pack's name.
    pub fn rename(&self, path: &str) -> String {
        self.renames
            .iter()
            .find_map(|(tmp, pack)| {
                path.strip_prefix(tmp.as_str())
                    .map(|rest| format!("{pack}!{rest}"))
            })
            .unwrap_or_else(|| path.to_string())
    }
}
