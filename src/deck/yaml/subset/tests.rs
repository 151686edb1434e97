//! The subset reader against granit-parser: wherever the subset reads a file, both trees must
//! be the same, locations included.

use super::super::{Loc, Node, Value, parse_general};
use super::parse;
use super::text::{line_ends, printable};

/// The two readers agree on `text`: the subset declines, or granit-parser reads the same tree.
/// Returns whether the subset read it.
pub(super) fn agree(text: &str) -> bool {
    let Some(fast) = parse(text) else {
        return false;
    };
    match parse_general(text) {
        // Debug output compares NaN equal to itself and shows where trees differ.
        Ok(general) => assert_eq!(
            format!("{fast:#?}"),
            format!("{general:#?}"),
            "the readers differ on {text:?}"
        ),
        Err(e) => panic!("the subset read {text:?}, granit-parser refused it: {e:?}"),
    }
    true
}

fn bundled() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("content folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).expect("bundled file");
                files.push((path.display().to_string(), text));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_bundled_file_is_read_by_the_subset_exactly_as_by_granit() {
    let files = bundled();
    assert!(files.len() > 20, "{} files", files.len());
    for (path, text) in &files {
        assert!(agree(text), "the subset declined {path}");
    }
}

#[test]
fn locations_match_the_general_reader() {
    let text = "a: 1\nlist:\n  - x\n  - 'y' # c\n  - k: |\n      one\n\n      two\n    j: [p, q]\nb:\n- \"é\\u00e9\"\n- z\n";
    assert!(agree(text));
    let root = parse(text).expect("in the subset");
    let Value::Map(entries) = &root.value else {
        panic!("a mapping")
    };
    assert_eq!(entries[1].1.loc, Loc { line: 3, column: 3 });
    // granit-parser places a list at its mapping's own column at the list's first item.
    assert_eq!(
        entries[2].1.loc,
        Loc {
            line: 11,
            column: 3
        }
    );
}

/// Each text is read by the subset, exactly as by granit-parser.
fn assert_read_alike(texts: &[&str]) {
    for text in texts {
        assert!(agree(text), "declined {text:?}");
    }
}

#[test]
fn literal_scalars_keep_lines_blank_lines_and_chomping() {
    assert_read_alike(&[
        "a: |\n  x\n\n  y\n\n\nb: 1\n",
        "a: |-\n  x\n    indented\n  y\n",
        "- |\n  x\n- |-\n  y\n\n",
        "a: |\n\n  after a blank\n",
        "a: |\n  tab\there\n",
        "a:\n  - b: |\n      deep\n    c: d\n",
        "a: >\n  folded\n  lines\n\n  paragraph\n\n\n  two blank  \n  x\nb: >-\n  strip\n  me\n\n",
        "- >-\n  x\n  y\n- >\n  z\n",
    ]);
}

#[test]
fn quoted_scalars_and_escapes() {
    assert_read_alike(&[
        "a: \"x\\ty\\n\\\\ \\\" \\/ \\x41\\u00e9\\U0001F600\"\n",
        "a: 'it''s'\n",
        "a: '' # empty\n",
        "a: \"\"\n",
        "a: \"  padded  \"\n",
    ]);
}

#[test]
fn plain_scalars_resolve_like_the_general_reader() {
    for text in [
        "a: 12\nb: -3\nc: 0x1F\nd: 1.5e3\ne: .inf\nf: true\ng: ~\nh: null\ni: 1_000\nj: 08\n",
        "a: x#y\nb: x # y\nc: a:b\nd: [1, true, x y, ~]\ne: []\nf: http://x.y/z\n",
        "a: {{c1::x}}\n",
        "a: {left: \"x, y\", right: s3:GetObject}\nb: [ 'q' , \"r\" ]\nc: {}\n",
        "a: {x: 1, x: 2}\n",
        "a: [p:, q]\n",
        "a: -x\nb: ---\nc: x: y\n",
        "true: 1\n1: 2\nnull: 3\n",
    ] {
        agree(text);
    }
}

#[test]
fn outside_the_subset_it_declines() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: >\n  x\n    more indented\n",
        "a: >\n\n  leading blank\n",
        "a: |+\n  keep\n\n",
        "a: |2\n   x\n",
        "a: {b: [1]}\n",
        "a: [x, ]\n",
        "\"a\": 1\n",
        "a: 1\r\nb: 2\r\n",
        "\u{feff}a: 1\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a:\n\tb: 1\n",
        "a: 1",
        "a: 1\na: 2\n",
        "a: \"two\n  lines\"\n",
        "a: plain\n  continued\n",
        "a:\n",
        "- \n",
        "- - x\n",
        "just text\n",
        "",
    ] {
        assert!(parse(text).is_none(), "read {text:?}");
    }
}

#[test]
fn a_duplicate_key_in_a_long_mapping_is_left_to_the_general_reader() {
    let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    assert!(agree(&text));
    text.push_str("k7: again\n");
    assert!(parse(&text).is_none());
    assert!(parse_general(&text).is_err());
}

#[test]
fn budgets_are_left_to_the_general_reader() {
    let deep = (0..40).fold(String::new(), |mut s, i| {
        s.push_str(&" ".repeat(i * 2));
        s.push_str("k:\n");
        s
    }) + &" ".repeat(80)
        + "x: 1\n";
    assert!(parse(&deep).is_none());
    // Nodes: about one per byte is more than a file's size allows.
    let many = format!("a: [{}]\n", vec!["1"; 50_000].join(","));
    assert!(parse(&many).is_none());
    assert!(parse_general(&many).is_err());
}

/// Pieces of YAML syntax a mutation inserts.
const PIECES: &[&str] = &[
    ": ", "- ", "-", "#", " #", " ", "  ", "\n", "\t", "|", "|-", "|+", ">", "\"", "'", "[", "]",
    ",", "\\", "\\u00e9", "&a ", "*a", "!!str ", "x: y\n", "\r", "é", "---\n", "...\n", "  # c\n",
    "x:", "{", "}", "?", "%", "`", "~", "1", "''", "\\\"", "\n  ", "\n    ", "\n\n", "true",
    "\u{85}", "\u{2028}", ">-", "{a: b}", ", ", "'s", "x\n", "-\n", "- ", "  - ",
];

fn snippets() -> &'static [String] {
    static SNIPPETS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SNIPPETS.get_or_init(cut_snippets)
}

/// Pieces of bundled decks (the head and two cards), and a sample of every construct the
/// subset reads.
fn cut_snippets() -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in bundled() {
        let lines: Vec<&str> = text.lines().collect();
        let cards: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].starts_with("  - id:"))
            .collect();
        let Some(&first) = cards.first() else {
            continue;
        };
        for k in [0, cards.len() / 2] {
            let end = cards.get(k + 2).copied().unwrap_or(lines.len());
            out.push(format!(
                "{}\n{}\n",
                lines[..first].join("\n"),
                lines[cards[k]..end].join("\n")
            ));
        }
    }
    // serde-saphyr's style (imported and generated decks): lists at their key's column, folded
    // scalars.
    out.push(
        "examdeck: 1\nid: bench/deck-00\ndescription: >-\n  Snapshot deny bucket\n  preventive. Key.\ncards:\n- id: card-0\n  kind: single\n  prompt: |\n    Retention `vault`.\n\n    Which solution?\n  choices:\n  - text: Replication **endpoint**.\n    why: Identity `provider`.\n  - text: >-\n      Envelope deny\n      finding.\n    correct: true\n    why: >\n      Principal stream\n      identity.\n  tags:\n  - private\n- id: card-1\n  kind: match\n  prompt: \"Match each item: Company\"\n  pairs:\n  - left: a\n    right: b\n"
            .into(),
    );
    out.push("a: 1\nlist:\n  - x\n  - 'y'\n  - k: |\n      one\n\n      two\n    j: [p, q]\nb:\n- \"é\"\n- {l: m}\nc: >-\n  f\n  g\n".into());
    out
}

fn mutate(base: &str, edits: &[(u8, usize, usize)]) -> String {
    let mut text = base.to_string();
    for &(op, at, piece) in edits {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        match op % 3 {
            0 => text.insert_str(at, PIECES[piece % PIECES.len()]),
            1 => {
                let mut end = (at + 1 + piece % 4).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, "");
            }
            _ => {
                // Copy the line around `at` (often a duplicate key or a shifted entry).
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                let line = text[start..end].to_string();
                text.insert_str(start, &line);
            }
        }
    }
    text
}

/// Mutated deck text: the subset either declines or reads what granit-parser reads. Both
/// must happen often, or the comparison proves little. `EXAMDECK_MUTATIONS=N` and
/// `EXAMDECK_MUTATION_SEED=S` run a longer or another search.
#[test]
fn mutated_decks_are_read_alike_or_declined() {
    use rand::{Rng, SeedableRng};
    let var = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runs = var("EXAMDECK_MUTATIONS", 4_000);
    let mut rng = rand::rngs::StdRng::seed_from_u64(var("EXAMDECK_MUTATION_SEED", 0x5eed));
    let bases = snippets();
    let (mut read, mut declined) = (0u64, 0u64);
    for _ in 0..runs {
        let base = &bases[rng.random_range(0..bases.len())];
        let edits: Vec<(u8, usize, usize)> = (0..rng.random_range(1..4))
            .map(|_| {
                (
                    rng.random(),
                    rng.random::<u64>() as usize,
                    rng.random::<u32>() as usize,
                )
            })
            .collect();
        if agree(&mutate(base, &edits)) {
            read += 1;
        } else {
            declined += 1;
        }
    }
    assert!(
        read > runs / 5 && declined > runs / 5,
        "read {read}, declined {declined}"
    );
}

#[test]
fn the_unmutated_snippets_are_in_the_subset() {
    for s in snippets() {
        assert!(agree(s), "declined {s:?}");
    }
    // The helper is a real comparison: a tree with a moved location differs.
    let a = parse("a: 1\n").expect("subset");
    let moved = Node {
        loc: Loc { line: 2, column: 1 },
        ..a.clone()
    };
    assert_ne!(format!("{a:?}"), format!("{moved:?}"));
    assert!(matches!(a.value, Value::Map(_)));
}

#[test]
fn the_word_at_a_time_text_check_and_line_breaks_equal_the_byte_at_a_time_ones() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let alphabet: Vec<u8> = [
        b"ab \n\t:#".as_slice(),
        "é€\u{85}\u{2028}\u{feff}".as_bytes(),
        &[0, 0x1f, 0x7f, 0x80, 0xff],
    ]
    .concat();
    let (mut yes, mut no) = (0, 0);
    for _ in 0..20_000 {
        let len = rng.random_range(0..40);
        let mut b: Vec<u8> = (0..len)
            .map(|_| {
                if rng.random_range(0..4) == 0 {
                    alphabet[rng.random_range(0..alphabet.len())]
                } else {
                    b'x'
                }
            })
            .collect();
        b.push(b'\n');
        let expected = printable(&b, 0, b.len())
            .then(|| (0..b.len()).filter(|&i| b[i] == b'\n').collect::<Vec<_>>());
        assert_eq!(line_ends(&b), expected, "{b:?}");
        let expected = expected.is_some();
        if expected { yes += 1 } else { no += 1 }
    }
    assert!(yes > 1_000 && no > 1_000, "{yes} {no}");
}
