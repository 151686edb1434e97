//! What the deck loader needs to know about Markdown: which images it refers to.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The URLs of every image in `text`, in order.
pub fn image_urls(text: &str) -> Vec<String> {
    // Cheap pre-check: most fields hold no image, and parsing every field is the loader's
    // biggest cost after YAML.
    if !text.contains("![") && !text.contains("<img") {
        return Vec::new();
    }
    Parser::new_ext(text, Options::ENABLE_TABLES)
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Rewrites every image's URL with `map`; an image `map` refuses (returns `None`) becomes a plain
/// link to the original URL, labelled with its alt text, so nothing is loaded behind the
/// learner's back (a remote image can still be opened on purpose).
pub fn rewrite_images(text: &str, mut map: impl FnMut(&str) -> Option<String>) -> String {
    if !text.contains("![") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    let mut depth = 0usize;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                depth += 1;
                if depth > 1 || range.start < last {
                    continue;
                }
                let src = &text[range.clone()];
                let alt = src
                    .strip_prefix("![")
                    .and_then(|s| s.split_once("]("))
                    .map(|(a, _)| a)
                    .unwrap_or("image");
                out.push_str(&text[last..range.start]);
                match map(&dest_url) {
                    Some(uri) => out.push_str(&format!("![{alt}]({uri})")),
                    None => out.push_str(&format!("[{alt} (image not loaded)]({dest_url})")),
                }
                last = range.end;
            }
            Event::End(pulldown_cmark::TagEnd::Image) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_local_images_and_links_remote_ones() {
        let md = "A ![flow](diagrams/flow.svg) B ![r](https://x.example/r.png) C";
        let out = rewrite_images(md, |u| {
            (!u.starts_with("http")).then(|| format!("bytes://deck/{u}"))
        });
        assert_eq!(
            out,
            "A ![flow](bytes://deck/diagrams/flow.svg) B [r (image not loaded)](https://x.example/r.png) C"
        );
        assert_eq!(rewrite_images("no images", |_| None), "no images");
    }

    #[test]
    fn finds_images_not_links() {
        let md = "See ![flow](diagrams/flow.svg) and [docs](https://example.com).\n\n![b](b.png \"title\")";
        assert_eq!(image_urls(md), vec!["diagrams/flow.svg", "b.png"]);
        assert!(image_urls("plain text").is_empty());
    }
}
