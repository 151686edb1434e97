//! Reading a YAML mapping field by field, collecting every problem instead of stopping.

use super::diagnostics::{Diagnostic, Severity};
use super::yaml::{Loc, Node, Value};

/// Most diagnostics kept per file; the rest are counted by kind, so a file of half a million
/// unknown fields costs a few hundred lines, not gigabytes in the Problems panel.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 200;

/// Collects diagnostics for one file.
pub struct Sink<'a> {
    /// File name as shown to the user.
    pub path: &'a str,
    diags: Vec<Diagnostic>,
    errors: usize,
    /// Dropped diagnostics: (severity, kind) → how many, in first-seen order.
    dropped: Vec<((Severity, String), usize)>,
}

impl<'a> Sink<'a> {
    /// A sink for `path`.
    pub fn new(path: &'a str) -> Self {
        Self {
            path,
            diags: Vec::new(),
            errors: 0,
            dropped: Vec::new(),
        }
    }

    /// Records an error.
    pub fn error(&mut self, loc: Loc, message: impl Into<String>, hint: impl Into<String>) {
        self.errors += 1;
        self.push(Severity::Error, loc, message.into(), hint);
    }

    /// Records a warning.
    pub fn warning(&mut self, loc: Loc, message: impl Into<String>, hint: impl Into<String>) {
        self.push(Severity::Warning, loc, message.into(), hint);
    }

    fn push(&mut self, severity: Severity, loc: Loc, message: String, hint: impl Into<String>) {
        if self.diags.len() < MAX_DIAGNOSTICS_PER_FILE {
            let d = match severity {
                Severity::Error => Diagnostic::error(self.path, loc, message, hint),
                Severity::Warning => Diagnostic::warning(self.path, loc, message, hint),
            };
            self.diags.push(d);
            return;
        }
        let key = (severity, kind_of(&message));
        // Kinds are few in practice; a flood of distinct ones still stays bounded.
        let key = if self.dropped.len() < 50 || self.dropped.iter().any(|(k, _)| *k == key) {
            key
        } else {
            (severity, "other problems".to_string())
        };
        match self.dropped.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => self.dropped.push((key, 1)),
        }
    }

    /// Number of errors so far (to tell whether a part added any), dropped ones included.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// The diagnostics, with one "and N more" line per kind of those past the cap.
    pub fn into_diags(self) -> Vec<Diagnostic> {
        let mut out = self.diags;
        for ((severity, kind), n) in self.dropped {
            let message = format!(
                "and {n} more of the same kind: {kind} (only the first {MAX_DIAGNOSTICS_PER_FILE} problems of a file are listed)"
            );
            let hint = "fix the problems above and check again";
            out.push(match severity {
                Severity::Error => Diagnostic::error(self.path, Loc::default(), message, hint),
                Severity::Warning => Diagnostic::warning(self.path, Loc::default(), message, hint),
            });
        }
        out
    }
}

/// A message with its quoted parts (`…`) elided: "unknown field `…` in card".
fn kind_of(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        } else {
            out.push_str("`…`");
        }
    }
    out.chars().take(120).collect()
}

/// At most `max` characters of text from a file, for a message: a file that is not a deck
/// (a link to someone's secrets, say) is never echoed at length.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The fields of one mapping, taken one by one; what is left over is unknown.
pub struct Fields<'n> {
    /// Location of the mapping itself.
    pub loc: Loc,
    entries: Vec<(&'n str, Loc, &'n Node)>,
    what: &'static str,
}

impl<'n> Fields<'n> {
    /// Opens `node` as a mapping describing `what` (e.g. "card"); reports if it is not one.
    pub fn open(node: &'n Node, what: &'static str, sink: &mut Sink) -> Option<Self> {
        let Value::Map(map) = &node.value else {
            sink.error(
                node.loc,
                format!(
                    "expected a {what} (a mapping of fields), found {}",
                    node.value.type_name()
                ),
                "write `field: value` lines here",
            );
            return None;
        };
        let mut entries = Vec::with_capacity(map.len());
        for (k, v) in map {
            match &k.value {
                Value::Str(s) => entries.push((s.as_str(), k.loc, v)),
                other => sink.error(
                    k.loc,
                    format!("a field name must be text, found {}", other.type_name()),
                    "",
                ),
            }
        }
        Some(Self {
            loc: node.loc,
            entries,
            what,
        })
    }

    /// Removes and returns field `name`, if present and not null.
    pub fn take(&mut self, name: &str) -> Option<&'n Node> {
        let i = self.entries.iter().position(|(k, _, _)| *k == name)?;
        let (_, _, node) = self.entries.remove(i);
        (node.value != Value::Null).then_some(node)
    }

    /// Location of field `name`'s key, if present (without taking it).
    pub fn key_loc(&self, name: &str) -> Option<Loc> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == name)
            .map(|(_, l, _)| *l)
    }

    /// Takes a required text field.
    pub fn required_str(&mut self, name: &str, sink: &mut Sink) -> Option<(String, Loc)> {
        match self.take(name) {
            Some(n) => as_str(n, name, sink).map(|s| (s, n.loc)),
            None => {
                sink.error(
                    self.loc,
                    format!("{} is missing required field `{name}`", self.what),
                    format!("add `{name}: …`"),
                );
                None
            }
        }
    }

    /// Takes an optional text field.
    pub fn opt_str(&mut self, name: &str, sink: &mut Sink) -> Option<String> {
        self.take(name).and_then(|n| as_str(n, name, sink))
    }

    /// Takes an optional list of text.
    pub fn str_list(&mut self, name: &str, sink: &mut Sink) -> Vec<String> {
        let Some(node) = self.take(name) else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => items.iter().filter_map(|i| as_str(i, name, sink)).collect(),
            // A lone string is accepted as a one-item list: `tags: logging`.
            Value::Str(s) => vec![s.clone()],
            other => {
                sink.error(
                    node.loc,
                    format!("`{name}` must be a list, found {}", other.type_name()),
                    format!("write `{name}: [a, b]`"),
                );
                Vec::new()
            }
        }
    }

    /// Reports every field not taken as unknown, with a suggestion when one is close.
    pub fn finish(self, known: &[&str], sink: &mut Sink) {
        for (name, loc, _) in self.entries {
            // A long name is no typo of a short field name (and edit distance costs its length).
            let near = if name.len() <= 64 {
                closest(name, known)
            } else {
                None
            };
            let hint = match near {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known fields of a {}: {}", self.what, known.join(", ")),
            };
            sink.error(
                loc,
                format!("unknown field `{}` in {}", excerpt(name, 40), self.what),
                hint,
            );
        }
    }
}

/// Reads a scalar as text (numbers are accepted as text, as authors write `version: 2026.11`).
pub fn as_str(node: &Node, name: &str, sink: &mut Sink) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        other => {
            sink.error(
                node.loc,
                format!("`{name}` must be text, found {}", other.type_name()),
                "quote it if needed: \"…\"",
            );
            None
        }
    }
}

/// Reads a boolean.
pub fn as_bool(node: &Node, name: &str, sink: &mut Sink) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        other => {
            sink.error(
                node.loc,
                format!(
                    "`{name}` must be true or false, found {}",
                    other.type_name()
                ),
                "",
            );
            None
        }
    }
}

/// Reads a non-negative whole number.
pub fn as_u32(node: &Node, name: &str, sink: &mut Sink) -> Option<u32> {
    match &node.value {
        Value::Int(i) if *i >= 0 => u32::try_from(*i).ok(),
        other => {
            sink.error(
                node.loc,
                format!(
                    "`{name}` must be a whole number ≥ 0, found {}",
                    other.type_name()
                ),
                "",
            );
            None
        }
    }
}

/// Reads a number.
pub fn as_f64(node: &Node, name: &str, sink: &mut Sink) -> Option<f64> {
    match &node.value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        other => {
            sink.error(
                node.loc,
                format!("`{name}` must be a number, found {}", other.type_name()),
                "",
            );
            None
        }
    }
}

/// Reads a list, reporting anything else.
pub fn as_seq<'n>(node: &'n Node, name: &str, sink: &mut Sink) -> Option<&'n [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        other => {
            sink.error(
                node.loc,
                format!("`{name}` must be a list, found {}", other.type_name()),
                format!("write each item of `{name}` on its own `- ` line"),
            );
            None
        }
    }
}

/// The known name closest to `name` by edit distance, if close enough to be a typo.
pub fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos() {
        assert_eq!(closest("promt", &["prompt", "answer"]), Some("prompt"));
        assert_eq!(
            closest("explaination", &["explanation"]),
            Some("explanation")
        );
        assert_eq!(closest("zzz", &["prompt", "answer"]), None);
    }
}
