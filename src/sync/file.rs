//! One sync file: JSON Lines between a header and a trailer holding the length and SHA-256
//! of everything before it, so a half-synced, truncated or altered copy is recognised and
//! never parsed as truth. Files are written once, atomically (temp file, fsync, rename).

use crate::store::sync::Record;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// Format version written in every header.
pub const VERSION: u32 = 1;
/// The largest sync file read (bigger ones are reported and skipped).
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// The most records one file may hold.
pub const MAX_RECORDS: usize = 200_000;
/// The longest text field accepted in a record (ids, deck and card ids, responses).
const MAX_FIELD: usize = 64 << 10;

/// First line of a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Format version.
    pub examdeck_sync: u32,
    /// The writing device's id (must match its folder).
    pub device: String,
    /// When it was written, UTC ms.
    pub created: i64,
    /// Number of record lines.
    pub records: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    bytes: u64,
    sha256: String,
}

/// Whether `name` is a sync segment this version reads: `<13-digit ms>-<8 hex>.jsonl`.
/// Conflicted copies (`… (conflicted copy) …`, `….sync-conflict-…`), temp files and
/// anything else do not match and are left alone.
pub fn is_segment_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".jsonl") else {
        return false;
    };
    let b = stem.as_bytes();
    b.len() == 22
        && b[..13].iter().all(u8::is_ascii_digit)
        && b[13] == b'-'
        && b[14..]
            .iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
}

/// A fresh segment name for a file written at `at_ms`.
pub fn segment_name(at_ms: i64) -> String {
    format!("{:013}-{:08x}.jsonl", at_ms.max(0), rand::random::<u32>())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a file holding `records`.
pub fn encode(device: &str, created: i64, records: &[Record]) -> Vec<u8> {
    let header = Header {
        examdeck_sync: VERSION,
        device: device.to_string(),
        created,
        records: records.len(),
    };
    let mut out = Vec::with_capacity(records.len() * 160 + 256);
    push_line(&mut out, &header);
    for r in records {
        push_line(&mut out, r);
    }
    let trailer = Trailer {
        bytes: out.len() as u64,
        sha256: hex(&Sha256::digest(&out)),
    };
    push_line(&mut out, &trailer);
    out
}

fn push_line<T: Serialize>(out: &mut Vec<u8>, v: &T) {
    // Plain structs of strings and numbers always serialize.
    if serde_json::to_writer(&mut *out, v).is_ok() {
        out.push(b'\n');
    }
}

/// Record types this version reads (others, from a newer examdeck, are skipped).
const KNOWN: &[&str] = &["review", "event", "tomb", "setting", "attempt"];

/// The set of record types this version reads, numbered: raised whenever [`KNOWN`] grows. A
/// file merged while some of its records were of types unknown then is merged again by a
/// version that reads more (see `Learner::forget_partial_merges`).
pub const KINDS_VERSION: u32 = 2;

/// A file's records, and how many of its records were of types this version skips.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The records read, in order.
    pub records: Vec<Record>,
    /// Records of unknown types (from a newer examdeck), skipped.
    pub unknown: usize,
}

/// Why a file was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Too big to be one of ours.
    #[error("is {0} bytes, more than the {MAX_FILE_BYTES} a sync file may have")]
    TooBig(u64),
    /// No complete trailer, or the checksum does not match.
    #[error("is incomplete or damaged ({0})")]
    Damaged(String),
    /// Written by a newer examdeck.
    #[error("has format version {0}; update examdeck to read it")]
    TooNew(u32),
    /// Not written by the device whose folder holds it.
    #[error("names device {0}, not the folder it is in")]
    WrongDevice(String),
    /// Could not be read.
    #[error("cannot be read: {0}")]
    Io(String),
}

/// Reads and checks a file of device `device`: its records, in order. Unknown record types
/// (from a newer examdeck) are skipped and counted; a record with impossible values fails
/// the file.
pub fn read(path: &Path, device: &str) -> Result<Segment, FileError> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| FileError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(FileError::Io("not a regular file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(FileError::TooBig(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| FileError::Io(e.to_string()))?;
    decode_segment(&bytes, device)
}

/// Checks and parses the bytes of a file (see [`read`]): its records.
pub fn decode(bytes: &[u8], device: &str) -> Result<Vec<Record>, FileError> {
    decode_segment(bytes, device).map(|s| s.records)
}

/// Checks and parses the bytes of a file (see [`read`]).
pub fn decode_segment(bytes: &[u8], device: &str) -> Result<Segment, FileError> {
    let damaged = |why: &str| FileError::Damaged(why.to_string());
    let body_end = bytes
        .strip_suffix(b"\n")
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map(|i| i + 1)
        .ok_or_else(|| damaged("no trailer line"))?;
    let trailer: Trailer = serde_json::from_slice(&bytes[body_end..])
        .map_err(|_| damaged("the last line is not a trailer"))?;
    let body = &bytes[..body_end];
    if trailer.bytes != body.len() as u64 {
        return Err(damaged("length mismatch"));
    }
    if trailer.sha256 != hex(&Sha256::digest(body)) {
        return Err(damaged("checksum mismatch"));
    }
    let mut lines = body.split(|&c| c == b'\n').filter(|l| !l.is_empty());
    let header: Header = lines
        .next()
        .and_then(|l| serde_json::from_slice(l).ok())
        .ok_or_else(|| damaged("no header"))?;
    if header.examdeck_sync > VERSION {
        return Err(FileError::TooNew(header.examdeck_sync));
    }
    if header.device != device {
        return Err(FileError::WrongDevice(header.device));
    }
    if header.records > MAX_RECORDS {
        return Err(damaged("too many records"));
    }
    let mut records = Vec::with_capacity(header.records);
    let mut n = 0;
    let mut unknown = 0;
    for (i, line) in lines.enumerate() {
        n += 1;
        let line_err =
            |e: &dyn std::fmt::Display| FileError::Damaged(format!("line {}: {e}", i + 2));
        // Straight into a record (no JSON tree per line); only a line that does not parse
        // is looked at again, to skip a record type from a newer examdeck.
        let r: Record = match serde_json::from_slice(line) {
            Ok(r) => r,
            Err(e) => {
                let value: serde_json::Value =
                    serde_json::from_slice(line).map_err(|_| line_err(&e))?;
                let tag = value.get("t").and_then(|t| t.as_str());
                if tag.is_some_and(|t| KNOWN.contains(&t)) {
                    return Err(line_err(&e));
                }
                unknown += 1;
                continue;
            }
        };
        check(&r).map_err(|why| line_err(&why))?;
        records.push(r);
    }
    if n != header.records {
        return Err(damaged("record count mismatch"));
    }
    Ok(Segment { records, unknown })
}

fn check(r: &Record) -> Result<(), &'static str> {
    let ok = |s: &str| !s.is_empty() && s.len() <= MAX_FIELD;
    match r {
        Record::Review(r) => {
            if !(ok(&r.uid) && ok(&r.deck) && ok(&r.card)) {
                return Err("bad id");
            }
            if !(1..=4).contains(&r.rating) || r.kind > 4 {
                return Err("rating or kind out of range");
            }
            if r.response.as_ref().is_some_and(|s| s.len() > MAX_FIELD) {
                return Err("response too long");
            }
        }
        Record::Event(e) => {
            if !(ok(&e.uid) && ok(&e.deck) && ok(&e.card)) {
                return Err("bad id");
            }
            if e.kind > 3 {
                return Err("event kind out of range");
            }
        }
        Record::Tomb { uid } => {
            if !ok(uid) {
                return Err("bad id");
            }
        }
        Record::Setting(s) => {
            if !(ok(&s.key) && ok(&s.value) && ok(&s.device)) {
                return Err("bad setting");
            }
        }
        Record::Attempt(a) => a.check_bounds()?,
    }
    Ok(())
}

/// Writes `bytes` to `dir/name` atomically: a temp file in the same folder, fsync, rename,
/// then fsync of the folder, so a crash leaves the old state or the whole file.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(name))?;
    // Make the rename durable (not possible on every platform; harmless where it fails).
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sync::ReviewRecord;

    fn review(uid: &str) -> Record {
        Record::Review(ReviewRecord {
            uid: uid.into(),
            deck: "d".into(),
            card: "c".into(),
            ord: 0,
            at: 5,
            rating: 3,
            kind: 1,
            time_ms: 10,
            response: None,
        })
    }

    #[test]
    fn round_trip_and_every_truncation_is_refused() {
        let recs = vec![review("a"), Record::Tomb { uid: "b".into() }];
        let bytes = encode("dev", 1, &recs);
        assert_eq!(decode(&bytes, "dev").expect("valid"), recs);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], "dev").is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        assert!(decode(&flipped, "dev").is_err());
        assert!(matches!(
            decode(&bytes, "other"),
            Err(FileError::WrongDevice(_))
        ));
    }

    #[test]
    fn names_of_conflicted_and_temp_copies_are_not_segments() {
        let name = segment_name(1_700_000_000_000);
        assert!(is_segment_name(&name), "{name}");
        for bad in [
            "1700000000000-0000abcd (conflicted copy).jsonl",
            "1700000000000-0000abcd.sync-conflict-20260101-120000-ABC.jsonl",
            ".1700000000000-0000abcd.jsonl.tmp",
            "1700000000000-0000abcd.jsonl.tmp",
            "device.json",
            "../1700000000000-0000abcd.jsonl",
        ] {
            assert!(!is_segment_name(bad), "{bad}");
        }
    }

    fn attempt(state: String) -> Record {
        Record::Attempt(crate::store::sync_attempts::AttemptRecord {
            uid: "dev-1".into(),
            exam: "e".into(),
            started: 1,
            finished: 2,
            percent: 50.0,
            scaled: 600,
            passed: false,
            state,
            report: None,
            forecast: Some("{}".into()),
        })
    }

    #[test]
    fn attempts_round_trip_and_unknown_record_types_are_skipped() {
        let recs = vec![review("a"), attempt("{\"x\":1}".into())];
        let bytes = encode("dev", 1, &recs);
        assert_eq!(decode(&bytes, "dev").expect("valid"), recs);
        // A line of a type this version does not know (a newer examdeck) is skipped.
        let text = String::from_utf8(bytes).expect("utf8");
        let mut lines = text.lines();
        let header = lines.next().expect("header");
        let first = lines.next().expect("a review");
        assert!(header.contains("\"records\":2"), "{header}");
        let mut out = format!("{header}\n{first}\n{{\"t\":\"later\",\"x\":1}}\n").into_bytes();
        let trailer = format!(
            "{{\"bytes\":{},\"sha256\":\"{}\"}}\n",
            out.len(),
            hex(&Sha256::digest(&out))
        );
        out.extend_from_slice(trailer.as_bytes());
        assert_eq!(decode(&out, "dev").expect("valid"), vec![review("a")]);
        let seg = decode_segment(&out, "dev").expect("valid");
        assert_eq!(
            (seg.records.len(), seg.unknown),
            (1, 1),
            "the skipped one counted"
        );
        assert_eq!(
            decode_segment(&encode("dev", 1, &recs), "dev").map(|s| s.unknown),
            Ok(0)
        );
        let huge = attempt("x".repeat(crate::store::sync_attempts::MAX_ATTEMPT_TEXT + 1));
        assert!(decode(&encode("dev", 1, &[huge]), "dev").is_err());
    }

    #[test]
    fn impossible_values_fail_the_file() {
        let mut r = review("a");
        if let Record::Review(x) = &mut r {
            x.rating = 9;
        }
        assert!(decode(&encode("dev", 1, &[r]), "dev").is_err());
    }
}
