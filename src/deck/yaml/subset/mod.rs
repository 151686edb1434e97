//! A fast reader for the plain block-style YAML that deck files are written in.
//!
//! granit-parser reads all of YAML, one character and one token at a time, and that was two
//! thirds of a first load's time. Deck files use a small part of the language: block mappings
//! with simple keys, block sequences, one-line plain and quoted scalars, one-line flow lists
//! and mappings of scalars, and literal (`|`) and folded (`>`) block scalars. This reader
//! handles exactly that part, line by line, and builds the same tree granit-parser's events
//! would.
//!
//! It never reports an error: at the first thing outside the part it knows (a tab in an
//! indent, an anchor, a multi-line quoted scalar, a duplicate key, a budget reached, anything
//! malformed) it declines with `None`, and [`super::parse`] reads the file with granit-parser, which then
//! says what is wrong with its own message. So the subset only has to be *sure* of what it
//! accepts: its tests compare the two readers' trees on the bundled decks, generated
//! libraries, serializer output and thousands of mutated files.

mod scalars;
mod text;

use super::builder::{is_duplicate, scalar_bytes};
use super::{Loc, MAX_SCALAR_BYTES, Node, Value, node_limit};
use scalars::plain_value;
use std::collections::HashMap;
use text::{leading_spaces, line_ends};

/// Deepest nesting the subset reads itself (granit-parser's limit is [`super::MAX_DEPTH`]).
const MAX_SUBSET_DEPTH: usize = 32;

/// Reads `text` if it is in the subset; `None` means "read it with the general parser".
pub(super) fn parse(text: &str) -> Option<Node> {
    let ends = line_ends(text.as_bytes())?;
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        end: ends.first().copied().unwrap_or(text.len()),
        ends,
        column_at: (0, 0),
        line: 1,
        nodes: 0,
        node_limit: node_limit(text.len()),
        scalar_bytes: 0,
        refused: false,
    };
    let indent = r.next_significant()?;
    let root = r.block(indent, 1)?;
    // Anything left over (a less indented line, a second root) is for granit-parser to judge.
    if r.next_significant().is_some() || r.refused {
        return None;
    }
    Some(root)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Start of the current line.
    pos: usize,
    /// End of the current line (its `\n`, or the text's end).
    end: usize,
    /// Where each line ends (line `n` at index `n - 1`).
    ends: Vec<usize>,
    /// A byte of the current line and its column (0-based, in characters).
    column_at: (usize, usize),
    /// 1-based number of the current line.
    line: u32,
    nodes: usize,
    node_limit: usize,
    scalar_bytes: usize,
    /// Set at a line the subset does not read, where the reader may have stopped as if at the
    /// end of the text.
    refused: bool,
}

/// A byte that may appear in a simple mapping key.
fn key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/')
}

impl<'a> Reader<'a> {
    /// End of line `line` (1-based): the index of its `\n`, or the text's end.
    fn line_end(&self, line: u32) -> usize {
        self.ends
            .get((line as usize).saturating_sub(1))
            .copied()
            .unwrap_or(self.bytes.len())
    }

    /// Moves to the next line (its end found once, here).
    fn next_line(&mut self) {
        self.pos = self.end + 1;
        self.line += 1;
        self.end = self.line_end(self.line);
        self.column_at = (self.pos, 0);
    }

    fn byte(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(b'\n')
    }

    /// Moves past blank and comment lines; returns the indent of the next line with content,
    /// or `None` at the end of the text or at a line the subset does not read (a tab in its
    /// indent, a document marker), which also sets `refused`.
    fn next_significant(&mut self) -> Option<usize> {
        while self.pos < self.bytes.len() {
            let line = &self.bytes[self.pos..self.end];
            let indent = leading_spaces(line);
            match line.get(indent) {
                None | Some(b'#') => self.next_line(),
                Some(b'\t') => {
                    self.refused = true;
                    return None;
                }
                Some(_) if indent == 0 && is_document_marker(line) => {
                    self.refused = true;
                    return None;
                }
                Some(_) => return Some(indent),
            }
        }
        None
    }

    fn count(&mut self, value: &Value) -> Option<()> {
        self.nodes += 1;
        self.scalar_bytes += scalar_bytes(value);
        (self.nodes <= self.node_limit && self.scalar_bytes <= MAX_SCALAR_BYTES).then_some(())
    }

    /// The location of byte `at` of the current line. Columns count characters, from the
    /// last place asked for when `at` is past it, so a long line costs one pass, not one per
    /// value on it.
    fn loc(&mut self, at: usize) -> Loc {
        if at < self.column_at.0 {
            self.column_at = (self.pos, 0);
        }
        let (from, chars) = self.column_at;
        let between = &self.text[from..at];
        let column = chars
            + if between.is_ascii() {
                between.len()
            } else {
                between.chars().count()
            };
        self.column_at = (at, column);
        Loc {
            line: self.line,
            column: u32::try_from(column + 1).unwrap_or(0),
        }
    }

    /// The block collection whose first line is the current one, `indent` spaces in.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node> {
        if depth > MAX_SUBSET_DEPTH {
            return None;
        }
        if self.is_entry(self.pos + indent) {
            self.seq(indent, depth, false)
        } else {
            self.map(indent, depth)
        }
    }

    /// Whether a sequence entry (`-` then a space or the line's end) starts at `at`.
    fn is_entry(&self, at: usize) -> bool {
        self.byte(at) == b'-' && matches!(self.byte(at + 1), b' ' | b'\n')
    }

    /// The index of the `:` ending a simple key that starts at `at`, if one does.
    fn key_end(&self, at: usize) -> Option<usize> {
        let first = self.byte(at);
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let mut i = at + 1;
        while key_byte(self.byte(i)) {
            i += 1;
        }
        (self.byte(i) == b':' && matches!(self.byte(i + 1), b' ' | b'\n')).then_some(i)
    }

    /// The simple key starting at `at` of a mapping (block or flow) holding `entries` so far,
    /// and the index of its `:`; `None` if there is none or it repeats one of `entries`.
    fn key(
        &mut self,
        at: usize,
        entries: &[(Node, Node)],
        index: &mut Option<HashMap<u64, usize>>,
    ) -> Option<(Node, usize)> {
        let colon = self.key_end(at)?;
        let key = Node {
            loc: self.loc(at),
            value: plain_value(&self.text[at..colon]),
        };
        self.count(&key.value)?;
        if is_duplicate(entries, index, &key.value) {
            return None;
        }
        Some((key, colon))
    }

    /// A block mapping whose keys stand at column `indent`; its first key is on the current
    /// line (perhaps after a sequence's `- `).
    fn map(&mut self, indent: usize, depth: usize) -> Option<Node> {
        let loc = self.loc(self.pos + indent);
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut index = None;
        loop {
            let (key, colon) = self.key(self.pos + indent, &entries, &mut index)?;
            let value = self.map_value(colon + 1, indent, depth)?;
            entries.push((key, value));
            match self.next_significant() {
                Some(next) if next == indent => {}
                Some(next) if next > indent => return None,
                _ => break,
            }
        }
        let value = Value::Map(entries);
        self.count(&value)?;
        Some(Node { loc, value })
    }

    /// The value after a key's `:` at `after`, in a mapping at column `indent`.
    fn map_value(&mut self, after: usize, indent: usize, depth: usize) -> Option<Node> {
        let eol = self.end;
        let start = self.skip_spaces(after, eol);
        if start < eol && self.byte(start) != b'#' {
            return self.inline(start, eol, indent, depth);
        }
        // Nothing on the key's line: the value is the block below it.
        self.next_line();
        let next = self.next_significant()?;
        if next > indent {
            self.block(next, depth + 1)
        } else if next == indent && self.is_entry(self.pos + next) {
            self.seq(next, depth + 1, true)
        } else {
            None
        }
    }

    fn skip_spaces(&self, mut i: usize, eol: usize) -> usize {
        while i < eol && self.bytes[i] == b' ' {
            i += 1;
        }
        i
    }

    /// A block sequence whose `-` marks stand at column `indent`, its first on the current
    /// line; `indentless` when it is a mapping's value at the mapping's own column (granit-parser
    /// then places it at its first item, not at the first `-`).
    fn seq(&mut self, indent: usize, depth: usize, indentless: bool) -> Option<Node> {
        let mut loc = self.loc(self.pos + indent);
        let mut items = Vec::new();
        loop {
            let dash = self.pos + indent;
            let eol = self.end;
            let start = self.skip_spaces(dash + 1, eol);
            // An empty entry or one whose node starts on a later line.
            if start >= eol || self.byte(start) == b'#' || self.is_entry(start) {
                return None;
            }
            if indentless && items.is_empty() {
                loc = self.loc(start);
            }
            let item = if self.key_end(start).is_some() {
                self.map(start - self.pos, depth + 1)?
            } else {
                self.inline(start, eol, indent, depth)?
            };
            items.push(item);
            match self.next_significant() {
                Some(next) if next == indent && self.is_entry(self.pos + next) => {}
                Some(next) if next > indent => return None,
                _ => break,
            }
        }
        let value = Value::Seq(items);
        self.count(&value)?;
        Some(Node { loc, value })
    }

    /// A value that starts on this line at `start`, in a collection at column `indent`;
    /// leaves the reader on the line after it.
    fn inline(&mut self, start: usize, eol: usize, indent: usize, depth: usize) -> Option<Node> {
        let loc = self.loc(start);
        let (value, end) = match self.bytes[start] {
            b'"' => self.double_quoted(start + 1, eol)?,
            b'\'' => self.single_quoted(start + 1, eol)?,
            b'[' | b'{' => {
                if depth + 1 > MAX_SUBSET_DEPTH {
                    return None;
                }
                self.flow(start, eol)?
            }
            indicator @ (b'|' | b'>') => {
                let (value, loc) = self.block_scalar(start + 1, eol, indent, indicator == b'>')?;
                self.count(&value)?;
                return Some(Node { loc, value });
            }
            b'-' if matches!(self.byte(start + 1), b' ' | b'\n') => return None,
            b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'#' | b',' | b']' | b'}' | b'?' | b':' => {
                return None;
            }
            _ => self.plain(start, eol)?,
        };
        // After the value: only spaces and perhaps a comment.
        let rest = self.skip_spaces(end, eol);
        if rest < eol && !(self.bytes[rest] == b'#' && rest > end) {
            return None;
        }
        self.count(&value)?;
        self.next_line();
        Some(Node { loc, value })
    }
}

/// `---` or `...` alone or before a space: a document marker.
fn is_document_marker(line: &[u8]) -> bool {
    (line.starts_with(b"---") || line.starts_with(b"..."))
        && matches!(line.get(3), None | Some(b' ' | b'\t'))
}

#[cfg(test)]
mod generated_tests;
#[cfg(test)]
mod tests;
