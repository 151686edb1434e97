//! A deck's cards, decoded when first used. A deck taken from the library cache holds its
//! cards' index still encoded, with the number of cards and their [`SyncDigest`]: a warm start
//! (registering the library with the learner, the first due card) needs neither, so 50,000
//! cards cost no decoding until a screen lists them. Everything else sees a `Vec<Card>`
//! through `Deref`.

use crate::deck::model::Card;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};

/// What the learner's library sync records of a deck's cards: a SHA-256 of every review
/// item's key, domain and content hash, in order, and how many items there are. Equal digests
/// mean a sync has nothing to write for the deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncDigest {
    /// The hash.
    pub hash: [u8; 32],
    /// Review items (a cloze card counts one per deletion).
    pub items: u32,
}

impl SyncDigest {
    /// The digest of `cards`.
    pub fn of(cards: &[Card]) -> SyncDigest {
        let mut buf = Vec::with_capacity(cards.len() * 100);
        let mut items = 0u32;
        for card in cards {
            for ord in card.item_ordinals() {
                items += 1;
                field(&mut buf, Some(&card.id));
                buf.extend_from_slice(&ord.to_le_bytes());
                field(&mut buf, card.domain.as_deref());
                field(&mut buf, Some(&card.content_hash));
            }
        }
        SyncDigest {
            hash: Sha256::digest(&buf).into(),
            items,
        }
    }
}

/// Appends a field and its terminator (`\u{1}` stands for "none").
fn field(buf: &mut Vec<u8>, s: Option<&str>) {
    buf.extend_from_slice(s.unwrap_or("\u{1}").as_bytes());
    buf.push(0);
}

/// Where a deck's cards come from when they are first used.
pub trait CardSource: Send + Sync {
    /// The cards, and whether they are the ones the index described (`false`: a fallback,
    /// e.g. the deck file parsed again, whose digest must be computed anew).
    fn decode(&self) -> (Vec<Card>, bool);
}

#[derive(Clone)]
struct Lazy {
    source: Arc<dyn CardSource>,
    len: usize,
    digest: SyncDigest,
}

#[derive(Clone)]
struct Decoded {
    cards: Vec<Card>,
    /// The cards are the ones `Lazy` describes (its length and digest hold).
    as_indexed: bool,
}

/// A deck's cards: a `Vec<Card>` (through `Deref`), decoded on first use when the deck came
/// from the library cache. `len`, `is_empty` and [`Cards::digest`] never decode.
#[derive(Clone, Default)]
pub struct Cards {
    decoded: OnceLock<Decoded>,
    lazy: Option<Lazy>,
}

impl Cards {
    /// Cards decoded from `source` when first used; `len` and `digest` are what it will give.
    pub fn lazy(source: Arc<dyn CardSource>, len: usize, digest: SyncDigest) -> Cards {
        Cards {
            decoded: OnceLock::new(),
            lazy: Some(Lazy {
                source,
                len,
                digest,
            }),
        }
    }

    fn decoded(&self) -> &Decoded {
        self.decoded.get_or_init(|| match &self.lazy {
            Some(l) => {
                let (cards, as_indexed) = l.source.decode();
                let as_indexed = as_indexed && cards.len() == l.len;
                Decoded { cards, as_indexed }
            }
            None => Decoded {
                cards: Vec::new(),
                as_indexed: false,
            },
        })
    }

    /// The number of cards (without decoding them).
    pub fn len(&self) -> usize {
        match (self.decoded.get(), &self.lazy) {
            (Some(d), _) => d.cards.len(),
            (None, Some(l)) => l.len,
            (None, None) => 0,
        }
    }

    /// Whether there are no cards (without decoding them).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the cards are in memory (a deck from the cache decodes them on first use).
    pub fn is_decoded(&self) -> bool {
        self.decoded.get().is_some()
    }

    /// The digest a library sync compares (without decoding cards from the cache).
    pub fn digest(&self) -> SyncDigest {
        match (&self.lazy, self.decoded.get()) {
            (Some(l), None) => l.digest,
            (Some(l), Some(d)) if d.as_indexed => l.digest,
            _ => SyncDigest::of(self),
        }
    }

    /// The cards as a vector.
    pub fn into_vec(self) -> Vec<Card> {
        self.decoded();
        self.decoded
            .into_inner()
            .map(|d| d.cards)
            .unwrap_or_default()
    }
}

impl Deref for Cards {
    type Target = Vec<Card>;

    fn deref(&self) -> &Vec<Card> {
        &self.decoded().cards
    }
}

impl DerefMut for Cards {
    /// Decodes the cards; once changed, their digest is computed from them.
    fn deref_mut(&mut self) -> &mut Vec<Card> {
        self.decoded();
        self.lazy = None;
        let d = self.decoded.get_mut();
        match d {
            Some(d) => &mut d.cards,
            None => unreachable!("decoded just above"),
        }
    }
}

impl From<Vec<Card>> for Cards {
    fn from(cards: Vec<Card>) -> Cards {
        Cards {
            decoded: OnceLock::from(Decoded {
                cards,
                as_indexed: false,
            }),
            lazy: None,
        }
    }
}

impl FromIterator<Card> for Cards {
    fn from_iter<I: IntoIterator<Item = Card>>(iter: I) -> Cards {
        Cards::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl IntoIterator for Cards {
    type Item = Card;
    type IntoIter = std::vec::IntoIter<Card>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a> IntoIterator for &'a Cards {
    type Item = &'a Card;
    type IntoIter = std::slice::Iter<'a, Card>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Cards {
    type Item = &'a mut Card;
    type IntoIter = std::slice::IterMut<'a, Card>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl PartialEq for Cards {
    fn eq(&self, other: &Cards) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Cards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for Cards {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::reader;

    struct Counted(Vec<Card>, std::sync::atomic::AtomicUsize);

    impl CardSource for Counted {
        fn decode(&self) -> (Vec<Card>, bool) {
            self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            (self.0.clone(), true)
        }
    }

    fn cards() -> Vec<Card> {
        let text = "examdeck: 1\nid: t\ntitle: T\ncards:\n  - id: a\n    kind: basic\n    prompt: P\n    answer: A\n  - id: b\n    kind: cloze\n    text: \"{{c1::x}} {{c2::y}}\"\n";
        reader::read_deck("t.yaml", text)
            .deck
            .map(|d| d.cards.into_vec())
            .unwrap_or_default()
    }

    #[test]
    fn lazy_cards_decode_once_and_only_when_their_content_is_used() {
        let all = cards();
        assert_eq!(all.len(), 2);
        let digest = SyncDigest::of(&all);
        assert_eq!(digest.items, 3, "a card and two deletions");
        let source = Arc::new(Counted(all.clone(), Default::default()));
        let lazy = Cards::lazy(source.clone(), all.len(), digest);
        let decodes = || source.1.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            (lazy.len(), lazy.is_empty(), lazy.digest()),
            (2, false, digest)
        );
        assert_eq!(decodes(), 0, "length and digest need no decoding");
        assert_eq!(
            lazy.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(lazy[1], all[1]);
        assert_eq!(decodes(), 1, "decoded once");
        assert_eq!(lazy.digest(), digest);
    }

    #[test]
    fn a_fallback_or_a_change_gets_its_digest_from_the_cards() {
        struct Fallback(Vec<Card>);
        impl CardSource for Fallback {
            fn decode(&self) -> (Vec<Card>, bool) {
                (self.0.clone(), false)
            }
        }
        let all = cards();
        let promised = SyncDigest::of(&all);
        let mut other = all.clone();
        other[0].content_hash = "edited".into();
        let fallback = Cards::lazy(Arc::new(Fallback(other.clone())), 2, promised);
        assert_eq!(
            fallback.digest(),
            promised,
            "not decoded yet: the index's word"
        );
        assert_eq!(fallback.len(), 2);
        assert_eq!(fallback.iter().count(), 2);
        assert_eq!(fallback.digest(), SyncDigest::of(&other));
        let mut changed = Cards::from(all.clone());
        assert_eq!(changed.digest(), promised);
        changed.remove(0);
        assert_eq!(changed.digest(), SyncDigest::of(&all[1..]));
    }
}
