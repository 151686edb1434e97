//! Problems found in deck files, reported the way a compiler reports them.

use super::yaml::Loc;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing; the deck still loads.
    Warning,
    /// The card (or the whole file, if it cannot be read) is left out.
    Error,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file as shown to the user (a path, or `bundled:…` for built-in content).
    pub path: String,
    /// 1-based line (0 when the problem concerns the whole file).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Diagnostic {
    /// An error at `loc` of `path`.
    pub fn error(
        path: &str,
        loc: Loc,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, path, loc, message, hint)
    }

    /// A warning at `loc` of `path`.
    pub fn warning(
        path: &str,
        loc: Loc,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, path, loc, message, hint)
    }

    fn new(
        severity: Severity,
        path: &str,
        loc: Loc,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            path: path.to_string(),
            line: loc.line,
            column: loc.column,
            severity,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:column: error: what is wrong — what to do`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            self.path, self.line, self.column, self.message
        )?;
        if !self.hint.is_empty() {
            write!(f, " — {}", self.hint)?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, then position, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_a_compiler() {
        let d = Diagnostic::error(
            "decks/kms.yaml",
            Loc {
                line: 12,
                column: 5,
            },
            "unknown field `promt`",
            "did you mean `prompt`?",
        );
        assert_eq!(
            d.to_string(),
            "decks/kms.yaml:12:5: error: unknown field `promt` — did you mean `prompt`?"
        );
    }
}
