//! kill -9 during a merge: `examdeck sync` is killed at random moments while merging a peer's
//! files; nothing is lost (every file is merged once whole), `integrity_check` passes and the
//! cache equals a rebuild from the log.

use chrono::Duration;
use examdeck::learner::{Answer, Learner, StudyScope, synthetic};
use examdeck::schedule::Rating;
use examdeck::store::Store;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::process::{Command, Stdio};

fn binary() -> std::path::PathBuf {
    std::env::var_os("EXAMDECK_CRASH_BIN")
        .map(Into::into)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_examdeck").into())
}

fn sync_child(data: &std::path::Path, shared: &std::path::Path) -> std::process::Child {
    Command::new(binary())
        .arg("--data-dir")
        .arg(data)
        .args(["sync", "--dir"])
        .arg(shared)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn")
}

#[test]
fn sigkill_during_a_merge_loses_nothing() {
    let shared = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let lib = synthetic::library(4, 100, 0);
    let t0 = chrono::DateTime::from_timestamp_millis(1_780_000_000_000).expect("time");
    // The peer: 1,200 answers in 12 files.
    let mut peer = Learner::open_in_memory().expect("peer");
    peer.sync_library(&lib, t0).expect("library");
    let s = examdeck::schedule::Settings {
        new_per_day: 5_000,
        ..peer.settings().clone()
    };
    peer.set_settings(s).expect("settings");
    let mut at = t0;
    for file in 0..12 {
        at += Duration::days(1);
        for _ in 0..100 {
            at += Duration::seconds(20);
            let Some(n) = peer.next_item(&StudyScope::All, &lib, at).expect("next") else {
                break;
            };
            peer.answer(&n.key, &Answer::new(Rating::Good), at)
                .expect("answer");
        }
        let o = examdeck::sync::sync(&mut peer, shared.path(), at + Duration::seconds(file))
            .expect("peer sync");
        assert!(o.exported > 0, "file {file}");
    }
    let total = peer.store().read().review_totals().expect("totals").0;
    assert!(total > 1_000, "{total}");
    let mut rng = StdRng::seed_from_u64(42);
    for round in 0..8 {
        killed_sync(data.path(), shared.path(), rng.random_range(30..600), round);
    }
    finish_and_compare_with_a_rebuild(data.path(), shared.path(), at, total);
}

/// A sync killed after `ms` milliseconds; the database it leaves, checked sound.
fn killed_sync(data: &std::path::Path, shared: &std::path::Path, ms: u64, round: u32) -> Store {
    let mut child = sync_child(data, shared);
    std::thread::sleep(std::time::Duration::from_millis(ms));
    child.kill().expect("kill");
    child.wait().expect("wait");
    let store = Store::open(&data.join(examdeck::store::DB_FILE)).expect("reopen");
    assert_eq!(
        store.integrity_check().expect("check"),
        Ok(()),
        "round {round}"
    );
    store
}

/// A sync run to its end: every one of the peer's `total` answers is in, and the item states
/// are what a rebuild from the log gives.
fn finish_and_compare_with_a_rebuild(
    data: &std::path::Path,
    shared: &std::path::Path,
    at: chrono::DateTime<chrono::Utc>,
    total: u64,
) {
    let status = sync_child(data, shared).wait().expect("wait");
    assert!(status.success());
    let mut l = Learner::open(data, at).expect("open");
    assert_eq!(l.store().read().review_totals().expect("totals").0, total);
    let before = l.store().read().all_items().expect("items");
    l.rebuild_from_log().expect("rebuild");
    assert_eq!(before, l.store().read().all_items().expect("items"));
}

/// The log's secondary indexes (a bulk merge drops them inside its transaction and builds the
/// uid index again before its commit; the two lookup indexes come back behind the sync, or at
/// the next open after a kill — `Store::open` here).
fn review_indexes(data: &std::path::Path) -> Vec<String> {
    let c = rusqlite::Connection::open(data.join(examdeck::store::DB_FILE)).expect("open");
    let mut stmt = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review' ORDER BY name")
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .expect("indexes")
}

#[test]
fn sigkill_during_a_bulk_merge_that_rebuilds_the_log_indexes_loses_nothing() {
    let shared = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    // 12,000 answers in one file into an empty log: large enough for the bulk path.
    let lib = synthetic::library(4, 3_000, 0);
    let t0 = chrono::DateTime::from_timestamp_millis(1_780_000_000_000).expect("time");
    let mut peer = Learner::open_in_memory().expect("peer");
    peer.sync_library(&lib, t0).expect("library");
    let mut at = t0;
    for (key, _, _) in lib.items() {
        at += Duration::seconds(5);
        peer.answer(&key, &Answer::new(Rating::Good), at)
            .expect("answer");
    }
    examdeck::sync::sync(&mut peer, shared.path(), at).expect("peer sync");
    let total = peer.store().read().review_totals().expect("totals").0;
    assert_eq!(total, 12_000);
    // The data folder exists with its schema before the first kill.
    drop(Learner::open(data.path(), at).expect("create"));
    let indexes = review_indexes(data.path());
    let mut rng = StdRng::seed_from_u64(7);
    for round in 0..6 {
        let store = killed_sync(
            data.path(),
            shared.path(),
            rng.random_range(50..2_000),
            round,
        );
        let n = store.read().review_totals().expect("totals").0;
        assert!(n == 0 || n == total, "all or nothing, round {round}: {n}");
        drop(store);
        assert_eq!(review_indexes(data.path()), indexes, "round {round}");
    }
    finish_and_compare_with_a_rebuild(data.path(), shared.path(), at, total);
    assert_eq!(review_indexes(data.path()), indexes);
}
