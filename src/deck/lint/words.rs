//! Words as the linter sees them: tokens, stop words, domain-common words, a rough stem, and
//! a verb-first test. Deliberately simple: the rules only need to be right most of the time,
//! and an author can silence a rule on a card they have judged.

use std::collections::{BTreeMap, BTreeSet};

/// Function words that carry no content.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "each",
    "either",
    "for",
    "from",
    "had",
    "has",
    "have",
    "how",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "may",
    "more",
    "most",
    "must",
    "no",
    "not",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "same",
    "should",
    "so",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "two",
    "three",
    "under",
    "up",
    "was",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "you",
    "your",
    "we",
    "our",
    "us",
    "i",
    "my",
    "me",
    "he",
    "she",
    "his",
    "her",
    "over",
    "between",
    "out",
    "off",
    "per",
    "via",
    "own",
    "every",
    "some",
    "many",
    "much",
    "very",
    "just",
    "choose",
    "select",
    "following",
    "true",
    "false",
    "first",
    "next",
    "least",
    "best",
    "meets",
    "meet",
    "requirement",
    "requirements",
    "solution",
    "solutions",
    "company",
    "team",
    "needs",
    "need",
    "wants",
    "want",
    "order",
    "step",
    "steps",
    "way",
    "ways",
    "new",
    "use",
    "used",
    "using",
];

/// Words common to the whole subject, never distinctive whatever the decks hold.
const DOMAIN_WORDS: &[&str] = &[
    "aws",
    "amazon",
    "service",
    "services",
    "account",
    "accounts",
    "resource",
    "resources",
    "data",
    "security",
    "secure",
    "access",
    "policy",
    "policies",
    "configure",
    "configuration",
    "enable",
    "enabled",
    "create",
    "set",
    "organization",
    "organizations",
    "region",
    "regions",
    "user",
    "users",
    "application",
    "applications",
    "console",
    "api",
    "role",
    "roles",
    // Generic actions and qualities, too common in options to give anything away.
    "deliver",
    "delivers",
    "notify",
    "notifies",
    "notified",
    "notification",
    "alert",
    "alerts",
    "web",
];

/// First words that make an option verb-first ("Enable …", "Use …"): the imperative verbs
/// exam options start with. Suffixes `-ize`, `-ise`, `-ify` count as verbs too.
const VERBS: &[&str] = &[
    "activate",
    "add",
    "allow",
    "analyze",
    "ask",
    "analyse",
    "apply",
    "archive",
    "assign",
    "associate",
    "assume",
    "attach",
    "audit",
    "authenticate",
    "automate",
    "bind",
    "block",
    "build",
    "call",
    "change",
    "check",
    "collect",
    "compare",
    "configure",
    "connect",
    "copy",
    "create",
    "define",
    "delete",
    "deliver",
    "deny",
    "deploy",
    "detach",
    "detect",
    "disable",
    "download",
    "enable",
    "encrypt",
    "enforce",
    "establish",
    "evaluate",
    "export",
    "filter",
    "forward",
    "generate",
    "get",
    "give",
    "grant",
    "have",
    "identify",
    "implement",
    "import",
    "inspect",
    "install",
    "integrate",
    "invoke",
    "isolate",
    "keep",
    "launch",
    "let",
    "limit",
    "log",
    "make",
    "map",
    "migrate",
    "modify",
    "monitor",
    "move",
    "notify",
    "place",
    "provision",
    "publish",
    "put",
    "query",
    "raise",
    "re-create",
    "re-encrypt",
    "reboot",
    "recreate",
    "record",
    "refresh",
    "register",
    "rely",
    "remove",
    "rename",
    "replace",
    "replicate",
    "request",
    "require",
    "reset",
    "restore",
    "restrict",
    "retain",
    "review",
    "revoke",
    "rotate",
    "route",
    "run",
    "save",
    "schedule",
    "scan",
    "search",
    "send",
    "set",
    "share",
    "shut",
    "sign",
    "snapshot",
    "specify",
    "split",
    "start",
    "stop",
    "store",
    "stream",
    "subscribe",
    "suspend",
    "switch",
    "tag",
    "take",
    "terminate",
    "turn",
    "update",
    "upgrade",
    "upload",
    "use",
    "validate",
    "verify",
    "view",
    "write",
];

/// Lowercase word tokens of Markdown text: letters, digits and inner `-`/`.`; Markdown
/// punctuation and code ticks are dropped.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.' || c == '\''))
        .map(|t| {
            let t = t
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            t.strip_suffix("'s").map(str::to_string).unwrap_or(t)
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Number of words in `text` (tokens containing a letter or digit).
pub fn word_count(text: &str) -> usize {
    tokens(text).len()
}

/// A rough stem so `keys`/`key`, `encrypted`/`encrypt`, `logging`/`log` meet.
pub fn stem(word: &str) -> String {
    let w = word;
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(base) = w.strip_suffix(suffix)
            && base.chars().count() >= 3
            && !w.ends_with("ss")
        {
            // `logging` → `logg` → `log`, but `installed` stays `install`.
            let mut b: Vec<char> = base.chars().collect();
            let n = b.len();
            if (suffix == "ing" || suffix == "ed")
                && b[n - 1] == b[n - 2]
                && !matches!(b[n - 1], 'l' | 's')
            {
                b.pop();
            }
            return b.into_iter().collect();
        }
    }
    w.to_string()
}

/// True for a stop word, a subject-wide word, or a Region code such as `eu-west-1` (a
/// scenario's Region is needed in whichever option acts there).
pub fn is_stop(word: &str) -> bool {
    STOP_WORDS.contains(&word) || DOMAIN_WORDS.contains(&word) || is_region(word)
}

fn is_region(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Content stems of `text`: tokens of 3+ characters that are not stop words, stemmed.
pub fn content_stems(text: &str) -> BTreeSet<String> {
    tokens(text)
        .into_iter()
        .filter(|t| t.chars().count() >= 3 && !is_stop(t))
        .map(|t| stem(&t))
        .collect()
}

/// Stems so frequent in a library that sharing one says nothing (document frequency over
/// cards). Only a library of at least `MIN_CARDS` cards has enough text to tell.
#[derive(Debug, Default, Clone)]
pub struct Common {
    stems: BTreeSet<String>,
}

impl Common {
    /// Fewest cards for document frequencies to mean anything.
    pub const MIN_CARDS: usize = 50;
    /// Share of cards above which a stem is common.
    pub const SHARE: f64 = 0.04;

    /// Counts, for each stem, how many of `docs` contain it.
    pub fn from_docs<'a>(docs: impl Iterator<Item = &'a BTreeSet<String>>) -> Self {
        let mut df: BTreeMap<&str, usize> = BTreeMap::new();
        let mut n = 0usize;
        for doc in docs {
            n += 1;
            for s in doc {
                *df.entry(s.as_str()).or_default() += 1;
            }
        }
        if n < Self::MIN_CARDS {
            return Self::default();
        }
        let limit = (n as f64 * Self::SHARE).ceil() as usize;
        Self {
            stems: df
                .into_iter()
                .filter(|&(_, c)| c >= limit)
                .map(|(s, _)| s.to_string())
                .collect(),
        }
    }

    /// True if `stem` is common in this library.
    pub fn contains(&self, stem: &str) -> bool {
        self.stems.contains(stem)
    }
}

/// True if `text` starts with a verb (imperative): from the list, or ending in `-ize`,
/// `-ise` or `-ify`.
pub fn starts_with_verb(text: &str) -> bool {
    let Some(first) = tokens(text).into_iter().next() else {
        return false;
    };
    // `pre-deploy`, `re-create`: a verb with a prefix is a verb.
    let bare = ["pre-", "re-"]
        .iter()
        .find_map(|p| first.strip_prefix(p))
        .unwrap_or(&first);
    VERBS.contains(&first.as_str())
        || VERBS.contains(&bare)
        || ["ize", "ise", "ify"]
            .iter()
            .any(|s| first.ends_with(s) && first.len() > 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_markdown() {
        assert_eq!(
            tokens("Use **`kms:Decrypt`** on the key's policy."),
            vec!["use", "kms", "decrypt", "on", "the", "key", "policy"]
        );
        assert_eq!(word_count("One fact — per card."), 4);
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("keys"), "key");
        assert_eq!(stem("encrypted"), "encrypt");
        assert_eq!(stem("access"), "access");
        assert_eq!(stem("logging"), "log");
        assert_eq!(stem("installed"), "install");
        assert_eq!(stem("logs"), "log");
    }

    #[test]
    fn verb_first() {
        assert!(starts_with_verb("Enable GuardDuty in every Region"));
        assert!(starts_with_verb("Centralize the logs"));
        assert!(!starts_with_verb("An SCP that denies the action"));
        assert!(!starts_with_verb("AWS Config rules"));
        assert!(!starts_with_verb(""));
    }

    #[test]
    fn common_needs_enough_cards() {
        let docs: Vec<BTreeSet<String>> = (0..10).map(|_| content_stems("guardduty")).collect();
        assert!(!Common::from_docs(docs.iter()).contains("guardduty"));
        let docs: Vec<BTreeSet<String>> = (0..60)
            .map(|i| content_stems(&format!("guardduty w{i}")))
            .collect();
        let c = Common::from_docs(docs.iter());
        assert!(c.contains("guardduty"));
        assert!(!c.contains("w7"));
    }
}
