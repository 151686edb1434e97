//! Small hostile deck folders, generated: one function per attack the adversarial run found
//! (issue 9). Each writes into `root/<case>/`; secrets live in `outside`, which no case may
//! read. Shared by the per-item regression tests and `tests/hostile.rs`.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Text of the secret file outside the deck folder; it must never appear in any output.
pub const SECRET: &str = "TOPSECRET-9f3c: the learner's password";

/// A folder outside the deck folder with secrets in it.
pub struct Outside {
    /// The folder.
    pub dir: PathBuf,
    /// A text file (what a symlinked deck file points at).
    pub text: PathBuf,
    /// A small PNG.
    pub png: PathBuf,
    /// A red SVG.
    pub svg: PathBuf,
}

pub fn outside(dir: &Path) -> Outside {
    std::fs::create_dir_all(dir).expect("outside dir");
    let text = dir.join("secret.txt");
    std::fs::write(&text, format!("{SECRET}\nroot:x:0:0\n")).expect("secret");
    let png_path = dir.join("secret.png");
    std::fs::write(&png_path, png(8, 8)).expect("png");
    let svg = dir.join("secret.svg");
    std::fs::write(
        &svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/><text>TOPSECRET-9f3c</text></svg>"#,
    )
    .expect("svg");
    Outside {
        dir: dir.to_path_buf(),
        text,
        png: png_path,
        svg,
    }
}

/// A PNG of `w`×`h` transparent pixels.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::new(w, h);
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// A deck file with one basic card whose prompt is `prompt` (written as a YAML literal block).
pub fn deck(id: &str, prompt: &str) -> String {
    let mut s = format!(
        "examdeck: 1\nid: {id}\ntitle: Hostile {id}\ncards:\n  - id: a\n    kind: basic\n    source: test\n    answer: Back\n    prompt: |\n"
    );
    for line in prompt.lines() {
        let _ = writeln!(s, "      {line}");
    }
    s
}

fn case(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).expect("case dir");
    dir
}

/// 6: an outside image in a footnote definition.
pub fn footnote(root: &Path, out: &Outside) {
    let dir = case(root, "footnote");
    let md = format!(
        "See the note[^1].\n\n[^1]: ![x](file://{})\n",
        out.png.display()
    );
    std::fs::write(dir.join("deck.yaml"), deck("h/footnote", &md)).expect("write");
}

/// 7: an outside image around a good one.
pub fn nested(root: &Path, out: &Outside) {
    let dir = case(root, "nested");
    std::fs::write(dir.join("ok.png"), png(4, 4)).expect("png");
    let md = format!("![![a](ok.png)](file://{})\n", out.png.display());
    std::fs::write(dir.join("deck.yaml"), deck("h/nested", &md)).expect("write");
}

/// 8: an SVG inside the deck whose `<image href>` names outside files.
pub fn svg_external(root: &Path, out: &Outside) {
    let dir = case(root, "svg-external");
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20"><image href="{}" width="10" height="10"/><image xlink:href="{}" width="10" height="10"/><image href="/dev/zero" width="5" height="5"/></svg>"#,
        out.svg.display(),
        out.png.display()
    );
    std::fs::write(dir.join("ext.svg"), svg).expect("svg");
    std::fs::write(
        dir.join("deck.yaml"),
        deck("h/svg-external", "![d](ext.svg)"),
    )
    .expect("write");
}

/// 9: a deck file that is a link to a secret outside the folder.
#[cfg(unix)]
pub fn symlinked_deck(root: &Path, out: &Outside) {
    let dir = case(root, "symlink");
    std::os::unix::fs::symlink(&out.text, dir.join("x.yaml")).expect("symlink");
}

/// 10: a FIFO named like a deck file (and a link to a terminal-ish device).
#[cfg(unix)]
pub fn fifo(root: &Path) {
    let dir = case(root, "fifo");
    let path = dir.join("x.yaml");
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    std::os::unix::fs::symlink("/dev/stdin", dir.join("stdin.yaml")).expect("symlink");
}

/// 11: links to endless devices.
#[cfg(unix)]
pub fn devices(root: &Path) {
    let dir = case(root, "devices");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.yaml")).expect("symlink");
    std::os::unix::fs::symlink("/dev/urandom", dir.join("urandom.yaml")).expect("symlink");
}

/// 12: images too large, too deep, or reading a device.
pub fn big_images(root: &Path) {
    let dir = case(root, "images");
    std::fs::write(dir.join("wide.png"), png(17_000, 4)).expect("png");
    std::fs::write(
        dir.join("huge.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="100" height="100"/></svg>"#,
    )
    .expect("svg");
    std::fs::write(
        dir.join("deep.svg"),
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}{}</svg>"#,
            "<g>".repeat(20_000),
            "</g>".repeat(20_000)
        ),
    )
    .expect("svg");
    std::fs::write(
        dir.join("deck.yaml"),
        deck(
            "h/images",
            "![w](wide.png)\n\n![h](huge.svg)\n\n![d](deep.svg)",
        ),
    )
    .expect("write");
}

/// 13: a deck with `n` unknown fields.
pub fn flood(root: &Path, n: usize) {
    let dir = case(root, "flood");
    let mut s = deck("h/flood", "Flood");
    for i in 0..n {
        let _ = writeln!(s, "f{i}: 1");
    }
    std::fs::write(dir.join("deck.yaml"), s).expect("write");
}

/// 14: the 585-byte alias bomb and a flat list of `n` items.
pub fn yaml_bombs(root: &Path, n: usize) {
    let dir = case(root, "bombs");
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, c) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        let _ = writeln!(
            bomb,
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]"
        );
    }
    std::fs::write(dir.join("bomb.yaml"), bomb).expect("write");
    let mut list = String::with_capacity(n * 2 + 16);
    list.push_str("cards: [");
    for _ in 0..n {
        list.push_str("a,");
    }
    list.push_str("a]\n");
    std::fs::write(dir.join("list.yaml"), list).expect("write");
}

/// 17: a deck 20 folders down.
pub fn deep_folders(root: &Path) {
    let mut dir = case(root, "deep");
    for i in 0..20 {
        dir = dir.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&dir).expect("deep");
    std::fs::write(dir.join("deck.yaml"), deck("h/deep", "Deep")).expect("write");
}

/// 18: a stranger's one-card deck with the id of the bundled KMS deck.
pub fn replaces_bundled(root: &Path) {
    let dir = case(root, "replace");
    std::fs::write(dir.join("kms.yaml"), deck("aws-security/kms", "Mine now")).expect("write");
}

/// Every case at once, in `root/decks`; the secrets in `root/outside`. Returns the deck folder.
pub fn all(root: &Path) -> (PathBuf, Outside) {
    let out = outside(&root.join("outside"));
    let decks = root.join("decks");
    footnote(&decks, &out);
    nested(&decks, &out);
    svg_external(&decks, &out);
    #[cfg(unix)]
    {
        symlinked_deck(&decks, &out);
        fifo(&decks);
        devices(&decks);
    }
    big_images(&decks);
    flood(&decks, 50_000);
    yaml_bombs(&decks, 1_000_000);
    deep_folders(&decks);
    replaces_bundled(&decks);
    (decks, out)
}
