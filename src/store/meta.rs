//! The `meta` table: small JSON values such as the learner's settings.

use super::{Result, Tx};
use rusqlite::{OptionalExtension, params};
use serde::{Serialize, de::DeserializeOwned};

/// Key of the scheduling settings.
pub const SETTINGS: &str = "settings";
/// Key of the fingerprint of the library last synced.
pub const LIBRARY: &str = "library_fingerprint";
/// Key of the fingerprints of each deck of the library last synced (a sync then reads only
/// the decks that changed).
pub const LIBRARY_DECKS: &str = "library_deck_fingerprints";
/// Key of the peer files merged while some of their record types were unknown
/// (`learner::merge::partial`).
pub const SYNC_PARTIAL: &str = "sync_partial_files";

impl Tx<'_> {
    /// Reads a JSON value.
    pub fn meta_get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let text: Option<String> = self
            .prepare(include_str!("sql/meta_get.sql"))?
            .query_row([key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| self.bad(format!("meta `{key}` is not valid: {e}")))
        })
        .transpose()
    }

    /// Removes a value.
    pub fn meta_delete(&self, key: &str) -> Result<()> {
        self.prepare(include_str!("sql/meta_delete.sql"))?
            .execute([key])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Writes a JSON value.
    pub fn meta_set<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let text = serde_json::to_string(value).map_err(|e| self.bad(e.to_string()))?;
        self.prepare(include_str!("sql/meta_set.sql"))?
            .execute(params![key, text])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use crate::schedule::Settings;

    #[test]
    fn settings_round_trip() {
        let mut s = Store::open_in_memory().expect("open");
        assert_eq!(
            s.read().meta_get::<Settings>(super::SETTINGS).expect("get"),
            None
        );
        let v = Settings {
            new_per_day: 7,
            ..Settings::default()
        };
        s.write(|tx| tx.meta_set(super::SETTINGS, &v)).expect("set");
        assert_eq!(s.read().meta_get(super::SETTINGS).expect("get"), Some(v));
    }
}
