//! Anki field HTML → our Markdown, with `htmd` (an html5ever-based, turndown-like converter):
//! bold, italics, lists, line breaks, `<div>`/`<p>`, tables, code, links, entities. Local
//! `<img>` become Markdown images pointing into the deck's `media/` folder; `<script>`,
//! `<style>`, `javascript:` links, remote images, sound, video and embedded frames are
//! dropped and reported. Event attributes vanish because Markdown has no attributes.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

/// The folder next to a deck file that holds its images.
pub const MEDIA_DIR: &str = "media";

/// What a conversion found besides the Markdown.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Found {
    /// Local images referenced (Anki media names).
    pub images: BTreeSet<String>,
    /// What was dropped, one short phrase each ("a <script> element").
    pub dropped: Vec<String>,
}

/// A reusable converter (building one costs more than converting a field).
pub struct HtmlConverter {
    inner: htmd::HtmlToMarkdown,
    found: Arc<Mutex<Found>>,
}

impl std::fmt::Debug for HtmlConverter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HtmlConverter")
    }
}

fn attr(element: &htmd::Element<'_>, name: &str) -> Option<String> {
    element
        .attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
}

fn is_remote(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("//") || u.contains("://") || u.starts_with("data:") || u.starts_with("file:")
}

/// The file name an Anki media file gets in the deck's `media/` folder: safe characters
/// only, with a short hash of the original when anything had to change (so two originals
/// never meet in one name).
pub fn media_file_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim_start_matches('.').to_string();
    if clean == original && !clean.is_empty() {
        return clean;
    }
    use sha2::Digest;
    let hash = sha2::Sha256::digest(original.as_bytes());
    let tag: String = hash[..4].iter().map(|b| format!("{b:02x}")).collect();
    match clean.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-{tag}.{ext}"),
        _ => format!("media-{tag}"),
    }
}

impl Default for HtmlConverter {
    fn default() -> Self {
        Self::new()
    }
}

impl HtmlConverter {
    /// A converter with examdeck's handlers.
    pub fn new() -> HtmlConverter {
        Self::build(true, None)
    }

    /// A converter that drops local images too (for files that carry none, like CSV).
    pub fn without_images() -> HtmlConverter {
        Self::build(false, None)
    }

    /// A converter that keeps only the local images in `available` (the package's files
    /// that will be copied); others are dropped and reported.
    pub fn with_images(available: BTreeSet<String>) -> HtmlConverter {
        Self::build(true, Some(available))
    }

    fn build(keep_images: bool, available: Option<BTreeSet<String>>) -> HtmlConverter {
        let found = Arc::new(Mutex::new(Found::default()));
        let lock = |f: &Arc<Mutex<Found>>| {
            let f = f.clone();
            move |g: &mut dyn FnMut(&mut Found)| {
                g(&mut f.lock().unwrap_or_else(PoisonError::into_inner));
            }
        };
        let (on_script, on_img, on_a, on_media) =
            (lock(&found), lock(&found), lock(&found), lock(&found));
        let inner = htmd::HtmlToMarkdown::builder()
            // A backslash hard break survives trimming trailing spaces (YAML keeps them
            // invisible, and editors strip them).
            .options(htmd::options::Options {
                br_style: htmd::options::BrStyle::Backslash,
                ..htmd::options::Options::default()
            })
            .add_handler(
                vec!["script", "style"],
                move |_: &dyn htmd::element_handler::Handlers, e: htmd::Element| {
                    let what = format!("a <{}> element", e.tag);
                    on_script(&mut |f| f.dropped.push(what.clone()));
                    Some("".into())
                },
            )
            .add_handler(
                vec!["audio", "video", "iframe", "object", "embed"],
                move |_: &dyn htmd::element_handler::Handlers, e: htmd::Element| {
                    let what = format!("a <{}> element", e.tag);
                    on_media(&mut |f| f.dropped.push(what.clone()));
                    Some("".into())
                },
            )
            .add_handler(
                vec!["img"],
                move |_: &dyn htmd::element_handler::Handlers, e: htmd::Element| {
                    let src = attr(&e, "src").unwrap_or_default();
                    if src.trim().is_empty() {
                        return Some("".into());
                    }
                    if is_remote(&src) {
                        on_img(&mut |f| f.dropped.push(format!("the remote image {src}")));
                        return Some("".into());
                    }
                    on_img(&mut |f| {
                        f.images.insert(src.clone());
                    });
                    if !keep_images {
                        return Some("".into());
                    }
                    if available.as_ref().is_some_and(|a| !a.contains(&src)) {
                        on_img(&mut |f| {
                            f.images.remove(&src);
                            f.dropped.push(format!("the image {src}, missing from the file or not a PNG, JPEG, GIF or SVG"));
                        });
                        return Some("".into());
                    }
                    let alt = attr(&e, "alt").unwrap_or_default();
                    let alt: String = alt
                        .chars()
                        .filter(|c| !matches!(c, '[' | ']' | '\n'))
                        .collect();
                    Some(format!("![{alt}]({MEDIA_DIR}/{})", media_file_name(&src)).into())
                },
            )
            .add_handler(
                vec!["a"],
                move |h: &dyn htmd::element_handler::Handlers, e: htmd::Element| {
                    let href = attr(&e, "href").unwrap_or_default();
                    let scheme = href.trim().to_ascii_lowercase();
                    if scheme.starts_with("javascript:") || scheme.starts_with("vbscript:") {
                        on_a(&mut |f| f.dropped.push("a javascript: link".into()));
                        return Some(h.walk_children(e.node));
                    }
                    h.fallback(e)
                },
            )
            .build();
        HtmlConverter { inner, found }
    }

    /// Converts one field. Anki's `[sound:…]` references are dropped (and reported) first.
    pub fn convert(&self, html: &str) -> (String, Found) {
        *self.found.lock().unwrap_or_else(PoisonError::into_inner) = Found::default();
        let (html, sounds) = strip_sounds(html);
        let md = self.inner.convert(&html).unwrap_or_default();
        let mut found =
            std::mem::take(&mut *self.found.lock().unwrap_or_else(PoisonError::into_inner));
        for s in sounds {
            found.dropped.push(format!("the sound {s}"));
        }
        (tidy(&md), found)
    }
}

/// Removes `[sound:name]` references (Anki field syntax, not HTML); returns the names.
fn strip_sounds(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut sounds = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("[sound:") {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) => {
                sounds.push(rest[i + 7..i + j].to_string());
                rest = &rest[i + j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    (out, sounds)
}

/// Trims trailing spaces on lines and at the ends, which YAML block scalars keep verbatim.
fn tidy(md: &str) -> String {
    let lines: Vec<&str> = md.lines().map(str::trim_end).collect();
    let mut out = lines.join("\n").trim().to_string();
    // A line break at either end (a `<br>` around an emptied field) is no content.
    while let Some(rest) = out.strip_prefix('\\') {
        out = rest.trim_start().to_string();
    }
    while let Some(rest) = out.strip_suffix('\\') {
        out = rest.trim_end().to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> (String, Found) {
        HtmlConverter::new().convert(html)
    }

    #[test]
    fn formatting_maps_to_markdown() {
        assert_eq!(md("<b>bold</b> and <i>it</i>").0, "**bold** and *it*");
        assert_eq!(md("a &amp; b &lt;c&gt;").0, "a & b \\<c>");
        assert_eq!(md("<div>one</div><div>two</div>").0, "one\n\ntwo");
        assert_eq!(md("<ul><li>x</li><li>y</li></ul>").0, "*   x\n*   y");
        assert_eq!(md("use <code>aws kms</code>").0, "use `aws kms`");
        assert_eq!(
            md(r#"<a href="https://aws.amazon.com">AWS</a>"#).0,
            "[AWS](https://aws.amazon.com)"
        );
    }

    #[test]
    fn tables_become_markdown_tables() {
        let (m, _) =
            md("<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>b</td></tr></table>");
        assert!(m.contains("| k | v |"), "{m}");
        assert!(m.contains("| a | b |"), "{m}");
    }

    #[test]
    fn dangerous_and_remote_content_is_dropped_and_reported() {
        let (m, f) = md(concat!(
            r#"x<script>alert(1)</script><a href="JavaScript:alert(1)">click</a>"#,
            r#"<img src="https://e.com/a.png" onerror="x()"><img src="pic 1.png">[sound:a.mp3]"#
        ));
        assert!(
            !m.contains("alert") && !m.contains("e.com") && !m.contains("sound"),
            "{m}"
        );
        assert!(m.contains("click"), "{m}");
        assert!(
            m.contains(&format!("(media/{})", media_file_name("pic 1.png"))),
            "{m}"
        );
        assert_eq!(f.images.iter().collect::<Vec<_>>(), ["pic 1.png"]);
        assert_eq!(f.dropped.len(), 4, "{:?}", f.dropped);
    }

    #[test]
    fn cloze_markers_survive() {
        assert_eq!(
            md("a {{c1::<b>b</b>::hint}} c").0,
            "a {{c1::**b**::hint}} c"
        );
    }

    #[test]
    fn media_names_are_safe_and_distinct() {
        assert_eq!(media_file_name("key-diagram.png"), "key-diagram.png");
        let odd = media_file_name("../a b.png");
        assert!(odd.starts_with("a-b-") && odd.ends_with(".png"), "{odd}");
        assert_ne!(media_file_name("a b.png"), media_file_name("a-b.png"));
        assert!(!media_file_name(".hidden").starts_with('.'));
    }
}
