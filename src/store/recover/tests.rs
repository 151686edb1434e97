//! Attempts and item events salvaged with their global ids (so none is exported twice under
//! two ids).

use super::super::migrations::MIGRATIONS;
use super::super::salvage::salvage;
use super::super::sync::Record;
use super::super::{DB_FILE, Store};
use super::*;
use rusqlite::Connection;
use rusqlite_migration::Migrations;

/// An attempt row: (started, updated, finished, uid, origin).
type AttemptIds<'a> = (i64, i64, Option<i64>, Option<&'a str>, Option<&'a str>);

/// Inserts attempts of exam `x`.
fn attempts(c: &Connection, rows: &[AttemptIds<'_>]) {
    for (started, updated, finished, uid, origin) in rows {
        c.execute(
            "INSERT INTO attempt (exam, started_ms, updated_ms, finished_ms, state_json, uid, \
             origin) VALUES ('x', ?1, ?2, ?3, '{}', ?4, ?5)",
            params![started, updated, finished, uid, origin],
        )
        .expect("attempt");
    }
}

fn ids(s: &Store) -> Vec<(i64, i64, Option<String>, Option<String>)> {
    let tx = s.read();
    let mut stmt = tx
        .conn
        .prepare("SELECT started_ms, updated_ms, uid, origin FROM attempt ORDER BY started_ms")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .and_then(|rows| rows.collect())
        .expect("rows")
}

#[test]
fn salvaged_attempts_keep_their_global_ids_and_are_not_exported_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = tempfile::tempdir().expect("work");
    let db = dir.path().join(DB_FILE);
    {
        let s = Store::open(&db).expect("open");
        attempts(
            &s.conn,
            &[
                (1, 10, Some(10), Some("dev-a"), Some("dev")),
                (2, 20, Some(20), Some("dev-b"), Some("dev")),
                (3, 30, Some(30), Some("dev-c"), Some("dev")),
            ],
        );
    }
    let found = salvage(&db, None, work.path()).expect("salvage");
    assert_eq!(found.attempts.rows.len(), 3);
    assert!(found.attempts.rows.iter().all(|(_, v)| v.len() == 12));
    // The backup predates the export of attempt 1 (same state, no id yet) and the end of
    // attempt 3 (older state); it lacks attempt 2.
    let mut backup = Store::open_in_memory().expect("backup");
    attempts(
        &backup.conn,
        &[(1, 10, Some(10), None, None), (3, 25, None, None, None)],
    );
    let report = backup.merge_salvage(&found).expect("merge");
    assert_eq!((report.attempts_merged, report.rows_rejected), (2, 0));
    let got = ids(&backup);
    let want = |s: i64, u: i64, id: &str| (s, u, Some(format!("dev-{id}")), Some("dev".into()));
    assert_eq!(got, [want(1, 10, "a"), want(2, 20, "b"), want(3, 30, "c")]);
    let pending = backup
        .write(|tx| tx.sync_pending("here", 100))
        .expect("pending");
    assert!(
        !pending.iter().any(|r| matches!(r, Record::Attempt(_))),
        "no attempt exported again: {pending:?}"
    );
}

#[test]
fn attempts_of_a_database_older_than_version_4_are_still_salvaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = tempfile::tempdir().expect("work");
    let db = dir.path().join(DB_FILE);
    {
        let mut c = Connection::open(&db).expect("open");
        Migrations::from_slice(&MIGRATIONS[..3])
            .to_latest(&mut c)
            .expect("version 3");
        c.execute(
            "INSERT INTO attempt (exam, started_ms, updated_ms, finished_ms, state_json) \
             VALUES ('x', 1, 10, 10, '{}')",
            [],
        )
        .expect("attempt");
    }
    let found = salvage(&db, None, work.path()).expect("salvage");
    assert_eq!(found.attempts.rows.len(), 1);
    assert_eq!(found.attempts.rows[0].1.len(), 10);
    let mut fresh = Store::open_in_memory().expect("fresh");
    let report = fresh.merge_salvage(&found).expect("merge");
    assert_eq!(report.attempts_merged, 1);
    assert_eq!(ids(&fresh), [(1, 10, None, None)]);
}

/// Inserts item `a` of deck `d` and its events: (at, kind, uid, origin).
fn events(c: &Connection, rows: &[(i64, i64, Option<&str>, Option<&str>)]) {
    c.execute(
        "INSERT INTO item (deck, card, ord, content_hash, position, added_ms) \
         VALUES ('d', 'a', 0, 'h', 0, 0)",
        [],
    )
    .expect("item");
    for (at, kind, uid, origin) in rows {
        c.execute(
            "INSERT INTO item_event (item_id, at_ms, kind, until_ms, after_review, uid, origin) \
             VALUES (1, ?1, ?2, NULL, 0, ?3, ?4)",
            params![at, kind, uid, origin],
        )
        .expect("event");
    }
}

fn event_ids(s: &Store) -> Vec<(i64, Option<String>, Option<String>)> {
    let tx = s.read();
    let mut stmt = tx
        .conn
        .prepare("SELECT at_ms, uid, origin FROM item_event ORDER BY at_ms")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect())
        .expect("rows")
}

#[test]
fn salvaged_item_events_keep_their_global_ids_and_are_not_exported_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = tempfile::tempdir().expect("work");
    let db = dir.path().join(DB_FILE);
    {
        let s = Store::open(&db).expect("open");
        events(
            &s.conn,
            &[
                (10, 0, Some("dev-e1"), Some("dev")),
                (20, 1, Some("dev-e2"), Some("dev")),
            ],
        );
    }
    let found = salvage(&db, None, work.path()).expect("salvage");
    assert_eq!(found.events.rows.len(), 2);
    assert!(found.events.rows.iter().all(|(_, v)| v.len() == 7));
    // The backup predates the export of the first event (no id yet) and lacks the second.
    let mut backup = Store::open_in_memory().expect("backup");
    events(&backup.conn, &[(10, 0, None, None)]);
    let report = backup.merge_salvage(&found).expect("merge");
    assert_eq!((report.events_added, report.rows_rejected), (1, 0));
    let want = |at: i64, id: &str| (at, Some(format!("dev-{id}")), Some("dev".to_string()));
    assert_eq!(event_ids(&backup), [want(10, "e1"), want(20, "e2")]);
    let pending = backup
        .write(|tx| tx.sync_pending("here", 100))
        .expect("pending");
    assert!(
        !pending.iter().any(|r| matches!(r, Record::Event(_))),
        "no event exported again: {pending:?}"
    );
}

#[test]
fn item_events_of_a_database_older_than_version_3_are_still_salvaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = tempfile::tempdir().expect("work");
    let db = dir.path().join(DB_FILE);
    {
        let mut c = Connection::open(&db).expect("open");
        Migrations::from_slice(&MIGRATIONS[..2])
            .to_latest(&mut c)
            .expect("version 2");
        c.execute_batch(
            "INSERT INTO item (deck, card, ord, content_hash, position, added_ms) \
             VALUES ('d', 'a', 0, 'h', 0, 0);
             INSERT INTO item_event (item_id, at_ms, kind, until_ms, after_review) \
             VALUES (1, 10, 0, NULL, 0);",
        )
        .expect("rows");
    }
    let found = salvage(&db, None, work.path()).expect("salvage");
    assert_eq!(found.events.rows.len(), 1);
    assert_eq!(found.events.rows[0].1.len(), 5);
    let mut fresh = Store::open_in_memory().expect("fresh");
    let report = fresh.merge_salvage(&found).expect("merge");
    assert_eq!(report.events_added, 1);
    assert_eq!(event_ids(&fresh), [(10, None, None)]);
}
