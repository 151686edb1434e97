//! Checking a text's bytes and finding its lines, a block of bytes at a time.

/// The index of every line's `\n`, if the bytes hold only what the subset expects: printable
/// text ending in a line break, no carriage returns, no byte order mark, no C1 controls, no
/// Unicode line separators (each of which YAML treats in ways the subset does not copy).
pub(super) fn line_ends(b: &[u8]) -> Option<Vec<usize>> {
    if b.last() != Some(&b'\n') {
        return None;
    }
    // A block of printable ASCII needs no closer look. The loop has no branch inside, so the
    // compiler turns it into vector instructions.
    const BLOCK: usize = 64;
    for (k, block) in b.chunks(BLOCK).enumerate() {
        let mut unusual = false;
        for &c in block {
            unusual |= ((c < 0x20) & (c != b'\n') & (c != b'\t')) | (c >= 0x7f);
        }
        if unusual && !printable(b, k * BLOCK, k * BLOCK + block.len()) {
            return None;
        }
    }
    Some(memchr::memchr_iter(b'\n', b).collect())
}

/// How many spaces `line` starts with.
pub(super) fn leading_spaces(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

/// Whether `b[from..to]` holds only what the subset reads (the rest of `b` is looked at for
/// characters that start inside the range).
pub(super) fn printable(b: &[u8], from: usize, to: usize) -> bool {
    for i in from..to {
        match b[i] {
            b'\n' | b'\t' | 0x20..=0x7e => {}
            0x00..=0x1f | 0x7f => return false,
            // U+0080..U+009F (C1 controls, NEL among them).
            0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => return false,
            // U+2028, U+2029.
            0xe2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)) => {
                return false;
            }
            // U+FEFF (byte order mark), U+FFFE, U+FFFF.
            0xef if matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                return false;
            }
            _ => {}
        }
    }
    true
}
