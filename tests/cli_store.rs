//! `backup`, `restore` and `recover` as a learner runs them after their database was
//! damaged: the real binary on real files in a temporary data folder.

use chrono::{DateTime, Duration, Utc};
use examdeck::deck::ItemKey;
use examdeck::learner::{Answer, Learner, synthetic};
use examdeck::schedule::Rating;
use examdeck::store::DB_FILE;
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

fn now() -> DateTime<Utc> {
    "2026-03-01T10:00:00Z".parse().expect("time")
}

/// A data folder with a backup of 30 answers and 46 answers after it; the backup's path.
fn data_with_newer_answers(dir: &Path) -> std::path::PathBuf {
    let lib = synthetic::library(2, 60, 0);
    let mut l = Learner::open(dir, now()).expect("open");
    l.sync_library(&lib, now()).expect("sync");
    let key = |d: usize, c: usize| ItemKey {
        deck: format!("deck-{d}"),
        card: format!("card-{c}"),
        ord: 0,
    };
    for c in 0..30 {
        l.answer(&key(0, c), &Answer::new(Rating::Good), now())
            .expect("answer");
    }
    l.wait_for_backup().expect("auto backup");
    let b = l.backup_now(now() + Duration::minutes(1)).expect("backup");
    for c in 0..46 {
        l.answer(
            &key(1, c),
            &Answer::new(Rating::Good),
            now() + Duration::hours(1),
        )
        .expect("answer");
    }
    b.path
}

fn damage_header(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).expect("read");
    let noise: [u8; 100] = rand::random();
    bytes[..100].copy_from_slice(&noise);
    std::fs::write(db, &bytes).expect("damage");
    bytes
}

#[test]
fn a_damaged_database_points_to_recover_and_the_good_backups_and_recover_keeps_every_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backup = data_with_newer_answers(dir.path());
    let db = dir.path().join(DB_FILE);
    let damaged = damage_header(&db);

    // The message a command gives names `recover` and the good backup, by path.
    let (code, _, err) = examdeck(dir.path(), &["due"]);
    assert_eq!(code, 1);
    assert!(err.contains("examdeck recover"), "{err}");
    assert!(err.contains(&backup.display().to_string()), "{err}");
    assert!(!err.contains("no backup was found"), "{err}");

    // The list works without opening the damaged database, and reads each backup.
    let (code, out, err) = examdeck(dir.path(), &["backup", "--list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&backup.display().to_string()), "{out}");
    assert!(out.contains("30 answers"), "{out}");

    let (code, out, err) = examdeck(dir.path(), &["recover", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("46 newer added"), "{out}");
    assert!(out.contains("would hold 76 answers"), "{out}");
    assert_eq!(std::fs::read(&db).expect("read"), damaged, "dry run");

    let (code, out, err) = examdeck(dir.path(), &["recover"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("recovered 76 answers"), "{out}");
    assert!(out.contains("examdeck-before-recover-"), "{out}");
    let l = Learner::open(dir.path(), Utc::now()).expect("opens again");
    assert_eq!(l.store().read().all_reviews().expect("log").len(), 76);

    let (code, out, _) = examdeck(dir.path(), &["backup", "--list"]);
    assert_eq!(code, 0);
    assert!(out.contains("before-recover copy"), "{out}");
}

#[test]
fn restore_names_and_lists_its_safety_copy_and_refuses_files_that_are_not_backups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backup = data_with_newer_answers(dir.path());
    let db = dir.path().join(DB_FILE);
    let live = std::fs::read(&db).expect("read");

    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").expect("write");
    let foreign = dir.path().join("photos.sqlite3");
    rusqlite::Connection::open(&foreign)
        .and_then(|c| c.execute_batch("CREATE TABLE photo (id INTEGER PRIMARY KEY, name TEXT)"))
        .expect("foreign db");
    let garbage = dir.path().join("garbage.sqlite3");
    std::fs::write(&garbage, vec![0x42u8; 8192]).expect("write");
    for (file, says) in [
        (&empty, "empty (0 bytes)"),
        (&foreign, "not an examdeck one"),
        (&garbage, "not a SQLite database"),
    ] {
        let (code, _, err) = examdeck(dir.path(), &["restore", &file.display().to_string()]);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains(says) && err.contains("Nothing was changed"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&db).expect("read"),
            live,
            "{}",
            file.display()
        );
    }

    let (code, out, err) = examdeck(dir.path(), &["restore", &backup.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("examdeck-before-restore-"), "{out}");
    let (_, list, _) = examdeck(dir.path(), &["backup", "--list"]);
    assert!(list.contains("before-restore copy"), "{list}");
    assert!(
        list.contains("76 answers"),
        "the copy holds the replaced progress: {list}"
    );
}
