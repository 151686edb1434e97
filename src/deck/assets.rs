//! Safe asset paths: a deck may only show images from inside its own folder tree.

use std::path::{Component, Path, PathBuf};

/// Largest image file a deck may show.
pub const MAX_ASSET_BYTES: u64 = 8 * 1024 * 1024;

/// Image file endings the app can show.
pub const IMAGE_EXTENSIONS: [&str; 5] = ["svg", "png", "jpg", "jpeg", "gif"];

/// Why an image reference is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetError {
    /// `http://…` and other URLs: never fetched.
    #[error("image `{0}` is a remote URL; examdeck never fetches from the network")]
    Remote(String),
    /// `/etc/…`, `C:\…`.
    #[error("image `{0}` is an absolute path")]
    Absolute(String),
    /// `../…`.
    #[error("image `{0}` points outside the deck's folder")]
    Escapes(String),
    /// Missing file.
    #[error("image `{0}` does not exist")]
    Missing(String),
    /// Larger than [`MAX_ASSET_BYTES`].
    #[error("image `{0}` is larger than 8 MiB")]
    TooLarge(String),
    /// Not an image type we render.
    #[error("image `{0}` is not an SVG, PNG, JPEG or GIF file")]
    NotImage(String),
}

impl AssetError {
    /// What the author should do.
    pub fn hint(&self) -> &'static str {
        match self {
            AssetError::Remote(_) => {
                "copy the image into the deck's folder and refer to it by a relative path"
            }
            AssetError::Absolute(_) | AssetError::Escapes(_) => {
                "images must live in the deck's folder or below it; use a relative path like `diagrams/x.svg`"
            }
            AssetError::Missing(_) => {
                "check the spelling and the folder, relative to the deck file"
            }
            AssetError::TooLarge(_) => "shrink or compress the image",
            AssetError::NotImage(_) => "use .svg, .png, .jpg or .gif",
        }
    }
}

/// True for `scheme:` URLs (http, https, file, data, …); a Windows drive letter counts too.
pub fn is_remote(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => url.starts_with("//"),
    }
}

/// Checks `url` lexically and returns it as a clean relative path (no `.`/`..`, `/`-separated).
/// The file system is not consulted: see [`resolve_on_disk`] for symlinks.
pub fn clean_relative(url: &str) -> Result<String, AssetError> {
    let raw = url.split(['?', '#']).next().unwrap_or(url);
    if url.starts_with("//") || (is_remote(raw) && raw.len() > 2 && raw.as_bytes()[1] != b':') {
        return Err(AssetError::Remote(url.to_string()));
    }
    let raw = raw.replace('\\', "/");
    if raw.starts_with('/') || (raw.len() >= 2 && raw.as_bytes()[1] == b':') {
        return Err(AssetError::Absolute(url.to_string()));
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(&raw).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str().unwrap_or_default()),
            Component::CurDir => {}
            Component::ParentDir => return Err(AssetError::Escapes(url.to_string())),
            Component::RootDir | Component::Prefix(_) => {
                return Err(AssetError::Absolute(url.to_string()));
            }
        }
    }
    if parts.is_empty() {
        return Err(AssetError::Missing(url.to_string()));
    }
    let ext = parts
        .last()
        .and_then(|p| p.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return Err(AssetError::NotImage(url.to_string()));
    }
    Ok(parts.join("/"))
}

/// Resolves `url` against `deck_dir` on disk, following symlinks, and refuses anything whose
/// real path is outside `root` (the folder the deck was loaded from).
pub fn resolve_on_disk(root: &Path, deck_dir: &Path, url: &str) -> Result<PathBuf, AssetError> {
    let rel = clean_relative(url)?;
    let joined = deck_dir.join(&rel);
    let real = joined
        .canonicalize()
        .map_err(|_| AssetError::Missing(url.to_string()))?;
    let real_root = root
        .canonicalize()
        .map_err(|_| AssetError::Missing(url.to_string()))?;
    if !real.starts_with(&real_root) {
        return Err(AssetError::Escapes(url.to_string()));
    }
    let meta = std::fs::metadata(&real).map_err(|_| AssetError::Missing(url.to_string()))?;
    if !meta.is_file() {
        return Err(AssetError::Missing(url.to_string()));
    }
    if meta.len() > MAX_ASSET_BYTES {
        return Err(AssetError::TooLarge(url.to_string()));
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes_absolute_and_remote() {
        assert_eq!(
            clean_relative("diagrams/./a.svg"),
            Ok("diagrams/a.svg".into())
        );
        assert!(matches!(
            clean_relative("../secret.png"),
            Err(AssetError::Escapes(_))
        ));
        assert!(matches!(
            clean_relative("a/../../b.png"),
            Err(AssetError::Escapes(_))
        ));
        assert!(matches!(
            clean_relative("/etc/x.png"),
            Err(AssetError::Absolute(_))
        ));
        assert!(matches!(
            clean_relative("C:\\x.png"),
            Err(AssetError::Absolute(_))
        ));
        assert!(matches!(
            clean_relative("https://evil.example/x.png"),
            Err(AssetError::Remote(_))
        ));
        assert!(matches!(
            clean_relative("//evil.example/x.png"),
            Err(AssetError::Remote(_))
        ));
        assert!(matches!(
            clean_relative("file:///etc/passwd"),
            Err(AssetError::Remote(_))
        ));
        assert!(matches!(
            clean_relative("notes.txt"),
            Err(AssetError::NotImage(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_out_of_the_folder() {
        let outside = tempfile::tempdir().expect("tempdir");
        let root = tempfile::tempdir().expect("tempdir");
        let secret = outside.path().join("secret.png");
        std::fs::write(&secret, b"x").expect("write");
        std::os::unix::fs::symlink(&secret, root.path().join("link.png")).expect("symlink");
        std::fs::write(root.path().join("ok.png"), b"x").expect("write");
        assert!(matches!(
            resolve_on_disk(root.path(), root.path(), "link.png"),
            Err(AssetError::Escapes(_))
        ));
        assert!(resolve_on_disk(root.path(), root.path(), "ok.png").is_ok());
        assert!(matches!(
            resolve_on_disk(root.path(), root.path(), "nope.png"),
            Err(AssetError::Missing(_))
        ));
    }
}
