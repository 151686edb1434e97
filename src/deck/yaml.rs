//! A YAML document as a tree of nodes that remember where they came from.
//!
//! serde stops at the first error, but authors want every problem in a file at once. So the
//! parser only builds this generic tree (bounded by serde-saphyr's `Budget`), and the deck
//! reader walks it, collecting all problems with their line and column.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A 1-based line and column in a source file (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
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
}

/// Largest nesting depth accepted; real decks need fewer than 10 levels.
pub const MAX_DEPTH: usize = 64;

/// Parses `text` into a node tree under a budget that stops alias bombs and deep nesting.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = 1_000;
    budget.max_nodes = 2_000_000;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(text, options) {
        Ok(Some(root)) => Ok(from_spanned(root)),
        Ok(None) => Ok(Node {
            loc: Loc { line: 1, column: 1 },
            value: Value::Null,
        }),
        Err(err) => {
            let loc = err
                .location()
                .map(|l| Loc {
                    line: u32::try_from(l.line()).unwrap_or(0),
                    column: u32::try_from(l.column()).unwrap_or(0),
                })
                .unwrap_or_default();
            Err(YamlError {
                loc,
                message: clean_message(&err.to_string()),
            })
        }
    }
}

/// serde-saphyr puts "line X column Y" into its messages; we print the location ourselves.
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

/// The raw, serde-facing tree; converted to [`Node`] right after parsing.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

fn from_spanned(s: Spanned<Raw>) -> Node {
    let loc = Loc {
        line: u32::try_from(s.referenced.line()).unwrap_or(0),
        column: u32::try_from(s.referenced.column()).unwrap_or(0),
    };
    let value = match s.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(from_spanned).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (from_spanned(k), from_spanned(v)))
                .collect(),
        ),
    };
    Node { loc, value }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<Spanned<Raw>, Spanned<Raw>>()? {
            entries.push((k, v));
        }
        Ok(Raw::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_locations_of_keys_and_values() {
        let node = parse("a: 1\nlist:\n  - x\n  - {b: true}\n").expect("valid yaml");
        let Value::Map(entries) = &node.value else {
            panic!("expected a map, got {:?}", node.value)
        };
        assert_eq!(entries[0].0.loc, Loc { line: 1, column: 1 });
        assert_eq!(entries[1].0.loc, Loc { line: 2, column: 1 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("expected a list")
        };
        assert_eq!(items[0].loc, Loc { line: 3, column: 5 });
        assert_eq!(items[0].value, Value::Str("x".into()));
        assert_eq!(items[1].loc.line, 4);
    }

    #[test]
    fn reports_syntax_errors_with_location() {
        let err = parse("a: 1\nb: [1, 2\nc: 3\n").expect_err("unclosed flow list");
        assert!(err.loc.line >= 2, "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn rejects_duplicate_keys() {
        let err = parse("a: 1\na: 2\n").expect_err("duplicate key");
        assert_eq!(err.loc.line, 2, "{err:?}");
    }

    #[test]
    fn stops_alias_bombs() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        assert!(parse(&bomb).is_err());
    }

    #[test]
    fn stops_deep_nesting() {
        let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("").map(|n| n.value), Ok(Value::Null));
    }
}
