//! The deck reader never panics, whatever bytes a shared file holds.

use examdeck::deck::reader::{read_deck, read_exam};
use proptest::prelude::*;

/// Fragments of real deck syntax, so random input reaches deep into the reader, not only the
/// YAML scanner.
const PIECES: &[&str] = &[
    "examdeck: 1\n",
    "id: a/b\n",
    "title: T\n",
    "cards:\n",
    "  - id: x\n",
    "    kind: single\n",
    "    kind: cloze\n",
    "    kind: match\n",
    "    kind: order\n",
    "    kind: multiple\n",
    "    prompt: p\n",
    "    text: \"{{c1::a::h}} {{c2::b}}\"\n",
    "    choices:\n",
    "      - {text: A, correct: true, why: w}\n",
    "      - {text: B}\n",
    "    select: 2\n",
    "    steps: [a, b]\n",
    "    pairs: [{left: a, right: b}]\n",
    "    answer: true\n",
    "    explanation: \"![i](../x.png)\"\n",
    "exam: e\n",
    "domain: d\n",
    "&a [*a]\n",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "\t",
    "\n",
    "  ",
    "{{c",
    "::",
    "}}",
    "\u{feff}",
    "é",
    "*a",
];

fn assembled() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..PIECES.len(), 0..60)
        .prop_map(|ix| ix.into_iter().map(|i| PIECES[i]).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let r = read_deck("f.yaml", &text);
        // Unusable input always explains itself.
        prop_assert!(r.deck.is_some() || !r.diags.is_empty());
        let _ = read_exam("f.exam.yaml", &text);
    }

    #[test]
    fn deck_like_text_never_panics(text in assembled()) {
        let r = read_deck("f.yaml", &text);
        prop_assert!(r.deck.is_some() || !r.diags.is_empty());
        for d in &r.diags {
            prop_assert!(!d.message.is_empty());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = read_deck("f.yaml", &text);
    }
}

/// SVG elements random diagrams are built from: groups, copies, images with hostile hrefs.
const SVG_PIECES: &[&str] = &[
    "<g>",
    "</g>",
    "<rect width=\"10\" height=\"10\" fill=\"red\"/>",
    "<g id=\"a\"><rect width=\"1\" height=\"1\"/></g>",
    "<use href=\"#a\"/>",
    "<use href=\"#b\"/>",
    "<g id=\"b\"><use href=\"#a\"/></g>",
    "<image href=\"/dev/zero\" width=\"5\" height=\"5\"/>",
    "<image href=\"/etc/passwd\" width=\"5\" height=\"5\"/>",
    "<image href=\"../outside.svg\" width=\"5\" height=\"5\"/>",
    "<image href=\"data:image/svg+xml;base64,PHN2Zy8+\" width=\"5\" height=\"5\"/>",
    "<text>hi</text>",
    "<path d=\"M0 0 L10 10\"/>",
    "<!ENTITY x \"y\">",
    "&amp;",
    "<",
    ">",
];

fn svg_doc(w: f64, h: f64, view: bool, body: &[usize]) -> String {
    let view = if view { " viewBox=\"0 0 10 10\"" } else { "" };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{w}\" height=\"{h}\"{view}>"
    );
    for &i in body {
        s.push_str(SVG_PIECES[i % SVG_PIECES.len()]);
    }
    s.push_str("</svg>");
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random sizes, nesting and hrefs: inspect and rasterize return, within bounds, and never
    /// draw anything from outside.
    #[test]
    fn svg_diagrams_never_panic_or_exceed_bounds(
        w in prop_oneof![0.0f64..50.0, 1e3f64..1e7, Just(f64::NAN), Just(-5.0)],
        h in prop_oneof![0.0f64..50.0, 1e3f64..1e7],
        view in any::<bool>(),
        nest in 0usize..200,
        body in proptest::collection::vec(0usize..64, 0..60),
        max_side in 1u32..20_000,
    ) {
        use examdeck::deck::diagram::{inspect, rasterize, Want, MAX_IMAGE_SIDE};
        let mut parts = vec![0usize; nest];
        parts.extend(body);
        let svg = svg_doc(w, h, view, &parts);
        let _ = inspect("d.svg", svg.as_bytes());
        if let Ok(r) = rasterize("d.svg", svg.as_bytes(), Want::Scale(1.0), max_side) {
            prop_assert!(r.width.max(r.height) <= max_side.min(MAX_IMAGE_SIDE));
            prop_assert_eq!(r.rgba.len(), r.width as usize * r.height as usize * 4);
        }
    }

    /// PNGs of random sizes, whole or cut short: refused past the limit, decoded within it.
    #[test]
    fn png_diagrams_never_panic_or_exceed_bounds(
        w in 1u32..6_000,
        h in 1u32..64,
        cut in 0usize..200,
        max_side in 1u32..20_000,
    ) {
        use examdeck::deck::diagram::{inspect, rasterize, Want, MAX_IMAGE_SIDE};
        let img = image::RgbaImage::new(w, h);
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).expect("encode");
        let mut bytes = out.into_inner();
        let whole = cut == 0;
        bytes.truncate(bytes.len().saturating_sub(cut));
        let info = inspect("d.png", &bytes);
        if whole && w.max(h) <= MAX_IMAGE_SIDE {
            prop_assert!(info.is_ok());
        }
        if w.max(h) > MAX_IMAGE_SIDE {
            prop_assert!(info.is_err());
        }
        if let Ok(r) = rasterize("d.png", &bytes, Want::Scale(1.0), max_side) {
            prop_assert!(r.width.max(r.height) <= max_side.min(MAX_IMAGE_SIDE));
            prop_assert_eq!((r.width, r.height), (w, h));
        }
    }
}
