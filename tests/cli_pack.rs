//! `examdeck pack`, `examdeck check FILE.zip` and `examdeck install-desktop-entry` as a
//! study group and a new user would run them.

use std::path::Path;
use std::process::Command;

fn examdeck(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_examdeck"))
        .args(args)
        .env("EXAMDECK_DATA_DIR", data)
        .output()
        .expect("run examdeck");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_pack_is_written_and_passes_check_and_an_edited_one_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zip = dir.path().join("kms.zip");
    let zip_s = zip.display().to_string();
    let (code, out, err) = examdeck(
        dir.path(),
        &["pack", "aws-security/kms", "aws-security/iam", "-o", &zip_s],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 deck(s), 1 exam blueprint(s)"), "{out}");
    let (code, out, err) = examdeck(dir.path(), &["check", &zip_s]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 errors"), "{out}");

    // Append a file the manifest does not list: check refuses the pack.
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&zip)
        .expect("open");
    let mut z = zip::ZipWriter::new_append(f).expect("append");
    z.start_file("decks/extra.yaml", zip::write::SimpleFileOptions::default())
        .expect("entry");
    std::io::Write::write_all(&mut z, b"examdeck: 1\n").expect("write");
    z.finish().expect("finish");
    let (code, out, err) = examdeck(dir.path(), &["check", &zip_s]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("is not listed in examdeck-pack.yaml"), "{err}");

    let (code, _, err) = examdeck(dir.path(), &["pack", "no/such-deck", "-o", &zip_s]);
    assert_eq!(code, 1);
    assert!(err.contains("no deck with id `no/such-deck`"), "{err}");
}

#[test]
fn import_of_a_pack_previews_then_adds_the_decks_with_their_ids() {
    // An author's own deck, packed in one data folder…
    let author = tempfile::tempdir().expect("author");
    let decks = author.path().join("decks");
    std::fs::create_dir_all(&decks).expect("decks");
    std::fs::write(
        decks.join("notes.yaml"),
        "examdeck: 1\nid: group/notes\ntitle: Group notes\ncards:\n  - id: first\n    kind: basic\n    prompt: What is one?\n    answer: One.\n  - id: second\n    kind: basic\n    prompt: What is two?\n    answer: Two.\n",
    )
    .expect("deck");
    let zip = author.path().join("notes.zip");
    let zip_s = zip.display().to_string();
    let (code, out, err) = examdeck(author.path(), &["pack", "group/notes", "-o", &zip_s]);
    assert_eq!(code, 0, "{out}{err}");

    // …previewed, then imported, in a learner's fresh one.
    let learner = tempfile::tempdir().expect("learner");
    let (code, out, err) = examdeck(learner.path(), &["import", "--dry-run", &zip_s]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("deck pack"), "{out}");
    assert!(
        out.contains("new      group/notes — Group notes (2 cards)"),
        "{out}"
    );
    assert!(
        !learner.path().join("decks").exists(),
        "a dry run writes nothing"
    );

    let (code, out, err) = examdeck(learner.path(), &["import", &zip_s]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = examdeck(learner.path(), &["check", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, due, _) = examdeck(learner.path(), &["due"]);
    assert!(
        due.contains("Group notes") || due.contains("group/notes"),
        "{due}"
    );

    // Importing the same pack again changes nothing.
    let (code, out, err) = examdeck(learner.path(), &["import", "--dry-run", &zip_s]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("update   group/notes — Group notes: 0 added, 0 changed, 0 removed"),
        "{out}"
    );
}

#[test]
fn install_desktop_entry_writes_under_the_given_data_home() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("share");
    let (code, out, err) = examdeck(
        dir.path(),
        &[
            "install-desktop-entry",
            "--data-home",
            &home.display().to_string(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let entry =
        std::fs::read_to_string(home.join("applications/examdeck.desktop")).expect("desktop file");
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_examdeck")).expect("exe");
    assert!(
        entry.contains(&format!("Exec={}", exe.display())),
        "{entry}"
    );
    assert!(
        home.join("icons/hicolor/256x256/apps/examdeck.png")
            .is_file()
    );
    // Where desktop-file-utils is installed, the entry must pass its validator.
    if let Ok(v) = Command::new("desktop-file-validate")
        .arg(home.join("applications/examdeck.desktop"))
        .output()
    {
        assert!(
            v.status.success(),
            "{}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
    }
}
