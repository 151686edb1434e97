use super::*;
use crate::store::Store;
use crate::store::backup::list_all;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().expect("time")
}

/// A data dir whose database holds k = 1 in its backup and k = 2 now.
fn with_backup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(DB_FILE);
    let mut store = Store::open(&path).expect("open");
    store.write(|tx| tx.meta_set("k", &1)).expect("write");
    let b = store
        .backup_now(dir.path(), t("2026-01-01T10:00:00Z"))
        .expect("backup");
    store.write(|tx| tx.meta_set("k", &2)).expect("write");
    drop(store);
    (dir, path, b.path)
}

fn safety_copies(dir: &Path) -> Vec<PathBuf> {
    list_all(dir)
        .expect("list")
        .into_iter()
        .filter(|b| b.kind == BackupKind::BeforeRestore)
        .map(|b| b.path)
        .collect()
}

#[test]
fn restore_brings_back_the_backup_and_names_the_safety_copy() {
    let (dir, path, backup) = with_backup();
    let out = restore(dir.path(), &backup, t("2026-01-02T10:00:00Z")).expect("restore");
    let store = Store::open(&path).expect("open");
    assert_eq!(store.read().meta_get::<i32>("k").expect("get"), Some(1));
    let copy = out.safety_copy.expect("a safety copy");
    assert_eq!(safety_copies(dir.path()), vec![copy.clone()]);
    // The copy is the replaced database: it still says k = 2.
    let old = Store::open(&copy).expect("open copy");
    assert_eq!(old.read().meta_get::<i32>("k").expect("get"), Some(2));
}

#[test]
fn a_damaged_header_is_kept_byte_for_byte_before_restoring() {
    let (dir, path, backup) = with_backup();
    let mut bytes = std::fs::read(&path).expect("read");
    for (i, b) in bytes.iter_mut().take(100).enumerate() {
        *b = (i as u8).wrapping_mul(37).wrapping_add(11);
    }
    std::fs::write(&path, &bytes).expect("damage");
    let out = restore(dir.path(), &backup, t("2026-01-02T10:00:00Z")).expect("restore");
    let copy = out.safety_copy.expect("a safety copy");
    assert_eq!(
        std::fs::read(&copy).expect("read copy"),
        bytes,
        "exact copy"
    );
    Store::open(&path).expect("opens again");
}

#[test]
fn a_failing_safety_copy_refuses_and_changes_nothing() {
    let (dir, path, backup) = with_backup();
    let before = std::fs::read(&path).expect("read");
    // The backups folder cannot take a new file: make the name a read-only folder's child
    // impossible by replacing the folder with a file after the backup was listed.
    let bdir = backup::dir(dir.path());
    let keep = dir.path().join("kept-backup.sqlite3");
    std::fs::rename(&backup, &keep).expect("move");
    std::fs::remove_dir_all(&bdir).expect("rm");
    std::fs::write(&bdir, b"not a folder").expect("file");
    let err = restore(dir.path(), &keep, t("2026-01-02T10:00:00Z")).expect_err("refused");
    assert!(matches!(err, StoreError::SafetyCopy { .. }), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

fn assert_refused(file_bytes: Option<&[u8]>, foreign: bool, expect: &str) {
    let (dir, path, _) = with_backup();
    let before = std::fs::read(&path).expect("read");
    let offered = dir.path().join("offered.sqlite3");
    if let Some(b) = file_bytes {
        std::fs::write(&offered, b).expect("write");
    }
    if foreign {
        let c = Connection::open(&offered).expect("open");
        c.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('a');")
            .expect("foreign");
    }
    let err = restore(dir.path(), &offered, t("2026-01-02T10:00:00Z")).expect_err("refused");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::NotRestorable { .. }), "{msg}");
    assert!(msg.contains(expect), "{msg}");
    assert!(msg.contains("Nothing was changed"), "{msg}");
    assert!(!msg.contains("no backup was found"), "{msg}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "live database untouched"
    );
    assert!(safety_copies(dir.path()).is_empty());
    Store::open(&path).expect("still opens");
}

#[test]
fn an_empty_file_is_refused() {
    assert_refused(Some(b""), false, "empty (0 bytes)");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    assert_refused(Some(&[7u8; 10_000]), false, "not a SQLite database");
}

#[test]
fn a_foreign_sqlite_database_is_refused() {
    assert_refused(None, true, "not an examdeck one");
}

#[test]
fn a_damaged_backup_is_refused() {
    let (dir, _, backup) = with_backup();
    let mut bytes = std::fs::read(&backup).expect("read");
    let len = bytes.len();
    // Scribble over every page after the first: the header is fine, the tables are not.
    for b in bytes.iter_mut().skip(4096).take(len - 4096) {
        *b = 0xA5;
    }
    drop(dir);
    assert_refused(Some(&bytes), false, "cannot be restored");
}

#[test]
fn inspect_reads_a_backup_without_writing_beside_it() {
    let (dir, _, backup) = with_backup();
    let found = inspect(&backup).expect("inspect");
    assert_eq!((found.version, found.reviews), (migrations::LATEST, 0));
    let names: Vec<_> = std::fs::read_dir(backup::dir(dir.path()))
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "no -wal or -shm created: {names:?}");
}
