//! `recover` end to end on real files: the adversarial run's case (header overwritten with
//! random bytes, 46 answers newer than the backup) and a truncated file.

use super::*;
use crate::deck::ItemKey;
use crate::learner::{Answer, synthetic};
use crate::schedule::Rating;
use chrono::Duration;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().expect("time")
}

fn key(deck: usize, card: usize) -> ItemKey {
    ItemKey {
        deck: format!("deck-{deck}"),
        card: format!("card-{card}"),
        ord: 0,
    }
}

type State = Vec<(ItemKey, u32, bool, Option<i64>)>;

fn state(l: &Learner) -> (Vec<String>, State) {
    let read = l.store().read();
    let mut uids: Vec<String> = read
        .all_reviews()
        .expect("log")
        .into_iter()
        .map(|r| r.uid)
        .collect();
    uids.sort();
    let items = read
        .all_items()
        .expect("items")
        .into_iter()
        .map(|i| (i.key, i.sched.reps, i.sched.suspended, i.sched.due_ms))
        .collect();
    (uids, items)
}

/// 60 answers, a backup, then 46 answers and a suspension the backup lacks.
fn learner_with_newer_answers(dir: &Path, now: DateTime<Utc>) -> (Vec<String>, State) {
    let lib = synthetic::library(2, 100, 0);
    let mut l = Learner::open(dir, now).expect("open");
    l.set_time_zone(Utc);
    l.sync_library(&lib, now).expect("sync");
    for c in 0..60 {
        l.answer(&key(0, c), &Answer::new(Rating::Good), now)
            .expect("answer");
    }
    l.wait_for_backup().expect("auto backup");
    l.backup_now(now + Duration::minutes(5)).expect("backup");
    let later = now + Duration::hours(1);
    for c in 0..46 {
        l.answer(&key(1, c), &Answer::new(Rating::Hard), later)
            .expect("answer");
    }
    l.suspend(&key(1, 0), later).expect("suspend");
    state(&l)
}

fn damage_header(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).expect("read");
    let noise: [u8; 100] = rand::random();
    bytes[..100].copy_from_slice(&noise);
    std::fs::write(db, &bytes).expect("damage");
    bytes
}

#[test]
fn a_random_header_is_recovered_with_every_newer_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let before = learner_with_newer_answers(dir.path(), now);
    assert_eq!(before.0.len(), 106);
    let db = dir.path().join(DB_FILE);
    let damaged = damage_header(&db);
    assert!(Learner::open(dir.path(), now).is_err());
    let later = now + Duration::days(1);

    let dry = Learner::recover(dir.path(), None, true, later).expect("dry run");
    assert_eq!(dry.header_rebuilt, Some(4096));
    assert_eq!((dry.merge.reviews_known, dry.merge.reviews_added), (60, 46));
    assert_eq!(dry.reviews_total, 106);
    assert_eq!(
        std::fs::read(&db).expect("read"),
        damaged,
        "dry run changes nothing"
    );
    assert!(dry.safety_copy.is_none());

    let done = Learner::recover(dir.path(), None, false, later).expect("recover");
    assert_eq!(done.merge.events_added, 1);
    let copy = done.safety_copy.expect("copy");
    assert_eq!(std::fs::read(&copy).expect("copy"), damaged);
    let kinds: Vec<BackupKind> = backup::list_all(dir.path())
        .expect("list")
        .into_iter()
        .map(|b| b.kind)
        .collect();
    assert!(kinds.contains(&BackupKind::BeforeRecover), "{kinds:?}");

    let mut l = Learner::open(dir.path(), later).expect("opens after recovery");
    l.wait_for_backup()
        .expect("backup of the recovered database");
    assert_eq!(
        state(&l),
        before,
        "the log and every item's state as before the damage"
    );
    // The catalog holds salvaged rows now: no stored fingerprint may let the next library
    // sync skip a deck.
    for key in [
        crate::store::meta::LIBRARY,
        crate::store::meta::LIBRARY_DECKS,
    ] {
        let v: Option<serde_json::Value> = l.store().read().meta_get(key).expect("meta");
        assert_eq!(v, None, "{key} kept after recovery");
    }
}

#[test]
fn a_truncated_database_keeps_the_backup_and_what_was_readable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let before = learner_with_newer_answers(dir.path(), now);
    let db = dir.path().join(DB_FILE);
    let len = std::fs::metadata(&db).expect("meta").len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open");
    f.set_len(len / 2).expect("truncate");
    drop(f);
    let r = Learner::recover(dir.path(), None, false, now + Duration::days(1)).expect("recover");
    assert!(r.reviews_total >= 60, "{r:?}");
    let l = Learner::open(dir.path(), now + Duration::days(1)).expect("opens");
    let (uids, _) = state(&l);
    assert!(uids.iter().all(|u| before.0.contains(u)));
    assert_eq!(l.store().quick_check().expect("check"), Ok(()));
}

#[test]
fn with_no_backup_the_salvage_alone_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    let before = learner_with_newer_answers(dir.path(), now);
    std::fs::remove_dir_all(backup::dir(dir.path())).expect("no backups");
    damage_header(&dir.path().join(DB_FILE));
    let r = Learner::recover(dir.path(), None, false, now + Duration::days(1)).expect("recover");
    assert_eq!(r.base, None);
    assert_eq!(r.merge.reviews_added, 106);
    let l = Learner::open(dir.path(), now + Duration::days(1)).expect("opens");
    assert_eq!(state(&l), before);
}

#[test]
fn a_given_backup_that_is_not_one_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = t("2026-03-01T10:00:00Z");
    learner_with_newer_answers(dir.path(), now);
    let db = dir.path().join(DB_FILE);
    let damaged = damage_header(&db);
    let bogus = dir.path().join("bogus.sqlite3");
    std::fs::write(&bogus, b"").expect("write");
    let err = Learner::recover(dir.path(), Some(&bogus), false, now).expect_err("refused");
    assert!(err.to_string().contains("empty"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), damaged);
    assert!(
        !backup::list_all(dir.path())
            .expect("list")
            .iter()
            .any(|b| b.kind == BackupKind::BeforeRecover)
    );
}
