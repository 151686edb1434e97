//! The scalars and one-line flow collections the subset reads.

use super::Reader;
use super::text::leading_spaces;
use crate::deck::yaml::scalar::resolve_plain;
use crate::deck::yaml::{Loc, Node, Value};
use std::borrow::Cow;

/// A plain scalar's value: text, unless it starts like a null, a boolean or a number.
pub(super) fn plain_value(text: &str) -> Value {
    match text.as_bytes().first() {
        Some(b)
            if b.is_ascii_alphabetic() && !matches!(b, b'n' | b'N' | b't' | b'T' | b'f' | b'F') =>
        {
            Value::Str(text.to_owned())
        }
        _ => resolve_plain(Cow::Borrowed(text)),
    }
}

impl Reader<'_> {
    /// A one-line plain scalar from `start`; returns it and where it ends.
    pub(super) fn plain(&self, start: usize, eol: usize) -> Option<(Value, usize)> {
        let mut end = eol;
        let mut i = start;
        while i < eol {
            match self.bytes[i] {
                b'\t' => return None,
                b'#' if self.bytes[i - 1] == b' ' => {
                    end = i;
                    break;
                }
                b':' if matches!(self.byte(i + 1), b' ' | b'\n') => return None,
                _ => {}
            }
            i += 1;
        }
        let text = self.text[start..end].trim_end_matches(' ');
        Some((plain_value(text), start + text.len()))
    }

    /// A one-line double-quoted scalar whose text starts at `from`.
    pub(super) fn double_quoted(&self, from: usize, eol: usize) -> Option<(Value, usize)> {
        let mut out = String::new();
        let mut run = from;
        let mut i = from;
        while i < eol {
            match self.bytes[i] {
                b'"' => {
                    out.push_str(&self.text[run..i]);
                    return Some((Value::Str(out), i + 1));
                }
                b'\\' => {
                    out.push_str(&self.text[run..i]);
                    let (c, len) = escape(&self.text[i + 1..eol])?;
                    out.push(c);
                    i += 1 + len;
                    run = i;
                }
                _ => i += 1,
            }
        }
        None
    }

    /// A one-line single-quoted scalar whose text starts at `from`.
    pub(super) fn single_quoted(&self, from: usize, eol: usize) -> Option<(Value, usize)> {
        let mut out = String::new();
        let mut run = from;
        let mut i = from;
        while i < eol {
            if self.bytes[i] == b'\'' {
                out.push_str(&self.text[run..i]);
                if self.byte(i + 1) == b'\'' {
                    out.push('\'');
                    i += 2;
                    run = i;
                    continue;
                }
                return Some((Value::Str(out), i + 1));
            }
            i += 1;
        }
        None
    }

    /// A one-line flow list or mapping of scalars (`[kms, rotation]`,
    /// `{left: a, right: "b, c"}`) whose bracket is at `open`; returns it and where it ends.
    pub(super) fn flow(&mut self, open: usize, eol: usize) -> Option<(Value, usize)> {
        let is_map = self.bytes[open] == b'{';
        let close = if is_map { b'}' } else { b']' };
        let mut items = Vec::new();
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut index = None;
        let mut i = self.skip_spaces(open + 1, eol);
        if self.byte(i) != close {
            loop {
                if is_map {
                    let (key, colon) = self.key(i, &entries, &mut index)?;
                    let (value, next) = self.flow_scalar(self.skip_spaces(colon + 1, eol), eol)?;
                    entries.push((key, value));
                    i = next;
                } else {
                    let (item, next) = self.flow_scalar(i, eol)?;
                    items.push(item);
                    i = next;
                }
                i = self.skip_spaces(i, eol);
                match self.byte(i) {
                    b',' => {
                        i = self.skip_spaces(i + 1, eol);
                        // A trailing comma: for granit-parser.
                        if self.byte(i) == close {
                            return None;
                        }
                    }
                    b if b == close => break,
                    _ => return None,
                }
            }
        }
        let value = if is_map {
            Value::Map(entries)
        } else {
            Value::Seq(items)
        };
        Some((value, i + 1))
    }

    /// A quoted or plain scalar inside a one-line flow collection, starting at `at`; returns
    /// it and where it ends.
    fn flow_scalar(&mut self, at: usize, eol: usize) -> Option<(Node, usize)> {
        let loc = self.loc(at);
        let (value, end) = match self.byte(at) {
            b'"' => self.double_quoted(at + 1, eol)?,
            b'\'' => self.single_quoted(at + 1, eol)?,
            b if b.is_ascii_punctuation() && !matches!(b, b'.' | b'_' | b'/' | b'(' | b'$') => {
                return None;
            }
            b'\n' | b' ' => return None,
            _ => {
                let mut i = at;
                while i < eol {
                    match self.bytes[i] {
                        b',' | b']' | b'}' => break,
                        b'[' | b'{' | b'#' | b'\t' => return None,
                        // A colon inside a word (`s3:GetObject`) is text; before a space,
                        // a comma or a bracket it would be a key.
                        b':' if matches!(
                            self.byte(i + 1),
                            b' ' | b',' | b'[' | b']' | b'{' | b'}' | b'\n'
                        ) =>
                        {
                            return None;
                        }
                        _ => i += 1,
                    }
                }
                let word = self.text[at..i].trim_end_matches(' ');
                (plain_value(word), i)
            }
        };
        self.count(&value)?;
        Some((Node { loc, value }, end))
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header (after the indicator) starts
    /// at `from`, in a collection at column `indent`, and where granit-parser places it (its
    /// first line of content); leaves the reader on the first line after it.
    pub(super) fn block_scalar(
        &mut self,
        from: usize,
        eol: usize,
        indent: usize,
        folded: bool,
    ) -> Option<(Value, Loc)> {
        let strip = match self.byte(from) {
            b'-' => true,
            b' ' | b'\n' => false,
            // Keep chomping, an explicit indentation or a comment: for granit-parser.
            _ => return None,
        };
        let header_end = from + usize::from(strip);
        if self.skip_spaces(header_end, eol) != eol {
            return None;
        }
        self.next_line();
        // The first line with content sets the scalar's indentation.
        let mut blank_spaces = 0;
        let mut scan = self.pos;
        let mut line = self.line;
        let content_indent = loop {
            if scan >= self.bytes.len() {
                return None;
            }
            let end = self.line_end(line);
            let spaces = leading_spaces(&self.bytes[scan..end]);
            if scan + spaces == end {
                blank_spaces = blank_spaces.max(spaces);
                scan = end + 1;
                line += 1;
                continue;
            }
            break spaces;
        };
        if content_indent <= indent || blank_spaces > content_indent {
            return None;
        }
        let loc = Loc {
            line,
            column: u32::try_from(content_indent + 1).unwrap_or(0),
        };
        let mut out = String::new();
        let mut pending = 0usize;
        let mut first = true;
        while self.pos < self.bytes.len() {
            let end = self.end;
            let line = &self.bytes[self.pos..end];
            let spaces = leading_spaces(line);
            if spaces == line.len() {
                if spaces > content_indent {
                    return None;
                }
                pending += 1;
            } else if spaces >= content_indent {
                let text = &self.text[self.pos + content_indent..end];
                if folded {
                    // Lines that start with white space are kept as they are, by rules the
                    // subset does not copy; so are blank lines before the first.
                    if spaces > content_indent || text.starts_with('\t') || (first && pending > 0) {
                        return None;
                    }
                    if !first && pending == 0 {
                        out.push(' ');
                    } else if !first {
                        out.extend(std::iter::repeat_n('\n', pending));
                    }
                    out.push_str(text);
                } else {
                    if text.starts_with('\t') {
                        return None;
                    }
                    out.extend(std::iter::repeat_n('\n', pending));
                    out.push_str(text);
                    out.push('\n');
                }
                pending = 0;
                first = false;
            } else {
                // A less indented line ends the scalar; a tab there is for granit-parser.
                if line[spaces] == b'\t' {
                    return None;
                }
                break;
            }
            self.next_line();
        }
        if folded && !strip {
            out.push('\n');
        } else if !folded && strip {
            out.pop();
        }
        Some((Value::Str(out), loc))
    }
}

/// One escape of a double-quoted scalar, `rest` starting after the backslash: the character
/// and how many bytes the escape took.
fn escape(rest: &str) -> Option<(char, usize)> {
    let b = *rest.as_bytes().first()?;
    let simple = match b {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(rest, 2),
        b'u' => return hex(rest, 4),
        b'U' => return hex(rest, 8),
        _ => return None,
    };
    Some((simple, 1))
}

fn hex(rest: &str, digits: usize) -> Option<(char, usize)> {
    let h = rest.get(1..1 + digits)?;
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(h, 16).ok()?)?;
    Some((c, 1 + digits))
}
