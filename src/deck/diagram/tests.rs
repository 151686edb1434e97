use super::*;

/// A PNG of `w`×`h` transparent pixels, as bytes.
pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::new(w, h);
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

#[test]
fn a_wide_png_is_refused_from_its_header() {
    let bytes = png(17_000, 4);
    assert!(bytes.len() < 2_000, "the hostile file is small");
    assert_eq!(
        inspect("x.png", &bytes),
        Err(ImageProblem::TooLarge {
            width: 17_000,
            height: 4
        })
    );
    assert!(matches!(
        rasterize("x.png", &bytes, Want::Scale(1.0), 16_384),
        Err(ImageProblem::TooLarge { .. })
    ));
    let ok = rasterize("ok.png", &png(20, 10), Want::Scale(1.0), 16_384).expect("small png");
    assert_eq!((ok.width, ok.height, ok.rgba.len()), (20, 10, 800));
    // The GPU's own limit applies too.
    assert!(rasterize("ok.png", &png(300, 10), Want::Scale(1.0), 256).is_err());
}

#[test]
fn a_huge_svg_is_drawn_scaled_down() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="50000"><rect width="10" height="10"/></svg>"#;
    let info = inspect("big.svg", svg.as_bytes()).expect("inspect");
    assert_eq!(info.width, 100_000.0);
    let r = rasterize("big.svg", svg.as_bytes(), Want::Scale(1.0), 16_384).expect("draw");
    assert_eq!((r.width, r.height), (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE / 2));
    let r = rasterize("big.svg", svg.as_bytes(), Want::Width(1_000_000_000), 1_000).expect("draw");
    assert_eq!((r.width, r.height), (1_000, 500));
}

#[test]
fn deep_svg_nesting_is_refused_not_a_stack_overflow() {
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}{}</svg>"#,
        "<g>".repeat(20_000),
        "</g>".repeat(20_000)
    );
    assert!(matches!(
        inspect("deep.svg", svg.as_bytes()),
        Err(ImageProblem::TooDeep(_) | ImageProblem::TooManyNodes)
    ));
    assert!(rasterize("deep.svg", svg.as_bytes(), Want::Scale(1.0), 4096).is_err());
    let ok = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}{}</svg>"#,
        "<g>".repeat(40),
        "</g>".repeat(40)
    );
    assert!(inspect("ok.svg", ok.as_bytes()).is_ok());
}

#[test]
fn use_bombs_are_refused() {
    let mut svg = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><defs><rect id="a0" width="1" height="1"/>"#,
    );
    for i in 1..12 {
        svg.push_str(&format!(r#"<g id="a{i}">"#));
        for _ in 0..10 {
            svg.push_str(&format!(r##"<use xlink:href="#a{}"/>"##, i - 1));
        }
        svg.push_str("</g>");
    }
    svg.push_str(r##"</defs><use xlink:href="#a11"/></svg>"##);
    assert_eq!(
        inspect("bomb.svg", svg.as_bytes()),
        Err(ImageProblem::NestedUse)
    );
}

#[test]
fn external_references_are_listed_and_never_loaded() {
    let outside = tempfile::tempdir().expect("tempdir");
    let red = outside.path().join("red.svg");
    std::fs::write(
        &red,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>"#,
    )
    .expect("write");
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image href="{0}" width="10" height="10"/><image xlink:href="{0}" width="10" height="10"/></svg>"#,
        red.display()
    );
    let info = inspect("x.svg", svg.as_bytes()).expect("inspect");
    assert_eq!(info.external_refs.len(), 2, "{info:?}");
    assert!(info.external_refs[0].ends_with("red.svg"));
    let r = rasterize("x.svg", svg.as_bytes(), Want::Scale(1.0), 64).expect("draw");
    assert!(
        r.rgba.chunks(4).all(|p| p[3] == 0),
        "the outside image was drawn"
    );
}

#[test]
fn garbage_is_unreadable_not_a_panic() {
    for (name, bytes) in [
        ("a.svg", &b"<svg"[..]),
        ("a.svg", &b"\x1f\x8b\x08\x00"[..]),
        ("a.png", &b"\x89PNG\r\n\x1a\n\0\0"[..]),
        ("a.png", &b""[..]),
    ] {
        assert!(inspect(name, bytes).is_err(), "{name} {bytes:?}");
        assert!(
            rasterize(name, bytes, Want::Scale(1.0), 64).is_err(),
            "{name} {bytes:?}"
        );
    }
}

#[test]
fn tag_depth_counts_elements_not_comments_or_quotes() {
    assert_eq!(tag_depth("<a><b/><c x=\"<>\"><d></d></c></a>"), 3);
    assert_eq!(tag_depth("<!-- <a><a><a> --><a><![CDATA[<b><b>]]></a>"), 1);
    assert_eq!(
        tag_depth("<?xml version=\"1.0\"?><!DOCTYPE svg><svg><g></g></svg>"),
        2
    );
    let svg = format!(
        "<!DOCTYPE svg [<!ENTITY e \"<g>\">]><svg>{}</svg>",
        "&e;".repeat(3)
    );
    assert!(matches!(
        inspect("e.svg", svg.as_bytes()),
        Err(ImageProblem::Unreadable(_))
    ));
}
