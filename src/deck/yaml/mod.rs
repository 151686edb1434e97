//! A YAML document as a tree of nodes that remember where they came from.
//!
//! serde stops at the first error, but authors want every problem in a file at once. So the
//! parser only builds this generic tree, straight from granit-parser's event stream, and the deck
//! reader walks it, collecting all problems with their line and column. Files in the plain
//! block style decks are written in take a faster road to the same tree (`subset/`), which
//! hands anything else, errors included, to granit-parser.
//!
//! What the tree builder accepts, beyond plain YAML 1.2:
//! - plain scalars resolve by the YAML 1.2 core schema with strict booleans (`true`, `True`,
//!   `TRUE`, `false`, …; never `yes`/`no`/`on`/`off`); quoted and block scalars are text;
//! - tags: `!!str` and `!` make text, `!!null`/`!!bool`/`!!int`/`!!float` must fit their type,
//!   `!!seq`/`!!map` must be on a sequence/mapping; any other tag is an error (decks need none);
//! - aliases are expanded by copying the anchored node (every copied node reports the alias's
//!   location), under a budget on aliases, nodes, scalar bytes and depth;
//! - `.inf`, `-.inf` and `.nan` are floats, like numerals too large for `f64` (infinite);
//! - keys that resolve to the same value are duplicates, an error at the second one;
//! - `<<` is an ordinary key (no merge keys);
//! - a file holds one document: a second `---` document is an error.

mod builder;
mod scalar;
mod subset;

use builder::{Builder, Kind, check_collection_tag, scalar_bytes};
use granit_parser::{Event, Marker, Parser, ScanError};
use scalar::scalar;

/// A 1-based line and column in a source file (0 when unknown).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// One YAML value with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value starts.
    pub loc: Loc,
    /// The value itself.
    pub value: Value,
}

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string scalar.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order (duplicate keys are rejected by the parser).
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Why a YAML text could not be turned into a tree.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// Where the parser stopped, when known.
    pub loc: Loc,
    /// The parser's message, without its own location prefix.
    pub message: String,
    /// Which budget was exceeded, if that is why.
    pub budget: Option<Budget>,
}

/// The limits a deck file must stay within, so a small hostile file cannot cost much memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Nesting deeper than [`MAX_DEPTH`].
    Depth,
    /// More than [`MAX_ALIASES`] aliases.
    Aliases,
    /// Aliases copying more than [`MAX_ALIAS_COPIES`] nodes: an alias bomb.
    AliasCopies,
    /// More nodes than the file's size allows (see [`node_limit`]).
    Nodes,
    /// More than [`MAX_SCALAR_BYTES`] of text.
    Text,
}

/// Largest nesting depth accepted; real decks need fewer than 10 levels.
pub const MAX_DEPTH: usize = 64;
/// Most alias (`*name`) events in one file.
pub const MAX_ALIASES: usize = 1_000;
/// Most nodes all aliases together may copy (a deck uses aliases for a few shared values; a
/// "billion laughs" needs millions). Counted before anything is copied.
pub const MAX_ALIAS_COPIES: usize = 10_000;
/// Most nodes in the tree, whatever the file's size.
pub const MAX_NODES: usize = 500_000;
/// Most bytes of scalar text in the tree, counting every copy an alias makes.
pub const MAX_SCALAR_BYTES: usize = 16 * 1024 * 1024;

/// Most nodes for a text of `len` bytes: real decks spend about 12 bytes per node, so a
/// file of one-character items is refused before its tree outgrows the file many times over.
pub fn node_limit(len: usize) -> usize {
    (10_000 + len / 4).min(MAX_NODES)
}
/// Mappings with more entries than this find duplicate keys through a hash index.
pub(super) const LINEAR_KEY_SCAN: usize = 16;

/// Parses `text` into a node tree under a budget that stops alias bombs and deep nesting.
///
/// Files in the plain block style decks are written in are read by a fast reader of that
/// subset; anything else, and every file with a problem, by granit-parser.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    match subset::parse(text) {
        Some(root) => Ok(root),
        None => parse_general(text),
    }
}

/// The fast reader of the deck subset alone: `None` where it leaves `text` to granit-parser.
/// For tests and benchmarks; [`parse`] is what readers call.
pub fn parse_subset(text: &str) -> Option<Node> {
    subset::parse(text)
}

/// Parses `text` with granit-parser alone, whatever YAML it holds.
pub fn parse_general(text: &str) -> Result<Node, YamlError> {
    let options = granit_parser::options! {
        emit_comments: false,
    };
    let mut b = Builder {
        node_limit: node_limit(text.len()),
        ..Builder::default()
    };
    let mut documents = 0usize;
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = next.map_err(scan_error)?;
        let loc = to_loc(&span.start);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        loc,
                        message:
                            "a deck file holds one YAML document, but a second one starts here"
                                .into(),
                        budget: None,
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(text, style, tag.as_deref(), loc)?;
                b.bump(1, scalar_bytes(&value), loc)?;
                b.finish(Node { loc, value }, anchor)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                check_collection_tag(tag.as_deref(), "seq", loc)?;
                let start = b.items.len();
                b.open(loc, anchor, Kind::Seq { start })?;
            }
            Event::MappingStart(_, anchor, tag) => {
                check_collection_tag(tag.as_deref(), "map", loc)?;
                b.open(
                    loc,
                    anchor,
                    Kind::Map {
                        start: b.entries.len(),
                        key: None,
                        index: None,
                    },
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => b.close()?,
            Event::Alias(id) => b.alias(id, loc)?,
            _ => {}
        }
    }
    Ok(match b.root {
        // A null root means "no document", located at the start of the file.
        Some(root) if root.value != Value::Null => root,
        _ => Node {
            loc: Loc { line: 1, column: 1 },
            value: Value::Null,
        },
    })
}

fn to_loc(m: &Marker) -> Loc {
    Loc {
        line: u32::try_from(m.line()).unwrap_or(0),
        column: u32::try_from(m.col().saturating_add(1)).unwrap_or(0),
    }
}

fn scan_error(err: ScanError) -> YamlError {
    YamlError {
        loc: to_loc(err.marker()),
        message: clean_message(&err.info()),
        budget: None,
    }
}

pub(super) fn budget_error(loc: Loc, budget: Budget, what: String) -> YamlError {
    YamlError {
        loc,
        message: format!("budget breached: {what}"),
        budget: Some(budget),
    }
}

/// Parser messages may carry "at line X column Y" and a second "while parsing" line; the
/// location is printed by the caller.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let first = first
        .strip_prefix("error: ")
        .or_else(|| first.strip_prefix("Error: "))
        .unwrap_or(first);
    match first.find(" at line ") {
        Some(i) => first[..i].trim_end_matches(',').to_string(),
        None => first.to_string(),
    }
}

#[cfg(test)]
mod tests;
