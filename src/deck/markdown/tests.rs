use super::*;

fn ours(u: &str) -> Option<String> {
    (!u.contains(':')).then(|| format!("bytes://deck/{u}"))
}

/// Every image URL the viewer would see in `text`, under each option set it may use.
fn viewer_images(text: &str) -> Vec<String> {
    image_urls(text)
}

#[test]
fn rewrites_local_images_and_links_remote_ones() {
    let md = "A ![flow](diagrams/flow.svg) B ![r](https://x.example/r.png) C";
    let out = rewrite_images(md, ours);
    assert_eq!(
        out,
        "A ![flow](<bytes://deck/diagrams/flow.svg>) B [r (image not loaded)](https://x.example/r.png) C"
    );
    assert_eq!(rewrite_images("no images", |_| None), "no images");
}

#[test]
fn finds_images_not_links() {
    let md =
        "See ![flow](diagrams/flow.svg) and [docs](https://example.com).\n\n![b](b.png \"title\")";
    assert_eq!(image_urls(md), vec!["diagrams/flow.svg", "b.png"]);
    assert!(image_urls("plain text").is_empty());
}

#[test]
fn footnote_definitions_hold_images_too() {
    let md = "Text[^1].\n\n[^1]: ![x](file:///abs/secret.png)\n";
    assert_eq!(image_urls(md), vec!["file:///abs/secret.png"]);
    let out = rewrite_images(md, ours);
    assert!(viewer_images(&out).is_empty(), "{out}");
    assert!(!out.contains("![x](file"), "{out}");
}

#[test]
fn nested_images_never_reach_the_viewer() {
    let md = "![![a](ok.png)](file:///abs/secret.png)";
    let urls = image_urls(md);
    assert!(
        urls.contains(&"file:///abs/secret.png".to_string()),
        "{urls:?}"
    );
    let out = rewrite_images(md, ours);
    for url in viewer_images(&out) {
        assert!(url.starts_with("bytes://deck/"), "{url} in {out}");
    }
    // The outer image is refused whole, its nested image with it.
    assert!(viewer_images(&out).is_empty(), "{out}");
}

#[test]
fn reference_images_and_raw_html_are_covered() {
    let md = "![x][r]\n\n[r]: file:///etc/secret.png\n\n<img src=\"file:///etc/secret.png\">";
    assert_eq!(image_urls(md), vec!["file:///etc/secret.png"]);
    let out = rewrite_images(md, ours);
    assert!(viewer_images(&out).is_empty(), "{out}");
    let ok = rewrite_images("![x][r]\n\n[r]: d/a.svg\n", ours);
    assert_eq!(viewer_images(&ok), vec!["bytes://deck/d/a.svg"], "{ok}");
}

#[test]
fn alt_text_cannot_smuggle_markdown() {
    let md = "![a](x.png \"t\") ![](<a b.png>) ![*b*](file:///s.png)";
    let out = rewrite_images(md, ours);
    assert_eq!(
        viewer_images(&out),
        vec!["bytes://deck/x.png", "bytes://deck/a b.png"],
        "{out}"
    );
}
