//! Window preferences (theme, zoom): a small JSON file beside the database. Study data never
//! lives here; it is all in SQLite.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ThemePref {
    /// Follow the operating system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Preferences of the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiPrefs {
    /// Colour theme.
    pub theme: ThemePref,
    /// Zoom factor (1.0 = 100 %).
    pub zoom: f32,
}

impl Default for UiPrefs {
    fn default() -> Self {
        Self {
            theme: ThemePref::System,
            zoom: 1.0,
        }
    }
}

impl UiPrefs {
    /// The file's path in a data folder.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join("ui.json")
    }

    /// Reads the preferences; a missing or unreadable file gives the defaults.
    pub fn load(data_dir: &Path) -> UiPrefs {
        std::fs::read_to_string(Self::path(data_dir))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .map(|p: UiPrefs| UiPrefs {
                zoom: p.zoom.clamp(0.5, 3.0),
                ..p
            })
            .unwrap_or_default()
    }

    /// Writes the preferences (atomically: write then rename).
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        let tmp = data_dir.join("ui.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self).unwrap_or_default())?;
        std::fs::rename(tmp, Self::path(data_dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_survives_garbage() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(UiPrefs::load(dir.path()), UiPrefs::default());
        let p = UiPrefs {
            theme: ThemePref::Dark,
            zoom: 1.5,
        };
        p.save(dir.path()).expect("save");
        assert_eq!(UiPrefs::load(dir.path()), p);
        std::fs::write(UiPrefs::path(dir.path()), "{not json").expect("write");
        assert_eq!(UiPrefs::load(dir.path()), UiPrefs::default());
    }
}
