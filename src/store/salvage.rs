//! Reading what SQLite can still read from a damaged database, for `examdeck recover`.
//!
//! The bundled SQLite has no `sqlite3_recover` extension (it is not in the amalgamation that
//! `libsqlite3-sys` builds; rusqlite issue #1333), so this is a row-by-row salvage:
//!
//! 1. The damaged file (and its `-wal`) is copied into a private folder; the original is
//!    never opened.
//! 2. If SQLite does not recognise the copy — typically a 100-byte header overwritten — the
//!    header is rebuilt: from a good backup's header (same schema, usually the same page
//!    size) when one is given, else from defaults, with the page count taken from the file
//!    size and the free list dropped. Page sizes are tried, the backup's first, until the
//!    schema and the review table can be read.
//! 3. Each table we need is read in rowid order, in batches; a batch that hits a damaged
//!    page keeps the rows before it, and the scan probes ever further rowids until a read
//!    succeeds again (`PRAGMA writable_schema` and `cell_size_check` on, so a truncated file
//!    or a bad cell is an error to skip rather than a refusal).

use super::{DB_FILE, Result, StoreError};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Rows read per query.
const BATCH: i64 = 500;
/// Most failed reads per table before the scan gives up on the rest of it.
const MAX_FAILED_READS: u32 = 4_000;
/// Page sizes SQLite allows, the common default first.
const PAGE_SIZES: [u32; 8] = [4096, 1024, 2048, 8192, 16384, 32768, 65536, 512];

/// Columns read per table (the rowid comes first, as `rowid`).
pub const ITEM_COLUMNS: &str =
    "deck, card, ord, exam, domain, content_hash, position, edited, removed, added_ms";
/// Columns of the review log.
pub const REVIEW_COLUMNS: &str = "uid, item_id, at_ms, rating, kind, time_ms, response";
/// Columns of the item events.
pub const EVENT_COLUMNS: &str = "item_id, at_ms, kind, until_ms, after_review";
/// [`EVENT_COLUMNS`] and the sync columns of schema version 3 (the global id and the device
/// that exported it), read first; a database older than version 3 has only the others.
pub const EVENT_SYNC_COLUMNS: &str = "item_id, at_ms, kind, until_ms, after_review, uid, origin";
/// Columns of mock-exam attempts.
pub const ATTEMPT_COLUMNS: &str = "exam, started_ms, updated_ms, finished_ms, percent, scaled, \
                                   passed, state_json, report_json, forecast_json";
/// [`ATTEMPT_COLUMNS`] and the sync columns of schema version 4 (the global id and the
/// device that exported it), read first; a database older than version 4 has only the
/// others.
pub const ATTEMPT_SYNC_COLUMNS: &str = "exam, started_ms, updated_ms, finished_ms, percent, \
                                        scaled, passed, state_json, report_json, \
                                        forecast_json, uid, origin";
/// Columns of the settings table.
pub const META_COLUMNS: &str = "key, value";

/// One table's readable rows: (rowid, values in the order of its column list).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    /// The rows read.
    pub rows: Vec<(i64, Vec<Value>)>,
    /// Reads that failed on damage (each skips at least one rowid).
    pub failed_reads: u32,
    /// The table could not be found or not be read at all.
    pub missing: bool,
}

/// Everything read from a damaged database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Salvage {
    /// The page size of a rebuilt header (None: the header was readable as it was).
    pub header_rebuilt: Option<u32>,
    /// The schema could be read at all.
    pub readable: bool,
    /// Items (the key of every id the reviews name).
    pub items: Rows,
    /// The review log.
    pub reviews: Rows,
    /// Item events.
    pub events: Rows,
    /// Mock-exam attempts.
    pub attempts: Rows,
    /// Settings.
    pub meta: Rows,
}

fn io(path: &Path, error: std::io::Error) -> StoreError {
    super::backup::io(path, error)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Reads what it can from the database `db`, working on a copy in `work` (a private folder).
/// `template` is a good database whose header can stand in for a destroyed one.
pub fn salvage(db: &Path, template: Option<&Path>, work: &Path) -> Result<Salvage> {
    let copy = work.join(DB_FILE);
    std::fs::copy(db, &copy).map_err(|e| io(db, e))?;
    let wal = with_suffix(db, "-wal");
    let has_wal = wal.is_file();
    if has_wal {
        std::fs::copy(&wal, with_suffix(&copy, "-wal")).map_err(|e| io(&wal, e))?;
    }
    let mut out = Salvage::default();
    let conn = match open_readable(&copy) {
        Some(c) => c,
        None => match rebuild_header(db, &copy, template, has_wal)? {
            Some((c, page_size)) => {
                out.header_rebuilt = Some(page_size);
                c
            }
            None => return Ok(out),
        },
    };
    out.readable = true;
    out.items = scan(&conn, "item", ITEM_COLUMNS);
    out.reviews = scan(&conn, "review", REVIEW_COLUMNS);
    out.events = scan(&conn, "item_event", EVENT_SYNC_COLUMNS);
    if out.events.missing {
        out.events = scan(&conn, "item_event", EVENT_COLUMNS);
    }
    out.attempts = scan(&conn, "attempt", ATTEMPT_SYNC_COLUMNS);
    if out.attempts.missing {
        out.attempts = scan(&conn, "attempt", ATTEMPT_COLUMNS);
    }
    out.meta = scan(&conn, "meta", META_COLUMNS);
    Ok(out)
}

/// Opens `path` if SQLite can read its schema and it has a review table.
fn open_readable(path: &Path) -> Option<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).ok()?;
    conn.execute_batch("PRAGMA writable_schema = ON; PRAGMA cell_size_check = ON;")
        .ok()?;
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'review'",
            [],
            |r| r.get(0),
        )
        .ok()?;
    // The table must also be readable from its root, or this page size is wrong.
    conn.query_row("SELECT rowid FROM review LIMIT 1", [], |_| Ok(()))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            e => Err(e),
        })
        .ok()?;
    (n == 1).then_some(conn)
}

/// A 100-byte header for a file of `len` bytes with `page_size` pages, based on `template`.
pub fn header_for(template: Option<&[u8; 100]>, page_size: u32, len: u64, wal: bool) -> [u8; 100] {
    let mut h = [0u8; 100];
    h[..16].copy_from_slice(b"SQLite format 3\0");
    let put =
        |h: &mut [u8; 100], at: usize, v: u32| h[at..at + 4].copy_from_slice(&v.to_be_bytes());
    // Page size 65536 is stored as 1.
    let ps = if page_size == 65536 {
        1u16
    } else {
        page_size as u16
    };
    h[16..18].copy_from_slice(&ps.to_be_bytes());
    let mode = if wal { 2 } else { 1 };
    h[18] = mode;
    h[19] = mode;
    h[20] = 0; // no reserved bytes per page (examdeck never sets any)
    h[21] = 64;
    h[22] = 32;
    h[23] = 32;
    put(&mut h, 24, 1); // change counter …
    put(&mut h, 28, (len / u64::from(page_size)) as u32); // … makes this page count valid
    // 32..40: no free list (the old one is unknown; losing it only wastes pages).
    let from_template = |at: usize, default: u32| {
        template.map_or(default, |t| {
            u32::from_be_bytes([t[at], t[at + 1], t[at + 2], t[at + 3]])
        })
    };
    put(&mut h, 40, from_template(40, 1).max(1)); // schema cookie
    put(&mut h, 44, 4); // schema format
    put(&mut h, 56, 1); // UTF-8
    put(
        &mut h,
        60,
        from_template(60, super::migrations::LATEST as u32),
    ); // user_version
    put(&mut h, 92, 1); // version-valid-for = change counter
    put(&mut h, 96, from_template(96, 3_053_000));
    h
}

/// Rewrites the header of `copy` until SQLite can read it; the connection and page size.
fn rebuild_header(
    db: &Path,
    copy: &Path,
    template: Option<&Path>,
    wal: bool,
) -> Result<Option<(Connection, u32)>> {
    let len = std::fs::metadata(copy).map_err(|e| io(copy, e))?.len();
    let template: Option<[u8; 100]> = template.and_then(|t| {
        let bytes = std::fs::read(t).ok()?;
        let h: [u8; 100] = bytes.get(..100)?.try_into().ok()?;
        h.starts_with(b"SQLite format 3\0").then_some(h)
    });
    let template_size = template.map(|t| match u16::from_be_bytes([t[16], t[17]]) {
        1 => 65536,
        n => u32::from(n),
    });
    let mut sizes: Vec<u32> = template_size.into_iter().collect();
    sizes.extend(PAGE_SIZES.iter().filter(|s| Some(**s) != template_size));
    for page_size in sizes {
        if len < u64::from(page_size) {
            continue;
        }
        // Each try starts from the original bytes: a failed open may have touched the copy.
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(copy, suffix));
        }
        std::fs::copy(db, copy).map_err(|e| io(db, e))?;
        if wal {
            let w = with_suffix(db, "-wal");
            std::fs::copy(&w, with_suffix(copy, "-wal")).map_err(|e| io(&w, e))?;
        }
        let header = header_for(template.as_ref(), page_size, len, wal);
        write_header(copy, &header)?;
        if let Some(c) = open_readable(copy) {
            return Ok(Some((c, page_size)));
        }
    }
    Ok(None)
}

fn write_header(path: &Path, header: &[u8; 100]) -> Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| io(path, e))?;
    f.seek(SeekFrom::Start(0))
        .and_then(|_| f.write_all(header))
        .map_err(|e| io(path, e))
}

/// Reads `table` in rowid order, skipping what errors.
fn scan(conn: &Connection, table: &str, columns: &str) -> Rows {
    let mut out = Rows::default();
    let sql =
        format!("SELECT rowid, {columns} FROM {table} WHERE rowid >= ?1 ORDER BY rowid LIMIT ?2");
    let Ok(mut stmt) = conn.prepare(&sql) else {
        out.missing = true;
        return out;
    };
    let width = stmt.column_count();
    let mut next = i64::MIN;
    // After a failure at `next`, the distance of the next probe; doubles while reads fail.
    let mut jump: i64 = 0;
    loop {
        let mut got = 0;
        let mut failed = false;
        match stmt.query([next, BATCH]) {
            Err(_) => failed = true,
            Ok(mut rows) => loop {
                match rows.next() {
                    Ok(Some(r)) => {
                        let values: rusqlite::Result<Vec<Value>> =
                            (0..width).map(|i| r.get::<_, Value>(i)).collect();
                        let Ok(mut values) = values else {
                            failed = true;
                            break;
                        };
                        let Value::Integer(rowid) = values.remove(0) else {
                            failed = true;
                            break;
                        };
                        out.rows.push((rowid, values));
                        got += 1;
                        next = rowid.saturating_add(1);
                        jump = 0;
                    }
                    Ok(None) => break,
                    Err(_) => {
                        failed = true;
                        break;
                    }
                }
            },
        }
        if failed {
            out.failed_reads += 1;
            if out.failed_reads > MAX_FAILED_READS || next == i64::MAX {
                break;
            }
            if next == i64::MIN {
                // Nothing read yet: rowids start at 1.
                next = 1;
                continue;
            }
            jump = if jump == 0 { 1 } else { jump.saturating_mul(2) };
            next = next.saturating_add(jump);
            continue;
        }
        if got < BATCH {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests;
