//! A learner on disk: backups, damage, two processes.

use super::*;

#[test]
fn open_on_disk_backs_up_once_a_day_and_names_backup_when_corrupt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let lib = synthetic::library(1, 3, 0);
    {
        let mut l = Learner::open(dir.path(), now).expect("open");
        l.sync_library(&lib, now).expect("sync");
        assert!(l.wait_for_backup().expect("backup").is_some());
        assert_eq!(l.backups().expect("backups").len(), 1);
    }
    {
        let mut l = Learner::open(dir.path(), now + Duration::hours(1)).expect("open");
        assert!(
            l.wait_for_backup().expect("backup").is_none(),
            "at most once a day"
        );
        assert_eq!(l.backups().expect("backups").len(), 1);
    }
    std::fs::write(dir.path().join(DB_FILE), vec![1u8; 4096]).expect("damage");
    let _ = std::fs::remove_file(dir.path().join("examdeck.sqlite3-wal"));
    let err = Learner::open(dir.path(), now + Duration::days(1)).expect_err("corrupt");
    let msg = err.to_string();
    assert!(msg.contains("damaged") && msg.contains("backups"), "{msg}");
    let b = l_backups(dir.path());
    Learner::restore(dir.path(), &b, now + Duration::days(1)).expect("restore");
    Learner::open(dir.path(), now + Duration::days(1)).expect("opens after restore");
}

fn l_backups(dir: &Path) -> PathBuf {
    backup::list(dir).expect("list").remove(0).path
}

#[test]
fn damaged_pages_are_reported_with_the_newest_good_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let lib = synthetic::library(4, 200, 0);
    {
        let mut l = Learner::open(dir.path(), now).expect("open");
        l.sync_library(&lib, now).expect("sync");
        drain(&mut l, &lib, &StudyScope::All, now, Rating::Good);
        l.wait_for_backup().expect("backup");
        l.backup_now(now + Duration::minutes(5))
            .expect("backup with data");
    }
    let good = backup::list(dir.path()).expect("list").remove(0).path;
    // Damage a page in the middle of the file (the schema on page 1 stays readable).
    let db = dir.path().join(DB_FILE);
    let mut bytes = std::fs::read(&db).expect("read");
    assert!(bytes.len() > 40_000, "{}", bytes.len());
    for b in &mut bytes[4096 * 5..4096 * 5 + 3000] {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).expect("write");
    let msg = match Learner::open(dir.path(), now + Duration::days(1)) {
        Err(e) => e.to_string(),
        Ok(mut l) => l
            .wait_for_backup()
            .expect_err("quick_check fails")
            .to_string(),
    };
    assert!(msg.contains("damaged"), "{msg}");
    assert!(msg.contains(&good.display().to_string()), "{msg}");
}

#[test]
fn two_learners_on_one_database_take_turns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let lib = synthetic::library(1, 40, 0);
    let mut a = Learner::open(dir.path(), now).expect("open a");
    a.set_time_zone(Utc);
    a.sync_library(&lib, now).expect("sync");
    let mut b = Learner::open(dir.path(), now).expect("open b");
    b.set_time_zone(Utc);
    let handle = std::thread::spawn(move || {
        for c in 20..40 {
            b.answer(&key(0, c, 0), &Answer::new(Rating::Good), now)
                .expect("b answers");
        }
        b
    });
    for c in 0..20 {
        a.answer(&key(0, c, 0), &Answer::new(Rating::Good), now)
            .expect("a answers");
    }
    let b = handle.join().expect("thread");
    assert_eq!(a.store().read().all_reviews().expect("log").len(), 40);
    assert_eq!(b.store().integrity_check().expect("check"), Ok(()));
}
