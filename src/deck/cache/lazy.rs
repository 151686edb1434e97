//! Card texts read when needed. A deck taken from the cache keeps in memory what the queue,
//! counts, exam papers and grading use (ids, kinds, which options are right, domains, tags,
//! hashes); each card's text (prompt, options, explanation, source) stays in the cache entry
//! until the card is shown, then is kept. At 50,000 cards that is most of the library's bytes.
//!
//! The entry is ours but may have been replaced or damaged since the index was read: every
//! body is checked against its length and CRC-32 and against the shape the index gave. If it
//! fails, the deck file itself is parsed again (bounded, inside its folder) and the card taken
//! from it when its content hash is unchanged; failing that, the card says what to do.
//!
//! The text-less cards themselves ([`IndexedCards`]) are decoded from the entry's cards
//! section, kept in memory as read, when a deck's cards are first used.

use super::format::{self, CardContent};
use crate::deck::cards::CardSource;
use crate::deck::library::MAX_FILE_BYTES;
use crate::deck::model::Card;
use crate::deck::{reader, safe_read};
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Where one card's body record is in an entry's bodies section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyRef {
    pub(super) at: u64,
    pub(super) len: u32,
    pub(super) crc: u32,
}

/// Where the deck file a cache entry was made from is (to parse it again if the entry fails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckFile {
    /// The file.
    pub path: PathBuf,
    /// The folder it must stay inside after links, if any.
    pub confine: Option<PathBuf>,
    /// The file as shown in messages.
    pub display: String,
}

/// The texts of a deck's cards, read from its cache entry when asked for.
pub struct CardTexts {
    entry: PathBuf,
    /// Offset of the bodies section in the entry file.
    bodies_at: u64,
    /// Where each card's body is (set when the cards are decoded).
    refs: OnceLock<Vec<BodyRef>>,
    /// Cards already read (boxed: an empty slot costs a pointer, not a card).
    kept: Vec<OnceLock<Box<Card>>>,
    source: Option<DeckFile>,
    /// The deck file parsed again, once, when the entry failed.
    reparsed: OnceLock<Vec<Card>>,
}

impl std::fmt::Debug for CardTexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CardTexts({}, {} cards)",
            self.entry.display(),
            self.kept.len()
        )
    }
}

impl PartialEq for CardTexts {
    fn eq(&self, other: &CardTexts) -> bool {
        self.entry == other.entry
            && self.bodies_at == other.bodies_at
            && self.refs.get() == other.refs.get()
    }
}

impl CardTexts {
    /// Texts of `count` cards in the entry file `entry` whose bodies start at `bodies_at`
    /// (where each is: [`CardTexts::set_refs`], when the cards are decoded).
    pub fn new(
        entry: PathBuf,
        bodies_at: u64,
        count: usize,
        source: Option<DeckFile>,
    ) -> CardTexts {
        let kept = (0..count).map(|_| OnceLock::new()).collect();
        CardTexts {
            entry,
            bodies_at,
            refs: OnceLock::new(),
            kept,
            source,
            reparsed: OnceLock::new(),
        }
    }

    /// Where each card's body is; the first call counts.
    pub fn set_refs(&self, refs: Vec<BodyRef>) {
        let _ = self.refs.set(refs);
    }

    fn refs(&self) -> &[BodyRef] {
        self.refs.get().map_or(&[], Vec::as_slice)
    }

    /// Card `i` (whose text-less form is `bare`) with its text, read on first use and kept.
    pub fn card<'a>(&'a self, i: usize, bare: &'a Card) -> &'a Card {
        match self.kept.get(i) {
            Some(slot) => slot.get_or_init(|| Box::new(self.read(i, bare))),
            None => bare,
        }
    }

    /// Every card with its text, read in one pass over the entry and not kept (a browse index,
    /// a lint run, an export).
    pub fn all(&self, bare: &[Card]) -> Vec<Card> {
        let section = self.section();
        bare.iter()
            .enumerate()
            .map(|(i, b)| {
                if let Some(k) = self.kept.get(i).and_then(|s| s.get()) {
                    return (**k).clone();
                }
                let from_section = section.as_ref().ok().and_then(|s| {
                    let r = self.refs().get(i)?;
                    let start = usize::try_from(r.at).ok()?;
                    let bytes = s.get(start..start.checked_add(r.len as usize)?)?;
                    let content = format::decode_body(bytes, r).ok()?;
                    format::with_content(b.clone(), content).ok()
                });
                from_section.unwrap_or_else(|| self.fallback(b))
            })
            .collect()
    }

    /// Whether card `i`'s text has been read and kept.
    pub fn is_kept(&self, i: usize) -> bool {
        self.kept.get(i).is_some_and(|s| s.get().is_some())
    }

    fn read(&self, i: usize, bare: &Card) -> Card {
        self.read_body(i)
            .and_then(|c| format::with_content(bare.clone(), c).ok())
            .unwrap_or_else(|| self.fallback(bare))
    }

    fn read_body(&self, i: usize) -> Option<CardContent> {
        let r = self.refs().get(i)?;
        let mut f = std::fs::File::open(&self.entry).ok()?;
        f.seek(SeekFrom::Start(self.bodies_at.checked_add(r.at)?))
            .ok()?;
        let mut bytes = vec![0; r.len as usize];
        f.read_exact(&mut bytes).ok()?;
        format::decode_body(&bytes, r).ok()
    }

    /// The whole bodies section (as far as the last card's record).
    fn section(&self) -> std::io::Result<Vec<u8>> {
        let end = self
            .refs()
            .iter()
            .map(|r| r.at + u64::from(r.len))
            .max()
            .unwrap_or(0);
        let mut f = std::fs::File::open(&self.entry)?;
        f.seek(SeekFrom::Start(self.bodies_at))?;
        let mut bytes = Vec::new();
        f.take(end).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The card as the deck file gives it now, if its content is what the index says; else
    /// the bare card with a prompt saying what to do.
    fn fallback(&self, bare: &Card) -> Card {
        let cards = self.reparsed();
        if let Some(c) = cards
            .iter()
            .find(|c| c.id == bare.id && c.content_hash == bare.content_hash)
        {
            return c.clone();
        }
        let mut c = bare.clone();
        c.prompt = format!(
            "*The text of card `{}` could not be read: its deck file changed or the library \
             cache is damaged. Reload the decks (F5) to read it again.*",
            bare.id
        );
        c
    }

    /// The deck file's cards, parsed again once.
    fn reparsed(&self) -> &[Card] {
        self.reparsed.get_or_init(|| self.parse_source())
    }

    fn parse_source(&self) -> Vec<Card> {
        let Some(src) = &self.source else {
            return Vec::new();
        };
        let Ok(bytes) = safe_read::read_regular(&src.path, src.confine.as_deref(), MAX_FILE_BYTES)
        else {
            return Vec::new();
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Vec::new();
        };
        reader::read_deck(&src.display, text)
            .deck
            .map(|d| d.cards.into_vec())
            .unwrap_or_default()
    }
}

/// A deck's text-less cards, still encoded as the entry's cards section held them.
pub struct IndexedCards {
    bytes: Vec<u8>,
    crc: u32,
    count: u32,
    bodies_len: u64,
    texts: Arc<CardTexts>,
}

impl IndexedCards {
    /// The cards section `bytes` (CRC-32 `crc`) of `count` cards, bodies inside `bodies_len`
    /// bytes, their texts in `texts`.
    pub fn new(
        bytes: Vec<u8>,
        crc: u32,
        count: u32,
        bodies_len: u64,
        texts: Arc<CardTexts>,
    ) -> IndexedCards {
        IndexedCards {
            bytes,
            crc,
            count,
            bodies_len,
            texts,
        }
    }
}

impl CardSource for IndexedCards {
    /// The cards of the section; if it does not decode (a bug, or memory gone bad), the deck
    /// file's cards as it reads now.
    fn decode(&self) -> (Vec<Card>, bool) {
        match format::decode_cards(&self.bytes, self.crc, self.count, self.bodies_len) {
            Ok((cards, refs)) => {
                self.texts.set_refs(refs);
                (cards, true)
            }
            Err(_) => (self.texts.reparsed().to_vec(), false),
        }
    }
}
