//! A YAML document as a tree of nodes that remember where they came from.
//!
//! serde stops at the first error, but authors want every problem in a file at once. So the
//! parser only builds this generic tree, straight from granit-parser's event stream, and the deck
//! reader walks it, collecting all problems with their line and column.
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

use granit_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

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
const LINEAR_KEY_SCAN: usize = 16;

/// Parses `text` into a node tree under a budget that stops alias bombs and deep nesting.
pub fn parse(text: &str) -> Result<Node, YamlError> {
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

fn budget_error(loc: Loc, budget: Budget, what: String) -> YamlError {
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

/// A mapping or sequence still being read.
struct Frame {
    loc: Loc,
    anchor: usize,
    kind: Kind,
}

/// A collection's children wait in the builder's shared buffers (from `start` on) until it ends,
/// then move into one exactly sized vector: far fewer allocations than growing each vector.
enum Kind {
    Seq {
        start: usize,
    },
    Map {
        start: usize,
        /// A key read, waiting for its value.
        key: Option<Node>,
        /// Key hash → index (from `start`) of the first entry with that hash, for large mappings.
        index: Option<HashMap<u64, usize>>,
    },
}

/// An anchored node, kept for the aliases that copy it.
struct Anchored {
    node: Node,
    nodes: usize,
    bytes: usize,
    height: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// Items of the open sequences, innermost last.
    items: Vec<Node>,
    /// Entries of the open mappings, innermost last.
    entries: Vec<(Node, Node)>,
    root: Option<Node>,
    anchors: HashMap<usize, Anchored>,
    aliases: usize,
    /// Nodes copied by aliases so far.
    copied: usize,
    nodes: usize,
    node_limit: usize,
    bytes: usize,
}

impl Builder {
    fn bump(&mut self, nodes: usize, bytes: usize, loc: Loc) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.node_limit {
            return Err(budget_error(
                loc,
                Budget::Nodes,
                format!("Nodes {{ nodes: {} }}", self.nodes),
            ));
        }
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > MAX_SCALAR_BYTES {
            return Err(budget_error(
                loc,
                Budget::Text,
                format!("ScalarBytes {{ total_scalar_bytes: {} }}", self.bytes),
            ));
        }
        Ok(())
    }

    /// Counts nodes an alias or anchor copies, before they are copied.
    fn bump_copy(&mut self, nodes: usize, bytes: usize, loc: Loc) -> Result<(), YamlError> {
        self.copied = self.copied.saturating_add(nodes);
        if self.copied > MAX_ALIAS_COPIES {
            return Err(budget_error(
                loc,
                Budget::AliasCopies,
                format!("AliasCopies {{ nodes: {} }}", self.copied),
            ));
        }
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > MAX_SCALAR_BYTES {
            return Err(budget_error(
                loc,
                Budget::Text,
                format!("ScalarBytes {{ total_scalar_bytes: {} }}", self.bytes),
            ));
        }
        Ok(())
    }

    fn check_depth(&self, extra: usize, loc: Loc) -> Result<(), YamlError> {
        let depth = self.stack.len().saturating_add(extra);
        if depth > MAX_DEPTH {
            return Err(budget_error(
                loc,
                Budget::Depth,
                format!("Depth {{ depth: {depth} }}"),
            ));
        }
        Ok(())
    }

    fn open(&mut self, loc: Loc, anchor: usize, kind: Kind) -> Result<(), YamlError> {
        self.check_depth(1, loc)?;
        self.bump(1, 0, loc)?;
        self.stack.push(Frame { loc, anchor, kind });
        Ok(())
    }

    fn close(&mut self) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.kind {
            Kind::Seq { start } => {
                let start = start.min(self.items.len());
                Value::Seq(self.items.drain(start..).collect())
            }
            Kind::Map { start, .. } => {
                let start = start.min(self.entries.len());
                Value::Map(self.entries.drain(start..).collect())
            }
        };
        self.finish(
            Node {
                loc: frame.loc,
                value,
            },
            frame.anchor,
        )
    }

    fn alias(&mut self, id: usize, loc: Loc) -> Result<(), YamlError> {
        self.aliases += 1;
        if self.aliases > MAX_ALIASES {
            return Err(budget_error(
                loc,
                Budget::Aliases,
                format!("Aliases {{ aliases: {} }}", self.aliases),
            ));
        }
        let Some(a) = self.anchors.get(&id) else {
            return Err(YamlError {
                loc,
                message: "alias refers to a node that contains it".into(),
                budget: None,
            });
        };
        let (nodes, bytes, height) = (a.nodes, a.bytes, a.height);
        self.check_depth(height, loc)?;
        self.bump_copy(nodes, bytes, loc)?;
        let copy = self
            .anchors
            .get(&id)
            .map(|a| relocated(&a.node, loc))
            .unwrap_or(Node {
                loc,
                value: Value::Null,
            });
        self.finish(copy, 0)
    }

    /// Puts a complete node into its parent (or makes it the root).
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            let (nodes, bytes, height) = stats(&node);
            // The kept copy costs memory too: nested anchors must not multiply it unchecked.
            self.bump_copy(nodes, bytes, node.loc)?;
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    nodes,
                    bytes,
                    height,
                },
            );
        }
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return Ok(());
        };
        match &mut frame.kind {
            Kind::Seq { .. } => self.items.push(node),
            Kind::Map { start, key, index } => match key.take() {
                Some(k) => self.entries.push((k, node)),
                None => {
                    let entries = self.entries.get(*start..).unwrap_or_default();
                    if is_duplicate(entries, index, &node.value) {
                        return Err(YamlError {
                            loc: node.loc,
                            message: format!("duplicate key `{}`", key_text(&node.value)),
                            budget: None,
                        });
                    }
                    *key = Some(node);
                }
            },
        }
        Ok(())
    }
}

/// Whether `key` is already a key of `entries`; keeps `index` up to date for a new key, which
/// the caller then appends as entry number `entries.len()`.
fn is_duplicate(
    entries: &[(Node, Node)],
    index: &mut Option<HashMap<u64, usize>>,
    key: &Value,
) -> bool {
    if entries.len() < LINEAR_KEY_SCAN {
        return entries.iter().any(|(k, _)| same_value(&k.value, key));
    }
    let index = index.get_or_insert_with(|| {
        let mut m = HashMap::with_capacity(entries.len() * 2);
        for (i, (k, _)) in entries.iter().enumerate() {
            m.entry(key_hash(&k.value)).or_insert(i);
        }
        m
    });
    let h = key_hash(key);
    match index.get(&h) {
        None => {
            index.insert(h, entries.len());
            false
        }
        Some(&i)
            if entries
                .get(i)
                .is_some_and(|(k, _)| same_value(&k.value, key)) =>
        {
            true
        }
        // A hash collision: rare, so a full scan is fine.
        Some(_) => entries.iter().any(|(k, _)| same_value(&k.value, key)),
    }
}

/// Equality of values, ignoring where their parts are.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(&p.value, &q.value))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|((k1, v1), (k2, v2))| {
                    same_value(&k1.value, &k2.value) && same_value(&v1.value, &v2.value)
                })
        }
        _ => a == b,
    }
}

/// A hash consistent with [`same_value`] (`0.0 == -0.0`; NaN never equals anything).
fn key_hash(v: &Value) -> u64 {
    fn feed(v: &Value, h: &mut std::collections::hash_map::DefaultHasher) {
        std::mem::discriminant(v).hash(h);
        match v {
            Value::Null => {}
            Value::Bool(b) => b.hash(h),
            Value::Int(i) => i.hash(h),
            Value::Float(f) => (if *f == 0.0 { 0.0f64 } else { *f }).to_bits().hash(h),
            Value::Str(s) => s.hash(h),
            Value::Seq(items) => {
                items.len().hash(h);
                for n in items {
                    feed(&n.value, h);
                }
            }
            Value::Map(entries) => {
                entries.len().hash(h);
                for (k, n) in entries {
                    feed(&k.value, h);
                    feed(&n.value, h);
                }
            }
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    feed(v, &mut h);
    h.finish()
}

fn key_text(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        // Keys echo file content: keep it short.
        Value::Str(s) if s.chars().count() > 40 => {
            format!("{}…", s.chars().take(40).collect::<String>())
        }
        Value::Str(s) => s.clone(),
        Value::Seq(_) => "[…]".into(),
        Value::Map(_) => "{…}".into(),
    }
}

/// Nodes, scalar bytes and nesting height of a subtree (height 0 for a scalar).
fn stats(node: &Node) -> (usize, usize, usize) {
    match &node.value {
        Value::Seq(items) => items.iter().fold((1, 0, 1), |(n, b, h), item| {
            let (n2, b2, h2) = stats(item);
            (n.saturating_add(n2), b.saturating_add(b2), h.max(h2 + 1))
        }),
        Value::Map(entries) => entries.iter().fold((1, 0, 1), |(n, b, h), (k, v)| {
            let (n2, b2, h2) = stats(k);
            let (n3, b3, h3) = stats(v);
            (
                n.saturating_add(n2).saturating_add(n3),
                b.saturating_add(b2).saturating_add(b3),
                h.max(h2 + 1).max(h3 + 1),
            )
        }),
        v => (1, scalar_bytes(v), 0),
    }
}

fn scalar_bytes(v: &Value) -> usize {
    match v {
        Value::Str(s) => s.len(),
        _ => 0,
    }
}

/// A copy of `node` in which every node reports `loc`, where the alias stands (as serde-saphyr
/// reported aliased values).
fn relocated(node: &Node, loc: Loc) -> Node {
    let value = match &node.value {
        Value::Seq(items) => Value::Seq(items.iter().map(|n| relocated(n, loc)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (relocated(k, loc), relocated(v, loc)))
                .collect(),
        ),
        v => v.clone(),
    };
    Node { loc, value }
}

fn check_collection_tag(tag: Option<&Tag>, expected: &str, loc: Loc) -> Result<(), YamlError> {
    match tag {
        None => Ok(()),
        Some(t) if t.core_suffix() == Some(expected) => Ok(()),
        Some(t) => Err(unsupported_tag(t, loc)),
    }
}

fn unsupported_tag(tag: &Tag, loc: Loc) -> YamlError {
    let shown = match tag.core_suffix() {
        Some(core) => format!("!!{core}"),
        None => format!("{}{}", tag.original_handle(), tag.suffix()),
    };
    YamlError {
        loc,
        message: format!("YAML tag `{shown}` is not supported here"),
        budget: None,
    }
}

/// Resolves one scalar event to a value.
fn scalar(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    loc: Loc,
) -> Result<Value, YamlError> {
    let Some(tag) = tag else {
        return Ok(if style == ScalarStyle::Plain {
            resolve_plain(text)
        } else {
            Value::Str(text.into_owned())
        });
    };
    // The non-specific tag `!` means text.
    if tag.handle().is_empty() && tag.suffix() == "!" {
        return Ok(Value::Str(text.into_owned()));
    }
    let core = tag.core_suffix();
    if core == Some("str") {
        return Ok(Value::Str(text.into_owned()));
    }
    let t = yaml_trim(&text);
    let value = match core {
        Some("null") => Some(Value::Null),
        Some("bool") => parse_bool(t).map(Value::Bool),
        Some("int") => match parse_int(t) {
            Some(v @ Value::Int(_)) => Some(v),
            _ => None,
        },
        Some("float") => parse_int(t)
            .and_then(|v| match v {
                Value::Int(i) => Some(Value::Float(i as f64)),
                Value::Float(f) => Some(Value::Float(f)),
                _ => None,
            })
            .or_else(|| parse_float(t).map(Value::Float)),
        _ => return Err(unsupported_tag(tag, loc)),
    };
    value.ok_or_else(|| YamlError {
        loc,
        message: format!("`{}` is not a valid !!{}", t, core.unwrap_or_default()),
        budget: None,
    })
}

/// Padding ignored when a scalar is read as a number or boolean.
fn yaml_trim(s: &str) -> &str {
    let pad = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    match (s.as_bytes().first(), s.as_bytes().last()) {
        // Plain scalars never have padding: skip the general trim.
        (Some(f), Some(l)) if !pad(f) && !pad(l) => s,
        _ => s.trim_matches([' ', '\t', '\r', '\n']),
    }
}

/// YAML 1.2 core schema resolution of a plain scalar, with strict booleans (as serde-saphyr
/// resolved it for an untyped target).
fn resolve_plain(text: Cow<'_, str>) -> Value {
    if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    let t = yaml_trim(&text);
    if let Some(b) = parse_bool(t) {
        return Value::Bool(b);
    }
    // Only text starting like a number can be one.
    if t.as_bytes()
        .first()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'))
    {
        let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
        // Upper-case radix prefixes and signed NaN stay text.
        let upper_radix = matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
        let signed_nan = unsigned.len() != t.len() && matches!(unsigned, ".nan" | ".NaN" | ".NAN");
        if !upper_radix && !signed_nan {
            if let Some(v) = parse_int(t) {
                return v;
            }
            if let Some(f) = parse_float(t) {
                return Value::Float(f);
            }
        }
    }
    Value::Str(text.into_owned())
}

fn parse_bool(t: &str) -> Option<bool> {
    match t {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer in decimal (no redundant leading zero), `0x`, `0o` or `0b`, with `_` allowed
/// between digits. Unsigned values beyond `i64` become floats, as before.
fn parse_int(t: &str) -> Option<Value> {
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) =
        if let Some(r) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
            (8, r)
        } else if let Some(r) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
            (2, r)
        } else {
            if rest.starts_with('0') && rest != "0" {
                return None;
            }
            (10, rest)
        };
    let mag = parse_digits(digits, radix)?;
    if neg {
        let v = i128::try_from(mag).ok()?.checked_neg()?;
        i64::try_from(v).ok().map(Value::Int)
    } else {
        let v = u64::try_from(mag).ok()?;
        Some(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
}

fn parse_digits(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut val: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_ok = i > 0 && bytes[i - 1] != b'_';
            let next_ok = bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !prev_ok || !next_ok {
                return None;
            }
            continue;
        }
        let d = char::from(b).to_digit(radix)?;
        val = val
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(val)
}

/// A YAML 1.2 float: `.inf`, `-.inf`, `.nan` (any of their three spellings), or a decimal
/// number; a numeral too large for `f64` is infinite.
fn parse_float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    // Rust also reads `inf`, `nan` and `infinity`; YAML keeps those as text.
    let v = t.parse::<f64>().ok()?;
    if v.is_finite() || unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        Some(v)
    } else {
        None
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

    /// "Billion laughs": nine levels of nine-fold aliases, 9^9 nodes once expanded.
    fn alias_bomb() -> String {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        bomb
    }

    #[test]
    fn stops_alias_bombs() {
        let bomb = alias_bomb();
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
        for text in ["# only a comment\n", "---\n", "\n\n~\n"] {
            let node = parse(text).expect("valid yaml");
            assert_eq!(node.value, Value::Null, "{text:?}");
            assert_eq!(node.loc, Loc { line: 1, column: 1 }, "{text:?}");
        }
    }

    fn items(text: &str) -> Vec<Value> {
        match parse(text).expect("valid yaml").value {
            Value::Seq(items) => items.into_iter().map(|n| n.value).collect(),
            other => panic!("expected a list, got {other:?}"),
        }
    }

    #[test]
    fn resolves_plain_scalars_by_the_core_schema() {
        let s = |t: &str| Value::Str(t.into());
        assert_eq!(
            items("[true, True, FALSE, yes, no, on, off, y, tRue]"),
            [
                Value::Bool(true),
                Value::Bool(true),
                Value::Bool(false),
                s("yes"),
                s("no"),
                s("on"),
                s("off"),
                s("y"),
                s("tRue"),
            ]
        );
        assert_eq!(
            items("[~, null, Null, NULL, nUll, '', \"null\"]"),
            [
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                s("nUll"),
                s(""),
                s("null"),
            ]
        );
        assert_eq!(
            items("[1, -7, +3, 0x1F, 0o17, 0b101, 1_000, 0X1F, 012, 9223372036854775808, -0]"),
            [
                Value::Int(1),
                Value::Int(-7),
                Value::Int(3),
                Value::Int(31),
                Value::Int(15),
                Value::Int(5),
                Value::Int(1000),
                s("0X1F"),
                Value::Float(12.0),
                Value::Float(9_223_372_036_854_775_808.0),
                Value::Int(0),
            ]
        );
        let floats = items("[1.5, .5, -2e3, .inf, -.inf, .NaN, -.nan, inf, nan, 1.2.3, 1e999]");
        assert_eq!(
            floats[..3],
            [Value::Float(1.5), Value::Float(0.5), Value::Float(-2000.0)]
        );
        assert_eq!(floats[3], Value::Float(f64::INFINITY));
        assert_eq!(floats[4], Value::Float(f64::NEG_INFINITY));
        assert!(matches!(floats[5], Value::Float(f) if f.is_nan()));
        assert_eq!(floats[6..10], [s("-.nan"), s("inf"), s("nan"), s("1.2.3")]);
        assert_eq!(floats[10], Value::Float(f64::INFINITY));
        // Quoted and block scalars are always text.
        assert_eq!(
            parse("a: '1'\nb: \"true\"\nc: |\n  12\nd: >\n  ~\n").map(|n| match n.value {
                Value::Map(e) => e.into_iter().map(|(_, v)| v.value).collect::<Vec<_>>(),
                _ => vec![],
            }),
            Ok(vec![s("1"), s("true"), s("12\n"), s("~\n")])
        );
    }

    #[test]
    fn tags_are_few_and_strict() {
        assert_eq!(
            items("[!!str 1, !!str null, ! 5, !!int 7, !!float 1, !!bool true, !!null x]"),
            [
                Value::Str("1".into()),
                Value::Str("null".into()),
                Value::Str("5".into()),
                Value::Int(7),
                Value::Float(1.0),
                Value::Bool(true),
                Value::Null,
            ]
        );
        let err = parse("a: !!int x\n").expect_err("not an int");
        assert_eq!(
            err.loc,
            Loc {
                line: 1,
                column: 10
            }
        );
        let err = parse("a: !custom x\n").expect_err("unknown tag");
        assert!(err.message.contains("`!custom`"), "{err:?}");
        assert!(parse("!!map {a: !!seq [b]}").is_ok());
        assert!(parse("!!seq {a: b}").is_err());
    }

    #[test]
    fn duplicate_key_names_the_key_and_points_at_it() {
        let err = parse("cards:\n  - id: a\n    kind: x\n    id: b\n").expect_err("duplicate");
        assert_eq!(err.loc, Loc { line: 4, column: 5 });
        assert_eq!(err.message, "duplicate key `id`");
        // Large mappings use a hash index; quoted and plain spellings are the same key.
        let mut big: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(parse(&big).is_ok());
        big.push_str("'k7': again\n");
        let err = parse(&big).expect_err("duplicate in a large mapping");
        assert_eq!(
            err.loc,
            Loc {
                line: 41,
                column: 1
            }
        );
        assert_eq!(err.message, "duplicate key `k7`");
        // Complex keys compare by value, not by where they are.
        assert!(parse("? [a]\n: 1\n? [a]\n: 2\n").is_err());
        assert!(parse("1: a\n'1': b\n").is_ok());
    }

    #[test]
    fn aliases_copy_the_anchored_node_at_the_alias() {
        let node = parse("a: &x [1, {b: 2}]\nc: *x\n").expect("valid yaml");
        let Value::Map(entries) = &node.value else {
            panic!("expected a map")
        };
        let (orig, copy) = (&entries[0].1, &entries[1].1);
        let here = Loc { line: 2, column: 4 };
        assert_eq!(copy.loc, here);
        let (Value::Seq(a), Value::Seq(b)) = (&orig.value, &copy.value) else {
            panic!("expected lists")
        };
        assert_eq!(a.len(), b.len());
        assert!(b.iter().all(|n| n.loc == here));
        assert!(same_value(&orig.value, &copy.value));
        // An alias inside its own anchor cannot be copied.
        assert!(parse("&a [*a]").is_err());
        assert!(parse("a: *nope\n").is_err());
    }

    #[test]
    fn budgets_name_what_was_breached() {
        let bomb = alias_bomb();
        let err = parse(&bomb).expect_err("bomb");
        assert_eq!(err.budget, Some(Budget::AliasCopies), "{err:?}");

        // Many plain items: nodes, not aliases, and refused near the file's own size.
        let list = format!("[{}a]", "a,".repeat(100_000));
        let err = parse(&list).expect_err("too many items");
        assert_eq!(err.budget, Some(Budget::Nodes), "{err:?}");
        let list = format!("[{}a]", "a,".repeat(5_000));
        assert!(parse(&list).is_ok());

        let many: String = std::iter::once("- &a x\n".to_string())
            .chain((0..1_001).map(|_| "- *a\n".to_string()))
            .collect();
        let err = parse(&many).expect_err("too many aliases");
        assert!(
            err.message.contains("budget breached") && err.message.contains("Alias"),
            "{err:?}"
        );
        assert_eq!(
            err.loc,
            Loc {
                line: 1_002,
                column: 3
            }
        );

        let deep = format!("x: {}{}", "[".repeat(200), "]".repeat(200));
        let err = parse(&deep).expect_err("too deep");
        assert!(
            err.message.contains("budget breached") && err.message.contains("Depth"),
            "{err:?}"
        );
        // The root mapping is level 1, so the 64th `[` is level 65.
        assert_eq!(
            err.loc,
            Loc {
                line: 1,
                column: 67
            }
        );
        let ok = format!("x: {}{}", "[".repeat(63), "]".repeat(63));
        assert!(parse(&ok).is_ok());

        // Copies count towards the depth where they land.
        let nested = format!("a: &n {}{}\nb: [*n]\n", "[".repeat(63), "]".repeat(63));
        let err = parse(&nested).expect_err("copy nests too deep");
        assert!(err.message.contains("Depth"), "{err:?}");
        assert_eq!(err.loc, Loc { line: 2, column: 5 });
    }

    #[test]
    fn one_document_per_file() {
        let err = parse("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert_eq!(err.loc, Loc { line: 2, column: 1 });
        assert!(err.message.contains("second"), "{err:?}");
        assert!(parse("---\na: 1\n...\n").is_ok());
    }

    #[test]
    fn syntax_errors_keep_the_parser_message() {
        let err = parse("a: 1\nb: [1, 2\nc: 3\n").expect_err("unclosed flow list");
        assert_eq!(err.loc, Loc { line: 3, column: 2 });
        assert_eq!(err.message, "illegal placement of ':' indicator");
    }

    #[test]
    fn comments_and_non_ascii_columns() {
        let node = parse("# head\né: ü # tail\nx: \"é\"\n").expect("valid yaml");
        let Value::Map(entries) = &node.value else {
            panic!("expected a map")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].1.loc, Loc { line: 2, column: 4 });
        assert_eq!(entries[1].1.value, Value::Str("é".into()));
    }
}
