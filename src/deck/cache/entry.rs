//! One cache entry's bytes: a fixed preamble, a header, the index record and the bodies
//! section. Every length is checked against the bytes actually there and every record against
//! its CRC-32 before it is decoded: the cache is ours, but a crash, a full disk or another
//! version may have left anything in it.
//!
//! ```text
//! magic "EXDKCACH" | format u32 LE | header length u32 LE | header CRC-32 u32 LE
//! header (postcard)  | index record (postcard) | cards section (postcard: the text-less cards)
//! | bodies section (one postcard record per card)
//! ```

use super::format::{self, Damaged, FileIndex, Parsed};
use super::key::FileKey;
use super::lazy::{CardTexts, DeckFile};
use crate::deck::model::Card;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"EXDKCACH";
/// Raised whenever the layout or a record type changes: older entries are then rebuilt.
pub const FORMAT_VERSION: u32 = 3;
const PREAMBLE: usize = 8 + 4 + 4 + 4;
/// Largest header accepted (a path and a few numbers).
const MAX_HEADER: usize = 64 * 1024;

/// What an entry is for and how its records are laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The app version that wrote it (entries of another version are rebuilt).
    pub app_version: String,
    /// The file as shown in messages (diagnostics inside are written with it).
    pub display: String,
    /// The file's stat when it was read (`None` for bundled content).
    pub key: Option<FileKey>,
    /// SHA-256 of the file's bytes.
    pub hash: [u8; 32],
    /// The file was saved right before it was read: check its bytes before trusting the key.
    pub racy: bool,
    index_len: u64,
    index_crc: u32,
    cards_len: u64,
    cards_crc: u32,
    bodies_len: u64,
}

/// An entry read back: its header, checked, and its still encoded records.
#[derive(Debug)]
pub struct Entry {
    /// The checked header.
    pub header: Header,
    index: Vec<u8>,
    /// The cards section followed by the bodies section.
    rest: Vec<u8>,
}

impl Entry {
    /// The read result the entry holds.
    pub fn parsed(&self) -> Result<Parsed, Damaged> {
        let index: FileIndex = postcard::from_bytes(&self.index).map_err(|_| Damaged)?;
        let cards_len = usize::try_from(self.header.cards_len).map_err(|_| Damaged)?;
        let (cards, bodies) = self.rest.split_at_checked(cards_len).ok_or(Damaged)?;
        format::join(index, cards, self.header.cards_crc, bodies)
    }

    /// The read result with its decks' cards (and their texts) decoded when first used;
    /// `fallback` gives them if they do not decode then.
    pub fn parsed_deferred(
        &self,
        fallback: impl Fn() -> Vec<Card> + Send + Sync + 'static,
    ) -> Result<Parsed, Damaged> {
        let index: FileIndex = postcard::from_bytes(&self.index).map_err(|_| Damaged)?;
        let cards_len = usize::try_from(self.header.cards_len).map_err(|_| Damaged)?;
        format::join_deferred(
            index,
            self.rest.clone(),
            cards_len,
            self.header.cards_crc,
            Box::new(fallback),
        )
    }
}

/// An entry's header and index, read without its bodies section.
#[derive(Debug)]
pub struct IndexEntry {
    /// The checked header.
    pub header: Header,
    index: Vec<u8>,
    /// The cards section, as read (its CRC-32 is checked when the cards are decoded).
    cards: Vec<u8>,
    /// Where the bodies section starts in the entry file.
    bodies_at: u64,
}

impl IndexEntry {
    /// The read result, its decks' cards decoded when first used and their texts left in the
    /// entry file `entry` (read when a card is shown; `source`: the deck file, parsed again
    /// should the entry fail by then). Takes the cards section: a second call gets none.
    pub fn parsed_lazy(
        &mut self,
        entry: &Path,
        source: Option<DeckFile>,
    ) -> Result<Parsed, Damaged> {
        let index: FileIndex = postcard::from_bytes(&self.index).map_err(|_| Damaged)?;
        let cards = std::mem::take(&mut self.cards);
        let bodies_at = self.bodies_at;
        format::join_lazy(
            index,
            cards,
            self.header.cards_crc,
            self.header.bodies_len,
            |count| {
                Arc::new(CardTexts::new(
                    entry.to_path_buf(),
                    bodies_at,
                    count,
                    source,
                ))
            },
        )
    }
}

/// Reads and checks an entry's preamble, header and index from `r` (positioned at its start),
/// an entry file of `file_len` bytes, leaving the bodies unread.
pub fn decode_index(
    r: &mut impl Read,
    file_len: u64,
    app_version: &str,
) -> Result<IndexEntry, Damaged> {
    let mut head = vec![0; PREAMBLE];
    r.read_exact(&mut head).map_err(|_| Damaged)?;
    let mut w = [0u8; 4];
    w.copy_from_slice(&head[12..16]);
    let len = u32::from_le_bytes(w) as usize;
    if len > MAX_HEADER {
        return Err(Damaged);
    }
    head.resize(PREAMBLE + len, 0);
    r.read_exact(&mut head[PREAMBLE..]).map_err(|_| Damaged)?;
    let (header, at) = decode_header(&head, app_version)?;
    let index_end = (at as u64).checked_add(header.index_len).ok_or(Damaged)?;
    let cards_end = index_end.checked_add(header.cards_len).ok_or(Damaged)?;
    // Exactly as long as the header says: a truncated or appended-to entry is not ours.
    if cards_end.checked_add(header.bodies_len) != Some(file_len) {
        return Err(Damaged);
    }
    let mut index = vec![0; usize::try_from(header.index_len).map_err(|_| Damaged)?];
    r.read_exact(&mut index).map_err(|_| Damaged)?;
    if crc32fast::hash(&index) != header.index_crc {
        return Err(Damaged);
    }
    let mut cards = vec![0; usize::try_from(header.cards_len).map_err(|_| Damaged)?];
    r.read_exact(&mut cards).map_err(|_| Damaged)?;
    Ok(IndexEntry {
        header,
        index,
        cards,
        bodies_at: cards_end,
    })
}

/// Encodes a read result as an entry.
pub fn encode(
    app_version: &str,
    display: &str,
    key: Option<FileKey>,
    hash: [u8; 32],
    racy: bool,
    parsed: &Parsed,
) -> Result<Vec<u8>, postcard::Error> {
    let format::Split {
        index,
        cards,
        bodies,
    } = format::split(parsed)?;
    let index = postcard::to_allocvec(&index)?;
    let header = Header {
        app_version: app_version.to_string(),
        display: display.to_string(),
        key,
        hash,
        racy,
        index_len: index.len() as u64,
        index_crc: crc32fast::hash(&index),
        cards_len: cards.len() as u64,
        cards_crc: crc32fast::hash(&cards),
        bodies_len: bodies.len() as u64,
    };
    let head = postcard::to_allocvec(&header)?;
    let head_len = u32::try_from(head.len()).map_err(|_| postcard::Error::SerializeBufferFull)?;
    let mut out =
        Vec::with_capacity(PREAMBLE + head.len() + index.len() + cards.len() + bodies.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&head_len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&head).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&index);
    out.extend_from_slice(&cards);
    out.extend_from_slice(&bodies);
    Ok(out)
}

/// Checks and splits an entry's bytes; `app_version` must match the writer's.
pub fn decode(bytes: Vec<u8>, app_version: &str) -> Result<Entry, Damaged> {
    let (header, at) = decode_header(&bytes, app_version)?;
    let index_len = usize::try_from(header.index_len).map_err(|_| Damaged)?;
    let cards_len = usize::try_from(header.cards_len).map_err(|_| Damaged)?;
    let bodies_len = usize::try_from(header.bodies_len).map_err(|_| Damaged)?;
    let index_end = at.checked_add(index_len).ok_or(Damaged)?;
    let end = index_end
        .checked_add(cards_len)
        .and_then(|e| e.checked_add(bodies_len))
        .ok_or(Damaged)?;
    // Exactly as long as the header says: a truncated or appended-to entry is not ours.
    if end != bytes.len() {
        return Err(Damaged);
    }
    let index = bytes[at..index_end].to_vec();
    if crc32fast::hash(&index) != header.index_crc {
        return Err(Damaged);
    }
    let mut rest = bytes;
    rest.drain(..index_end);
    Ok(Entry {
        header,
        index,
        rest,
    })
}

fn decode_header(bytes: &[u8], app_version: &str) -> Result<(Header, usize), Damaged> {
    let pre = bytes.get(..PREAMBLE).ok_or(Damaged)?;
    let word = |i: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&pre[i..i + 4]);
        u32::from_le_bytes(w)
    };
    if &pre[..8] != MAGIC || word(8) != FORMAT_VERSION {
        return Err(Damaged);
    }
    let len = word(12) as usize;
    if len > MAX_HEADER {
        return Err(Damaged);
    }
    let head = bytes.get(PREAMBLE..PREAMBLE + len).ok_or(Damaged)?;
    if crc32fast::hash(head) != word(16) {
        return Err(Damaged);
    }
    let header: Header = postcard::from_bytes(head).map_err(|_| Damaged)?;
    if header.app_version != app_version {
        return Err(Damaged);
    }
    Ok((header, PREAMBLE + len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::CardBody;
    use crate::deck::reader;

    const DECK: &str = "examdeck: 1\nid: t\ntitle: T\ncards:\n  - id: a\n    kind: basic\n    prompt: P\n    answer: A\n  - id: b\n    kind: cloze\n    text: \"{{c1::x}} {{c2::y}}\"\n  - id: c\n    kind: single\n    prompt: Q\n    choices:\n      - {text: one, correct: true, why: W}\n      - {text: two, correct: false}\n";

    fn parsed() -> Parsed {
        Parsed::Deck(reader::read_deck("t.yaml", DECK))
    }

    fn encoded() -> Vec<u8> {
        encode("1.0", "t.yaml", None, [7; 32], false, &parsed()).unwrap_or_default()
    }

    #[test]
    fn round_trip() {
        let p = parsed();
        let Parsed::Deck(r) = &p else { unreachable!() };
        assert_eq!(r.deck.as_ref().map(|d| d.cards.len()), Some(3));
        let e = decode(encoded(), "1.0").ok();
        assert_eq!(e.as_ref().map(|e| e.header.hash), Some([7; 32]));
        assert_eq!(e.and_then(|e| e.parsed().ok()), Some(p));
    }

    #[test]
    fn an_index_read_alone_gives_text_less_cards_whose_text_is_read_when_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.edc");
        let bytes = encoded();
        std::fs::write(&path, &bytes).expect("write");
        let mut f = std::fs::File::open(&path).expect("open");
        let mut e = decode_index(&mut f, bytes.len() as u64, "1.0").expect("index");
        let Ok(Parsed::Deck(lazy)) = e.parsed_lazy(&path, None) else {
            panic!("not a deck");
        };
        let Parsed::Deck(full) = parsed() else {
            unreachable!()
        };
        let (lazy, full) = (lazy.deck.expect("deck"), full.deck.expect("deck"));
        // Kinds, cloze numbers and right options are there without the text.
        for (l, f) in lazy.cards.iter().zip(&full.cards) {
            assert_eq!(l.body.kind_name(), f.body.kind_name());
            assert_eq!(l.ordinals(), f.ordinals());
            assert!(l.prompt.is_empty());
        }
        let CardBody::Single { choices } = &lazy.cards[2].body else {
            panic!("not single");
        };
        assert_eq!(
            choices.iter().map(|c| c.correct).collect::<Vec<_>>(),
            [true, false]
        );
        for i in 0..3 {
            assert_eq!(lazy.full_card(i), Some(&full.cards[i]));
        }
        // A wrong length is refused before anything is decoded.
        let mut f = std::fs::File::open(&path).expect("open");
        assert!(decode_index(&mut f, bytes.len() as u64 + 1, "1.0").is_err());
        for n in 0..PREAMBLE + 8 {
            assert!(decode_index(&mut &bytes[..n], bytes.len() as u64, "1.0").is_err());
        }
    }

    #[test]
    fn other_version_or_format_is_refused() {
        assert!(decode(encoded(), "1.1").is_err());
        let mut b = encoded();
        b[8] = 99;
        assert!(decode(b, "1.0").is_err());
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused() {
        let good = encoded();
        for n in 0..good.len() {
            assert!(decode(good[..n].to_vec(), "1.0").is_err(), "cut at {n}");
        }
        for i in 0..good.len() {
            let mut b = good.clone();
            b[i] ^= 0x55;
            // A flip is either caught or (in a body) caught when the body is read.
            if let Ok(e) = decode(b, "1.0") {
                assert!(e.parsed().is_err(), "flip at {i} went unnoticed");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = decode(bytes, "1.0").map(|e| e.parsed());
        }

        /// Garbage behind a sound preamble and header checksum reaches postcard itself.
        #[test]
        fn garbage_with_sound_checksums_never_panics(
            head in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            rest in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        ) {
            let mut b = Vec::new();
            b.extend_from_slice(MAGIC);
            b.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
            b.extend_from_slice(&(head.len() as u32).to_le_bytes());
            b.extend_from_slice(&crc32fast::hash(&head).to_le_bytes());
            b.extend_from_slice(&head);
            b.extend_from_slice(&rest);
            let _ = decode(b, "1.0").map(|e| e.parsed());
        }
    }
}
