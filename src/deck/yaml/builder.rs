//! Building the node tree from parser events: collections, anchors and aliases under the
//! budget, duplicate keys.

use super::{
    Budget, LINEAR_KEY_SCAN, Loc, MAX_ALIAS_COPIES, MAX_ALIASES, MAX_DEPTH, MAX_SCALAR_BYTES, Node,
    Value, YamlError, budget_error,
};
use granit_parser::Tag;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A mapping or sequence still being read.
pub(super) struct Frame {
    loc: Loc,
    anchor: usize,
    kind: Kind,
}

/// A collection's children wait in the builder's shared buffers (from `start` on) until it ends,
/// then move into one exactly sized vector: far fewer allocations than growing each vector.
pub(super) enum Kind {
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
pub(super) struct Anchored {
    node: Node,
    nodes: usize,
    bytes: usize,
    height: usize,
}

#[derive(Default)]
pub(super) struct Builder {
    pub(super) stack: Vec<Frame>,
    /// Items of the open sequences, innermost last.
    pub(super) items: Vec<Node>,
    /// Entries of the open mappings, innermost last.
    pub(super) entries: Vec<(Node, Node)>,
    pub(super) root: Option<Node>,
    pub(super) anchors: HashMap<usize, Anchored>,
    pub(super) aliases: usize,
    /// Nodes copied by aliases so far.
    pub(super) copied: usize,
    pub(super) nodes: usize,
    pub(super) node_limit: usize,
    pub(super) bytes: usize,
}

impl Builder {
    pub(super) fn bump(&mut self, nodes: usize, bytes: usize, loc: Loc) -> Result<(), YamlError> {
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
    pub(super) fn bump_copy(
        &mut self,
        nodes: usize,
        bytes: usize,
        loc: Loc,
    ) -> Result<(), YamlError> {
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

    pub(super) fn check_depth(&self, extra: usize, loc: Loc) -> Result<(), YamlError> {
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

    pub(super) fn open(&mut self, loc: Loc, anchor: usize, kind: Kind) -> Result<(), YamlError> {
        self.check_depth(1, loc)?;
        self.bump(1, 0, loc)?;
        self.stack.push(Frame { loc, anchor, kind });
        Ok(())
    }

    pub(super) fn close(&mut self) -> Result<(), YamlError> {
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

    pub(super) fn alias(&mut self, id: usize, loc: Loc) -> Result<(), YamlError> {
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
    pub(super) fn finish(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
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
pub(super) fn is_duplicate(
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
pub(super) fn same_value(a: &Value, b: &Value) -> bool {
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

pub(super) fn scalar_bytes(v: &Value) -> usize {
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

pub(super) fn check_collection_tag(
    tag: Option<&Tag>,
    expected: &str,
    loc: Loc,
) -> Result<(), YamlError> {
    match tag {
        None => Ok(()),
        Some(t) if t.core_suffix() == Some(expected) => Ok(()),
        Some(t) => Err(unsupported_tag(t, loc)),
    }
}

pub(super) fn unsupported_tag(tag: &Tag, loc: Loc) -> YamlError {
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
