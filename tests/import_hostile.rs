//! Hostile Anki packages: zip-slip, bombs, a truncated database, a `notes` table with the
//! wrong columns and arbitrary bytes are refused (or contained) with nothing written.

use examdeck::deck::{DeckSource, Library};
use examdeck::import::{self, ImportError, Options};
use proptest::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(name)
}

/// The entries of a fixture package.
fn entries(name: &str) -> Vec<(String, Vec<u8>)> {
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(fixture(name)).expect("open")).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).expect("read");
            (e.name().expect("name").into_owned(), bytes)
        })
        .collect()
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zw = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zw.start_file(name.as_str(), opts).expect("entry");
        zw.write_all(bytes).expect("write");
    }
    zw.finish().expect("finish");
}

fn replace(entries: &mut [(String, Vec<u8>)], name: &str, bytes: Vec<u8>) {
    for e in entries.iter_mut() {
        if e.0 == name {
            e.1 = bytes.clone();
        }
    }
}

/// Runs plan (and write, if planned) into an empty folder; returns the error and asserts
/// that nothing was written.
fn refused(pkg: &Path) -> ImportError {
    let into = tempfile::tempdir().expect("tempdir");
    let err = match import::plan(pkg, &Options::default(), &mut |_| {}) {
        Err(e) => e,
        Ok(plan) => {
            let lib = Library::load(&[DeckSource::Path(into.path().to_path_buf())]);
            import::write(&plan, into.path(), &lib).expect_err("write must refuse")
        }
    };
    assert_eq!(
        std::fs::read_dir(into.path()).expect("dir").count(),
        0,
        "nothing written"
    );
    err
}

/// Edits the legacy fixture's database with `sql` and packs it again.
fn legacy_with(dir: &Path, sql: &str) -> PathBuf {
    let mut e = entries("shared-legacy.apkg");
    let db = dir.join("c.anki21");
    let original = e
        .iter()
        .find(|(n, _)| n == "collection.anki21")
        .expect("collection")
        .1
        .clone();
    std::fs::write(&db, original).expect("write");
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute_batch(sql).expect("sql");
    drop(conn);
    replace(
        &mut e,
        "collection.anki21",
        std::fs::read(&db).expect("read"),
    );
    let out = dir.join("edited.apkg");
    write_zip(&out, &e);
    out
}

#[test]
fn zip_slip_names_stay_inside_the_deck_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pkg = legacy_with(
        dir.path(),
        "UPDATE notes SET flds = 'Q<img src=\"../../escape.png\">' || char(31) || 'A' \
         WHERE guid = 'fixture-basic';",
    );
    let mut e = entries("shared-legacy.apkg");
    let edited = entries_of(&pkg);
    replace(
        &mut e,
        "collection.anki21",
        edited["collection.anki21"].clone(),
    );
    replace(&mut e, "media", br#"{"0":"../../escape.png"}"#.to_vec());
    e.push(("../escape.png".into(), b"not an image".to_vec()));
    pkg = dir.path().join("slip.apkg");
    write_zip(&pkg, &e);

    let root = tempfile::tempdir().expect("tempdir");
    let into = root.path().join("decks");
    let plan = import::plan(&pkg, &Options::default(), &mut |_| {}).expect("plan");
    let lib = Library::load(&[DeckSource::Path(into.clone())]);
    import::write(&plan, &into, &lib).expect("write");
    assert!(!root.path().join("escape.png").exists());
    let files: Vec<String> = walk(root.path())
        .iter()
        .map(|p| {
            p.strip_prefix(root.path())
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    assert!(files.iter().all(|f| f.starts_with("decks/")), "{files:?}");
    let image = files
        .iter()
        .find(|f| f.contains("escape"))
        .expect("image kept under a safe name");
    assert!(image.starts_with("decks/slip/media/escape-"), "{image}");
    let after = Library::load(&[DeckSource::Path(into)]);
    assert_eq!(after.error_count(), 0, "{:?}", after.diagnostics);
}

fn entries_of(path: &Path) -> std::collections::HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).expect("read");
            (e.name().expect("name").into_owned(), bytes)
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn a_media_map_bomb_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut e = entries("shared.apkg");
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let bomb = zstd::encode_all(&zeros[..], 3).expect("compress");
    assert!(bomb.len() < 1024 * 1024);
    replace(&mut e, "media", bomb);
    let pkg = dir.path().join("bomb.apkg");
    write_zip(&pkg, &e);
    let err = refused(&pkg).to_string();
    assert!(err.contains("more than 32 MiB"), "{err}");
}

#[test]
fn a_truncated_database_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut e = entries("shared-legacy.apkg");
    let db = e
        .iter()
        .find(|(n, _)| n == "collection.anki21")
        .expect("db")
        .1
        .clone();
    replace(&mut e, "collection.anki21", db[..8192].to_vec());
    let pkg = dir.path().join("truncated.apkg");
    write_zip(&pkg, &e);
    let err = refused(&pkg).to_string();
    assert!(err.contains("damaged"), "{err}");
}

#[test]
fn a_notes_table_with_the_wrong_columns_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = legacy_with(
        dir.path(),
        "DROP TABLE notes; CREATE TABLE notes (id INTEGER PRIMARY KEY, front TEXT);",
    );
    let err = refused(&pkg).to_string();
    assert!(err.contains("notes") && err.contains("damaged"), "{err}");
}

#[test]
fn non_utf8_text_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = legacy_with(
        dir.path(),
        "UPDATE notes SET flds = CAST(x'80ff1f41' AS TEXT) WHERE guid = 'fixture-basic';",
    );
    let err = refused(&pkg).to_string();
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn a_zip_without_a_collection_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = dir.path().join("empty.apkg");
    write_zip(&pkg, &[("readme.txt".into(), b"hi".to_vec())]);
    let err = refused(&pkg).to_string();
    assert!(err.contains("no Anki collection"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_apkg_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let pkg = dir.path().join("x.apkg");
        std::fs::write(&pkg, &bytes).expect("write");
        let result = import::plan(&pkg, &Options::default(), &mut |_| {});
        prop_assert!(result.is_err());
    }

    #[test]
    fn damaged_real_packages_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16)
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bytes = std::fs::read(fixture("shared-legacy.apkg")).expect("read");
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        let pkg = dir.path().join("x.apkg");
        std::fs::write(&pkg, &bytes).expect("write");
        let _ = import::plan(&pkg, &Options::default(), &mut |_| {});
    }
}
