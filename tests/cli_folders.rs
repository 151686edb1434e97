//! The command line loads the same decks as the app: the deck folders saved in Settings and
//! the `decks/` folder shared inside the sync folder, besides the bundled and own decks
//! (`examdeck due`, `check`, `paper`, `sync`, `pack`).

use examdeck::learner::Learner;
use examdeck::schedule::Settings;
use std::path::{Path, PathBuf};
use std::process::Command;

fn examdeck(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_examdeck"))
        .args(args)
        .env("EXAMDECK_DATA_DIR", data)
        .env_remove("EXAMDECK_SYNC_DIR")
        .output()
        .expect("run examdeck");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exam-paper")
}

/// Copies the fixture deck and its exam blueprint into `to`.
fn copy_fixture(to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(fixture()).expect("fixture").flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn due_decks(data: &Path) -> Vec<String> {
    let (code, out, err) = examdeck(data, &["due", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    json(&out)["decks"]
        .as_array()
        .expect("decks")
        .iter()
        .filter_map(|d| d["deck"].as_str().map(str::to_string))
        .collect()
}

fn checked_decks(data: &Path) -> u64 {
    let (_, out, err) = examdeck(data, &["check", "--format", "json"]);
    json(&out)["summary"]["decks"]
        .as_u64()
        .unwrap_or_else(|| panic!("{err}"))
}

#[test]
fn a_deck_folder_saved_in_settings_is_loaded_by_due_check_paper_and_pack() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let saved = tmp.path().join("group-decks");
    copy_fixture(&saved);
    let (code, _, err) = examdeck(&data, &["due"]);
    assert_eq!(code, 0, "{err}");
    assert!(!due_decks(&data).contains(&"fixture/paper".to_string()));
    let before = checked_decks(&data);
    let (code, _, _) = examdeck(&data, &["paper", "--exam", "paper-exam", "--seed", "1"]);
    assert_ne!(code, 0, "the exam is not known yet");

    // Saved in Settings, as the app's "Add deck folder" does.
    {
        let mut l = Learner::open(&data, chrono::Utc::now()).expect("open");
        let s = Settings {
            deck_folders: vec![saved.clone()],
            ..l.settings().clone()
        };
        l.set_settings(s).expect("save");
        l.wait_for_backup().expect("backup");
    }
    assert!(due_decks(&data).contains(&"fixture/paper".to_string()));
    assert_eq!(checked_decks(&data), before + 1);
    let (code, out, err) = examdeck(
        &data,
        &[
            "paper",
            "--exam",
            "paper-exam",
            "--seed",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["exam"], "paper-exam");
    let zip = tmp.path().join("paper.zip");
    let zip_arg = zip.display().to_string();
    let (code, out, err) = examdeck(&data, &["pack", "fixture/paper", "-o", &zip_arg]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(zip.is_file());
}

#[test]
fn the_decks_shared_in_the_sync_folder_are_loaded_once_it_is_saved() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let sync = tmp.path().join("sync");
    copy_fixture(&examdeck::sync::decks_dir(&sync));
    assert!(!due_decks(&data).contains(&"fixture/paper".to_string()));
    let sync_arg = sync.display().to_string();
    let (code, out, err) = examdeck(&data, &["sync", "--dir", &sync_arg]);
    assert_eq!(code, 0, "{out}{err}");
    // `--dir` was remembered: later commands load the shared decks without being told.
    assert!(due_decks(&data).contains(&"fixture/paper".to_string()));
    let (code, _, err) = examdeck(&data, &["paper", "--exam", "paper-exam", "--seed", "2"]);
    assert_eq!(code, 0, "{err}");
}
