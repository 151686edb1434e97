//! Random documents in the subset's own styles, read by both readers.

use super::tests::agree;

/// Random documents built only from what the subset reads, in every style it reads: the two
/// readers must agree on each, and the subset must read nearly all of them.
#[test]
fn generated_documents_in_the_subset_are_read_exactly() {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(0xdec);
    let mut read = 0;
    for _ in 0..1_500 {
        let mut out = String::new();
        gen_map(&mut rng, &mut out, 0, 0, None);
        if agree(&out) {
            read += 1;
        }
    }
    assert!(read > 1_200, "the subset read only {read} of 1,500");
}

const KEYS: &[&str] = &[
    "a", "id", "kind", "text", "x-y", "k_1", "n2", "why", "true", "7",
];
const WORDS: &[&str] = &[
    "word",
    "two words",
    "x#y",
    "a:b",
    "http://x.y/z",
    "12",
    "-3",
    "0x1F",
    "1.5e3",
    ".inf",
    "~",
    "null",
    "True",
    "false",
    "é ü",
    "s3:GetObject",
    "it's",
    "say \"hi\"",
    "(note)",
    "**bold**",
    "[link](x)",
    "1_000",
    "08",
    "-x",
    "a, b",
    "{c}",
];

fn pick<'a>(rng: &mut impl rand::Rng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

/// A block mapping at column `indent`; with `first`, its first key follows a `- ` already
/// written on the current line.
fn gen_map(
    rng: &mut impl rand::Rng,
    out: &mut String,
    indent: usize,
    depth: usize,
    first: Option<()>,
) {
    let mut keys: Vec<&str> = KEYS.to_vec();
    let n = rng.random_range(1..5);
    for i in 0..n {
        let key = keys.remove(rng.random_range(0..keys.len()));
        if i > 0 || first.is_none() {
            gen_filler(rng, out, indent);
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(key);
        out.push(':');
        gen_value(rng, out, indent, depth);
    }
}

/// Blank lines and comments between entries, sometimes.
fn gen_filler(rng: &mut impl rand::Rng, out: &mut String, indent: usize) {
    match rng.random_range(0..8) {
        0 => out.push('\n'),
        1 => {
            out.push_str(&" ".repeat(rng.random_range(0..indent + 3)));
            out.push_str("# a comment: with - marks\n");
        }
        _ => {}
    }
}

/// What follows a key's `:` (or a `-`), up to and including the line break.
fn gen_value(rng: &mut impl rand::Rng, out: &mut String, indent: usize, depth: usize) {
    let nested = depth < 3 && rng.random_range(0..4) == 0;
    if nested {
        out.push('\n');
        let inner = indent + rng.random_range(1..4);
        if rng.random_bool(0.5) {
            gen_map(rng, out, inner, depth + 1, None);
        } else {
            // A list indented under its key, or at the key's own column.
            let at = if rng.random_bool(0.5) { inner } else { indent };
            for _ in 0..rng.random_range(1..4) {
                out.push_str(&" ".repeat(at));
                out.push_str("- ");
                if rng.random_bool(0.4) {
                    gen_map(rng, out, at + 2, depth + 1, Some(()));
                } else {
                    gen_scalar(rng, out, at);
                }
            }
        }
        return;
    }
    out.push(' ');
    gen_scalar(rng, out, indent);
}

/// A scalar or one-line flow collection after `: ` or `- `, in a collection at `indent`.
fn gen_scalar(rng: &mut impl rand::Rng, out: &mut String, indent: usize) {
    match rng.random_range(0..9) {
        0 => out.push_str(&format!(
            "\"{}\\t\\u00e9 \\\" \\\\ {}\"",
            pick(rng, WORDS).replace(['"', '\\'], ""),
            pick(rng, WORDS).replace(['"', '\\'], "")
        )),
        1 => out.push_str(&format!("'{}'", pick(rng, WORDS).replace('\'', "''"))),
        2 => {
            let items: Vec<&str> = (0..rng.random_range(0..4))
                .map(|_| pick(rng, &["kms", "x y", "1", "true", "'q'", "\"r, s\"", "a:b"]))
                .collect();
            out.push_str(&format!("[{}]", items.join(", ")));
        }
        3 => out.push_str(&format!(
            "{{left: {}, right: \"{}\"}}",
            pick(rng, &["a", "two words", "it's", "s3:Get"]),
            pick(rng, &["b, c", "d", ""])
        )),
        4 | 5 => {
            let folded = rng.random_bool(0.5);
            out.push(if folded { '>' } else { '|' });
            if rng.random_bool(0.5) {
                out.push('-');
            }
            out.push('\n');
            let content = indent + rng.random_range(1..4);
            for i in 0..rng.random_range(1..6) {
                match rng.random_range(0..6) {
                    0 if i > 0 => out.push('\n'),
                    1 if i > 0 && !folded => {
                        out.push_str(&" ".repeat(content + 2));
                        out.push_str("more indented\n");
                    }
                    _ => {
                        out.push_str(&" ".repeat(content));
                        out.push_str(pick(rng, WORDS));
                        out.push_str(if rng.random_bool(0.2) { "  \n" } else { "\n" });
                    }
                }
            }
            return;
        }
        _ => {
            let word = pick(rng, WORDS);
            // A plain scalar cannot start with these.
            let word = if word.starts_with(['-', '~', '[', '{', '*', '"', '\'']) && word.len() > 2 {
                "plain"
            } else {
                word
            };
            out.push_str(word);
        }
    }
    if rng.random_range(0..5) == 0 {
        out.push_str(" # trailing");
    }
    out.push('\n');
}
