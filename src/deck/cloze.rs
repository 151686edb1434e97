//! Cloze deletions: `{{c1::hidden text::optional hint}}`, Anki's syntax.

/// One deletion found in a cloze text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    /// The number N of `cN`.
    pub ord: u16,
    /// The hidden text.
    pub answer: String,
    /// The optional hint shown in place of the text.
    pub hint: Option<String>,
    /// Byte range of the whole `{{…}}` marker in the text.
    pub range: std::ops::Range<usize>,
}

/// Finds every deletion in `text`, or says what is malformed.
pub fn parse(text: &str) -> Result<Vec<Deletion>, String> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(start) = text[rest..].find("{{").map(|i| i + rest) {
        let Some(end) = text[start..].find("}}").map(|i| i + start) else {
            return Err("a `{{` has no closing `}}`".into());
        };
        let inner = &text[start + 2..end];
        let mut parts = inner.splitn(3, "::");
        let tag = parts.next().unwrap_or_default();
        let Some(num) = tag.strip_prefix('c') else {
            return Err(format!(
                "`{{{{{inner}}}}}` is not a cloze; write `{{{{c1::text}}}}`"
            ));
        };
        let ord: u16 = match num.parse() {
            Ok(n) if (1..=99).contains(&n) => n,
            _ => return Err(format!("`{tag}` must be c1 to c99")),
        };
        let answer = parts.next().unwrap_or_default().to_string();
        if answer.trim().is_empty() {
            return Err(format!("`{tag}` hides no text"));
        }
        let hint = parts
            .next()
            .map(str::to_string)
            .filter(|h| !h.trim().is_empty());
        out.push(Deletion {
            ord,
            answer,
            hint,
            range: start..end + 2,
        });
        rest = end + 2;
    }
    Ok(out)
}

/// The distinct deletion numbers, ascending.
pub fn ordinals(deletions: &[Deletion]) -> Vec<u16> {
    let mut v: Vec<u16> = deletions.iter().map(|d| d.ord).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Markdown for review item `ord`: its deletions hidden (`[…]` or `[hint]`) or, when
/// `revealed`, shown in bold; other deletions are always shown as plain text.
pub fn render(text: &str, ord: u16, revealed: bool) -> String {
    let Ok(deletions) = parse(text) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for d in deletions {
        out.push_str(&text[last..d.range.start]);
        if d.ord == ord {
            if revealed {
                out.push_str(&format!("**{}**", d.answer));
            } else {
                out.push_str(&format!("**[{}]**", d.hint.as_deref().unwrap_or("…")));
            }
        } else {
            out.push_str(&d.answer);
        }
        last = d.range.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numbers_answers_and_hints() {
        let d = parse("KMS keys rotate {{c1::yearly::how often}}; imported keys {{c2::never}}.")
            .expect("valid");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].ord, 1);
        assert_eq!(d[0].answer, "yearly");
        assert_eq!(d[0].hint.as_deref(), Some("how often"));
        assert_eq!(d[1].hint, None);
        assert_eq!(ordinals(&d), vec![1, 2]);
    }

    #[test]
    fn renders_one_item_at_a_time() {
        let t = "{{c1::GuardDuty}} finds threats; {{c2::Inspector::service}} scans.";
        assert_eq!(
            render(t, 1, false),
            "**[…]** finds threats; Inspector scans."
        );
        assert_eq!(
            render(t, 2, false),
            "GuardDuty finds threats; **[service]** scans."
        );
        assert_eq!(
            render(t, 2, true),
            "GuardDuty finds threats; **Inspector** scans."
        );
    }

    #[test]
    fn rejects_malformed_markers() {
        assert!(parse("{{c1::open").is_err());
        assert!(parse("{{x1::a}}").is_err());
        assert!(parse("{{c0::a}}").is_err());
        assert!(parse("{{c1::}}").is_err());
        assert_eq!(parse("no cloze here").map(|d| d.len()), Ok(0));
    }
}
