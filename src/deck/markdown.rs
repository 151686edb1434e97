//! What the deck loader needs to know about Markdown: which images it refers to, and a copy of
//! the text whose every image points where the caller allows, for the viewer.
//!
//! Both parse with the options egui_commonmark 0.26 parses with (footnotes, tables, task lists,
//! …), and with each option it may add on top, so no image the viewer would see is missed: a
//! footnote definition or a nested image is an image here too.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// egui_commonmark 0.26's `parser_options()`.
pub fn viewer_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST
}

/// The viewer's options with each combination of the ones it adds on request (math, heading
/// attributes): the same text can hold different images under each.
fn option_sets() -> [Options; 4] {
    let base = viewer_options();
    [
        base,
        base | Options::ENABLE_MATH,
        base | Options::ENABLE_HEADING_ATTRIBUTES,
        base | Options::ENABLE_MATH | Options::ENABLE_HEADING_ATTRIBUTES,
    ]
}

/// Every Markdown image needs `![`; most fields have none, and parsing every field is the
/// loader's biggest cost after YAML.
fn may_hold_images(text: &str) -> bool {
    text.contains("![")
}

/// The URLs of every image in `text` (nested ones and those in footnotes too), in order.
pub fn image_urls(text: &str) -> Vec<String> {
    if !may_hold_images(text) {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for opts in option_sets() {
        for e in Parser::new_ext(text, opts) {
            if let Event::Start(Tag::Image { dest_url, .. }) = e
                && seen.insert(dest_url.to_string())
            {
                out.push(dest_url.to_string());
            }
        }
    }
    out
}

/// Rewrites every image's URL with `map`; an image `map` refuses (returns `None`) becomes its
/// alt text marked "(image not loaded)" (a link for `http(s)` URLs, so a remote image can
/// still be opened on purpose). The result is parsed again: if any image in it has a URL that
/// `map` did not return, every image in the text is escaped instead, so a refused URL never
/// reaches the viewer.
pub fn rewrite_images(text: &str, mut map: impl FnMut(&str) -> Option<String>) -> String {
    if !may_hold_images(text) {
        return text.to_string();
    }
    let mut allowed = HashSet::new();
    let out = rewrite_top_level(text, |url| {
        let uri = map(url)?;
        allowed.insert(uri.clone());
        Some(uri)
    });
    if only_allowed_images(&out, &allowed) {
        return out;
    }
    let escaped = escape_images(text);
    if only_allowed_images(&escaped, &HashSet::new()) {
        escaped
    } else {
        "(this text holds an image that cannot be shown safely)".to_string()
    }
}

fn only_allowed_images(text: &str, allowed: &HashSet<String>) -> bool {
    option_sets().into_iter().all(|opts| {
        Parser::new_ext(text, opts).all(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => allowed.contains(dest_url.as_ref()),
            _ => true,
        })
    })
}

/// `![` becomes `!\[`: nothing in the text is an image any more.
fn escape_images(text: &str) -> String {
    text.replace("![", "!\\[")
}

/// Replaces each outermost image (with whatever it nests) by a fresh `![alt](uri)`.
fn rewrite_top_level(text: &str, mut map: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut depth = 0usize;
    let mut current: Option<(String, std::ops::Range<usize>)> = None;
    let mut alt = String::new();
    for (event, range) in Parser::new_ext(text, viewer_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                depth += 1;
                if depth == 1 && range.start >= last {
                    current = Some((dest_url.to_string(), range));
                    alt.clear();
                }
            }
            Event::Text(t) | Event::Code(t) if depth > 0 => alt.push_str(&t),
            Event::End(TagEnd::Image) => {
                depth = depth.saturating_sub(1);
                if depth > 0 {
                    continue;
                }
                let Some((url, range)) = current.take() else {
                    continue;
                };
                out.push_str(&text[last..range.start]);
                let alt = clean_alt(&alt);
                match map(&url) {
                    Some(uri) => out.push_str(&format!("![{alt}](<{uri}>)")),
                    None if linkable(&url) => {
                        out.push_str(&format!("[{alt} (image not loaded)]({url})"));
                    }
                    None => out.push_str(&format!("\\[{alt} (image not loaded)\\]")),
                }
                last = range.end;
            }
            _ => {}
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Alt text with Markdown's punctuation removed, at most 100 characters.
fn clean_alt(alt: &str) -> String {
    let s: String = alt
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '[' | ']' | '(' | ')' | '!' | '<' | '>' | '\\' | '`' | '*' | '_'
            )
        })
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(100)
        .collect();
    if s.trim().is_empty() {
        "image".into()
    } else {
        s
    }
}

/// A remote URL that can stay a link as written.
fn linkable(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '\\' | '[' | ']'))
}

#[cfg(test)]
mod tests;
