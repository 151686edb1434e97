//! Packs written and read back, and hostile packs refused cleanly.

use super::*;
use crate::deck::{DeckSource, Library};
use std::io::Write;
use std::path::Path;

fn bundled() -> Library {
    Library::load(&[DeckSource::Bundled])
}

fn rewrite(from: &Path, to: &Path, edit: impl Fn(&str, Vec<u8>) -> Option<(String, Vec<u8>)>) {
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).expect("open")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).expect("create"));
    for i in 0..src.len() {
        let mut e = src.by_index(i).expect("entry");
        let name = e.name().expect("entry name").to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut bytes).expect("read");
        if let Some((name, bytes)) = edit(&name, bytes) {
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            out.write_all(&bytes).expect("write");
        }
    }
    out.finish().expect("finish");
}

#[test]
fn a_written_pack_lists_its_deck_images_and_blueprint_and_reads_back() {
    let lib = bundled();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ct.zip");
    let m = write_pack(&lib, &["aws-security/cloudtrail".into()], &out).expect("write");
    assert_eq!(m.decks.len(), 1);
    assert_eq!(m.decks[0].id, "aws-security/cloudtrail");
    assert_eq!(m.exams.len(), 1);
    assert_eq!(m.exams[0].id, "aws-scs-c03");
    assert!(
        m.files.iter().any(|f| f.path.ends_with(".svg")),
        "{:?}",
        m.files
    );
    assert_eq!(m.app_version, env!("CARGO_PKG_VERSION"));
    assert!(is_pack(&out));
    let opened = open_pack(&out).expect("open");
    assert_eq!(opened.manifest, m);
    // The manifest is YAML written by serde-saphyr, readable by a person.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut z.by_name(MANIFEST).expect("manifest"), &mut text)
        .expect("read");
    assert!(text.contains("examdeck-pack: 1"), "{text}");
    // Nothing changes against the installed copy; a fresh library sees a new deck.
    let same = opened.preview(&lib).expect("preview");
    assert_eq!(same.decks.len(), 1);
    assert!(!same.decks[0].new);
    assert_eq!(
        same.decks[0].added + same.decks[0].changed + same.decks[0].removed,
        0
    );
    assert!(same.problems.is_empty(), "{:?}", same.problems);
    let fresh = opened.preview(&Library::default()).expect("preview");
    assert!(fresh.decks[0].new);
    assert_eq!(
        fresh.decks[0].added,
        lib.deck("aws-security/cloudtrail")
            .expect("deck")
            .deck
            .cards
            .len()
    );
}

#[test]
fn importing_a_pack_keeps_deck_and_card_ids() {
    let lib = bundled();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("kms.zip");
    write_pack(&lib, &["aws-security/kms".into()], &out).expect("write");
    let user = tempfile::tempdir().expect("tempdir");
    let (m, summary) = import_pack(&out, user.path(), &Library::default()).expect("import");
    assert_eq!(m.decks[0].id, "aws-security/kms");
    assert_eq!(summary.decks, vec!["aws-security/kms".to_string()]);
    let after = Library::load(&[DeckSource::Path(user.path().to_path_buf())]);
    assert_eq!(after.error_count(), 0, "{:?}", after.diagnostics);
    let ids = |l: &Library| -> Vec<String> {
        l.deck("aws-security/kms")
            .expect("deck")
            .deck
            .cards
            .iter()
            .map(|c| c.id.clone())
            .collect()
    };
    assert_eq!(ids(&after), ids(&lib));
    assert!(
        after.exam("aws-scs-c03").is_some(),
        "the blueprint came along"
    );
}

#[test]
fn unknown_decks_and_empty_lists_are_refused() {
    let lib = bundled();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.zip");
    assert!(matches!(
        write_pack(&lib, &[], &out),
        Err(PackError::NoDecks)
    ));
    assert!(matches!(
        write_pack(&lib, &["nope".into()], &out),
        Err(PackError::UnknownDeck(_))
    ));
    assert!(!out.exists(), "nothing is left behind");
}

fn written() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ct.zip");
    write_pack(&bundled(), &["aws-security/cloudtrail".into()], &out).expect("write");
    (dir, out)
}

fn refused(path: &Path, why: &str) {
    match open_pack(path) {
        Err(PackError::Bad { why: w, .. }) => assert!(w.contains(why), "{w}"),
        other => panic!("expected a refusal with `{why}`, got {other:?}"),
    }
}

#[test]
fn a_manifest_that_lies_about_a_hash_is_refused() {
    let (dir, out) = written();
    let edited = dir.path().join("edited.zip");
    rewrite(&out, &edited, |name, mut bytes| {
        if name.ends_with("cloudtrail.yaml") {
            bytes.extend_from_slice(b"\n# sneaky edit\n");
        }
        Some((name.to_string(), bytes))
    });
    refused(&edited, "does not match its hash");
    let user = tempfile::tempdir().expect("tempdir");
    assert!(import_pack(&edited, user.path(), &Library::default()).is_err());
    assert_eq!(
        std::fs::read_dir(user.path()).expect("dir").count(),
        0,
        "nothing written"
    );
}

#[test]
fn an_unlisted_or_missing_file_is_refused() {
    let (dir, out) = written();
    let extra = dir.path().join("extra.zip");
    rewrite(&out, &extra, |name, bytes| Some((name.to_string(), bytes)));
    {
        // Append an entry the manifest does not list.
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&extra)
            .expect("open");
        let mut z = zip::ZipWriter::new_append(f).expect("append");
        z.start_file("decks/evil.yaml", zip::write::SimpleFileOptions::default())
            .expect("entry");
        z.write_all(b"examdeck: 1\n").expect("write");
        z.finish().expect("finish");
    }
    refused(&extra, "is not listed");
    let missing = dir.path().join("missing.zip");
    rewrite(&out, &missing, |name, bytes| {
        (!name.ends_with(".svg")).then(|| (name.to_string(), bytes))
    });
    refused(&missing, "lacks it");
}

#[test]
fn zip_slip_is_refused() {
    let (dir, out) = written();
    let slip = dir.path().join("slip.zip");
    rewrite(&out, &slip, |name, bytes| Some((name.to_string(), bytes)));
    {
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&slip)
            .expect("open");
        let mut z = zip::ZipWriter::new_append(f).expect("append");
        z.start_file(
            "../../escape.yaml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("entry");
        z.write_all(b"examdeck: 1\n").expect("write");
        z.finish().expect("finish");
    }
    refused(&slip, "zip-slip");
    assert!(
        !dir.path()
            .parent()
            .expect("parent")
            .join("escape.yaml")
            .exists()
    );
}

#[test]
fn a_zip_bomb_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&bomb).expect("create"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file(MANIFEST, opts).expect("entry");
    z.write_all(b"examdeck-pack: 1\n").expect("write");
    z.start_file("decks/zeros.png", opts).expect("entry");
    // 80 MiB of zeros deflate to well under a megabyte.
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..80 {
        z.write_all(&block).expect("write");
    }
    z.finish().expect("finish");
    assert!(std::fs::metadata(&bomb).expect("meta").len() < 1024 * 1024);
    refused(&bomb, "more than 64 MiB");
}

#[test]
fn a_zip_without_a_manifest_is_not_a_pack() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = dir.path().join("plain.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&plain).expect("create"));
    z.start_file("deck.yaml", zip::write::SimpleFileOptions::default())
        .expect("entry");
    z.write_all(b"examdeck: 1\n").expect("write");
    z.finish().expect("finish");
    assert!(!is_pack(&plain));
    refused(&plain, "not a deck pack");
}

#[test]
fn decks_whose_ids_make_the_same_folder_name_get_their_own_folders() {
    let src = tempfile::tempdir().expect("tempdir");
    for (file, id) in [("one.yaml", "grp/net"), ("two.yaml", "grp-net")] {
        let text = format!(
            "examdeck: 1\nid: {id}\ntitle: Deck {id}\ncards:\n  - {{id: a, kind: basic, prompt: p, answer: x, source: s}}\n"
        );
        std::fs::write(src.path().join(file), text).expect("write");
    }
    let lib = Library::load(&[DeckSource::Path(src.path().to_path_buf())]);
    assert_eq!(lib.decks.len(), 2, "{:?}", lib.diagnostics);
    let out = src.path().join("both.zip");
    let m = write_pack(&lib, &["grp/net".into(), "grp-net".into()], &out).expect("write");
    assert_ne!(m.decks[0].file, m.decks[1].file);
    let opened = open_pack(&out).expect("a pack with two decks reads back");
    let d = opened.preview(&Library::default()).expect("preview");
    assert_eq!(d.decks.len(), 2);
}
