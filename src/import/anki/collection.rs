//! The embedded Anki database, read-only from a staged temporary copy: note types (modern
//! tables or legacy JSON), decks, notes, cards and the review log, bounded in counts. SQL on
//! this foreign file lives here (`sql/`), not in `store/`: it is reading a file, not our data.

use super::proto;
use crate::import::Progress;
use crate::import::error::{ImportError, Result};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::Path;

/// Most notes read from one collection.
pub const MAX_NOTES: usize = 500_000;
/// Most cards read from one collection.
pub const MAX_CARDS: usize = 1_000_000;
/// Most review-log rows read from one collection.
pub const MAX_REVLOG: usize = 5_000_000;
/// Most fields in one note.
pub const MAX_FIELDS: usize = 64;

/// A card template: question and answer formats (Anki's `{{Field}}` syntax).
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Template name ("Card 1").
    pub name: String,
    /// Question format.
    pub front: String,
    /// Answer format.
    pub back: String,
}

/// A note type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoteType {
    /// Name ("Basic", "Cloze", …).
    pub name: String,
    /// Whether it is a cloze type (one card per cloze number).
    pub cloze: bool,
    /// Field names in order.
    pub fields: Vec<String>,
    /// Card templates by ordinal.
    pub templates: Vec<Template>,
}

/// A note: the fields one or more cards are generated from.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Anki note id.
    pub id: i64,
    /// Globally unique id, stable across exports: our card ids come from it.
    pub guid: String,
    /// Note type id.
    pub notetype: i64,
    /// Tags.
    pub tags: Vec<String>,
    /// Field contents (HTML).
    pub fields: Vec<String>,
}

/// A generated card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Card {
    /// Anki card id.
    pub id: i64,
    /// Its note.
    pub note: i64,
    /// Its deck.
    pub deck: i64,
    /// Template ordinal, or cloze number − 1.
    pub ord: u16,
}

/// One review-log row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Revlog {
    /// Id = answer time, UTC ms.
    pub id: i64,
    /// The card.
    pub card: i64,
    /// Button 1–4; 0 for a manual reschedule.
    pub ease: i64,
    /// Time taken, ms.
    pub time_ms: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered deck, 4 manual, 5 rescheduled.
    pub kind: i64,
}

/// Everything read from a collection.
#[derive(Debug, Default)]
pub struct Collection {
    /// Note types by id.
    pub notetypes: HashMap<i64, NoteType>,
    /// Deck names ("A::B::C") by id.
    pub decks: HashMap<i64, String>,
    /// Notes by id order.
    pub notes: Vec<Note>,
    /// Cards by note, then ordinal.
    pub cards: Vec<Card>,
    /// The review log (only when history is asked for).
    pub revlog: Vec<Revlog>,
    /// Review-log rows in the collection (counted even when not read).
    pub revlog_count: u64,
}

/// Opens the staged copy read-only and reads it.
pub fn read(
    db: &Path,
    shown_as: &Path,
    with_revlog: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Collection> {
    let bad = |what: &str, e: rusqlite::Error| {
        ImportError::refused(
            shown_as,
            format!("the Anki database is damaged or not one Anki wrote ({what}: {e})"),
        )
    };
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad("open", e))?;
    // A stranger's schema may hold views and triggers: run none of their functions.
    conn.pragma_update(None, "trusted_schema", "OFF")
        .map_err(|e| bad("open", e))?;
    // Modern collections declare names `COLLATE unicase` (Anki's own collation); without it
    // SQLite cannot plan queries on those tables.
    conn.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
    .map_err(|e| bad("open", e))?;
    let mut col = Collection::default();
    let modern: i64 = conn
        .query_row(include_str!("sql/has_notetypes.sql"), [], |r| r.get(0))
        .map_err(|e| bad("schema", e))?;
    if modern > 0 {
        read_modern_types(&conn, &mut col).map_err(|e| bad("note types", e))?;
    } else {
        read_legacy_types(&conn, &mut col, shown_as)?;
    }
    let total: i64 = conn
        .query_row(include_str!("sql/notes_count.sql"), [], |r| r.get(0))
        .map_err(|e| bad("notes", e))?;
    if total as u64 > MAX_NOTES as u64 {
        return Err(ImportError::refused(
            shown_as,
            format!("{total} notes; examdeck imports at most {MAX_NOTES} from one file"),
        ));
    }
    let total = total.max(0) as u64;
    {
        let mut stmt = conn
            .prepare(include_str!("sql/notes.sql"))
            .map_err(|e| bad("notes", e))?;
        let mut rows = stmt.query([]).map_err(|e| bad("notes", e))?;
        while let Some(r) = rows.next().map_err(|e| bad("notes", e))? {
            let id: i64 = r.get(0).map_err(|e| bad("notes", e))?;
            let text = |i: usize| -> Result<String> {
                r.get::<_, String>(i).map_err(|e| {
                    ImportError::refused(
                        shown_as,
                        format!("note {id}: text that is not UTF-8 or not text ({e})"),
                    )
                })
            };
            let fields: Vec<String> = text(4)?.split('\x1f').map(str::to_string).collect();
            if fields.len() > MAX_FIELDS {
                return Err(ImportError::refused(
                    shown_as,
                    format!("note {id} has more than {MAX_FIELDS} fields"),
                ));
            }
            col.notes.push(Note {
                id,
                guid: text(1)?,
                notetype: r.get(2).map_err(|e| bad("notes", e))?,
                tags: text(3)?.split_whitespace().map(str::to_string).collect(),
                fields,
            });
            if col.notes.len() > MAX_NOTES {
                return Err(ImportError::refused(shown_as, "too many notes"));
            }
            if col.notes.len().is_multiple_of(2_000) {
                progress(Progress::new(
                    "reading notes",
                    col.notes.len() as u64,
                    total,
                ));
            }
        }
    }
    {
        let mut stmt = conn
            .prepare(include_str!("sql/cards.sql"))
            .map_err(|e| bad("cards", e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Card {
                    id: r.get(0)?,
                    note: r.get(1)?,
                    deck: r.get(2)?,
                    ord: r.get::<_, i64>(3)?.clamp(0, 998) as u16,
                })
            })
            .map_err(|e| bad("cards", e))?;
        for c in rows {
            col.cards.push(c.map_err(|e| bad("cards", e))?);
            if col.cards.len() > MAX_CARDS {
                return Err(ImportError::refused(shown_as, "too many cards"));
            }
        }
    }
    let revlog_count: i64 = conn
        .query_row(include_str!("sql/revlog_count.sql"), [], |r| r.get(0))
        .map_err(|e| bad("revlog", e))?;
    col.revlog_count = revlog_count.max(0) as u64;
    if with_revlog {
        if col.revlog_count > MAX_REVLOG as u64 {
            return Err(ImportError::refused(
                shown_as,
                format!("{revlog_count} review-log rows; at most {MAX_REVLOG} are imported"),
            ));
        }
        let mut stmt = conn
            .prepare(include_str!("sql/revlog.sql"))
            .map_err(|e| bad("revlog", e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Revlog {
                    id: r.get(0)?,
                    card: r.get(1)?,
                    ease: r.get(2)?,
                    time_ms: r.get(3)?,
                    kind: r.get(4)?,
                })
            })
            .map_err(|e| bad("revlog", e))?;
        col.revlog.reserve(col.revlog_count as usize);
        for row in rows {
            col.revlog.push(row.map_err(|e| bad("revlog", e))?);
            if col.revlog.len().is_multiple_of(20_000) {
                progress(Progress::new(
                    "reading review history",
                    col.revlog.len() as u64,
                    col.revlog_count,
                ));
            }
            if col.revlog.len() > MAX_REVLOG {
                return Err(ImportError::refused(shown_as, "too many review-log rows"));
            }
        }
    }
    Ok(col)
}

fn read_modern_types(conn: &Connection, col: &mut Collection) -> rusqlite::Result<()> {
    let proto_err = |e: proto::ProtoError| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    };
    let mut stmt = conn.prepare(include_str!("sql/notetypes.sql"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let config: Vec<u8> = r.get(2)?;
        col.notetypes.insert(
            r.get(0)?,
            NoteType {
                name: r.get(1)?,
                cloze: proto::varint_field(&config, 1).map_err(proto_err)? == 1,
                ..NoteType::default()
            },
        );
    }
    let mut stmt = conn.prepare(include_str!("sql/fields.sql"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(nt) = col.notetypes.get_mut(&r.get(0)?)
            && nt.fields.len() < MAX_FIELDS
        {
            nt.fields.push(r.get(2)?);
        }
    }
    let mut stmt = conn.prepare(include_str!("sql/templates.sql"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let config: Vec<u8> = r.get(3)?;
        if let Some(nt) = col.notetypes.get_mut(&r.get(0)?)
            && nt.templates.len() < MAX_FIELDS
        {
            nt.templates.push(Template {
                name: r.get(2)?,
                front: proto::string_field(&config, 1).map_err(proto_err)?,
                back: proto::string_field(&config, 2).map_err(proto_err)?,
            });
        }
    }
    let mut stmt = conn.prepare(include_str!("sql/decks.sql"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(1)?;
        col.decks.insert(r.get(0)?, name.replace('\x1f', "::"));
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct LegacyModel {
    name: String,
    #[serde(rename = "type", default)]
    kind: i64,
    #[serde(default)]
    flds: Vec<LegacyNamed>,
    #[serde(default)]
    tmpls: Vec<LegacyTemplate>,
}

#[derive(serde::Deserialize)]
struct LegacyNamed {
    name: String,
}

#[derive(serde::Deserialize)]
struct LegacyTemplate {
    name: String,
    #[serde(default)]
    qfmt: String,
    #[serde(default)]
    afmt: String,
}

fn read_legacy_types(conn: &Connection, col: &mut Collection, shown_as: &Path) -> Result<()> {
    let (models, decks): (String, String) = conn
        .query_row(include_str!("sql/legacy_col.sql"), [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| {
            ImportError::refused(
                shown_as,
                format!("the Anki database is damaged or not one Anki wrote (col: {e})"),
            )
        })?;
    let json_err = |what: &str, e: serde_json::Error| {
        ImportError::refused(
            shown_as,
            format!("the collection's {what} are damaged: {e}"),
        )
    };
    let models: HashMap<String, LegacyModel> =
        serde_json::from_str(&models).map_err(|e| json_err("note types", e))?;
    for (id, m) in models {
        let Ok(id) = id.parse::<i64>() else { continue };
        col.notetypes.insert(
            id,
            NoteType {
                name: m.name,
                cloze: m.kind == 1,
                fields: m
                    .flds
                    .into_iter()
                    .take(MAX_FIELDS)
                    .map(|f| f.name)
                    .collect(),
                templates: m
                    .tmpls
                    .into_iter()
                    .take(MAX_FIELDS)
                    .map(|t| Template {
                        name: t.name,
                        front: t.qfmt,
                        back: t.afmt,
                    })
                    .collect(),
            },
        );
    }
    let decks: HashMap<String, LegacyNamed> =
        serde_json::from_str(&decks).map_err(|e| json_err("decks", e))?;
    for (id, d) in decks {
        if let Ok(id) = id.parse::<i64>() {
            col.decks.insert(id, d.name);
        }
    }
    Ok(())
}
