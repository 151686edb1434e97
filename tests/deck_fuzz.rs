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
