//! Schema migrations. Each entry is one `.sql` file; a later issue (mock exams) adds its
//! tables by appending `M::up(include_str!("sql/0002_….sql"))` to [`MIGRATIONS`] and bumping
//! [`LATEST`] — nothing else changes.

use super::{Result, StoreError, classify};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// The migrations, in order. The database's `user_version` is the number applied.
pub const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("sql/0001_init.sql")),
    M::up(include_str!("sql/0002_attempts.sql")),
    M::up(include_str!("sql/0003_sync.sql")),
    M::up(include_str!("sql/0004_attempt_sync.sql")),
    M::up(include_str!("sql/0005_item_buried.sql")),
    M::up(include_str!("sql/0006_review_uid_index.sql")),
    M::up(include_str!("sql/0007_item_due_stable_until.sql")),
];

/// The newest schema version this app knows.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Applies every pending migration.
pub fn migrate(conn: &mut Connection, path: &str) -> Result<()> {
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if found > LATEST {
        return Err(StoreError::SchemaTooNew {
            path: path.to_string(),
            found,
            known: LATEST,
        });
    }
    Migrations::from_slice(MIGRATIONS)
        .to_latest(conn)
        .map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => classify(path, err),
            other => StoreError::Migration {
                path: path.to_string(),
                detail: other.to_string(),
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(Migrations::from_slice(MIGRATIONS).validate().is_ok());
    }

    #[test]
    fn migrate_sets_user_version_and_is_idempotent() {
        let mut c = Connection::open_in_memory().expect("open");
        migrate(&mut c, "mem").expect("migrate");
        migrate(&mut c, "mem").expect("again");
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("pragma");
        assert_eq!(v, LATEST);
    }

    /// Every schema object's (type, name, sql), in name order.
    fn schema(c: &Connection) -> Vec<(String, String, Option<String>)> {
        let mut stmt = c
            .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .expect("schema")
    }

    /// Every column of every answer, in id order.
    fn review_rows(c: &Connection) -> Vec<Vec<rusqlite::types::Value>> {
        let mut stmt = c
            .prepare(
                "SELECT id, uid, item_id, at_ms, rating, kind, time_ms, response, origin \
                 FROM review ORDER BY id",
            )
            .expect("prepare");
        stmt.query_map([], |r| (0..9).map(|i| r.get(i)).collect())
            .and_then(|rows| rows.collect())
            .expect("rows")
    }

    #[test]
    fn version_6_mastery_and_daily_tally_are_counted_as_before() {
        let mut c = Connection::open_in_memory().expect("open");
        Migrations::from_slice(&MIGRATIONS[..6])
            .to_latest(&mut c)
            .expect("version 6");
        c.execute_batch(
            "INSERT INTO item (deck, card, ord, content_hash, position, added_ms, phase,
                               due_ms, stable_until_ms, removed, introduced_ms)
                 VALUES ('a', '1', 0, 'h', 0, 0, 2, 10, 500, 0, 150),
                        ('a', '2', 0, 'h', 1, 0, 2, 20, 100, 0, 50),
                        ('b', '1', 0, 'h', 2, 0, 2, 30, 900, 0, 250),
                        ('b', '2', 0, 'h', 3, 0, 2, 40, 900, 1, 90),
                        ('c', '1', 0, 'h', 4, 0, 0, NULL, NULL, 0, NULL);",
        )
        .expect("rows");
        let count = |c: &Connection, sql: &str, at: i64| -> Vec<(String, i64)> {
            let mut stmt = c.prepare(sql).expect("prepare");
            stmt.query_map([at], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect())
                .expect("count")
        };
        let mastered = count(
            &c,
            "SELECT deck, COUNT(*) FROM item INDEXED BY item_mastered \
             WHERE removed = 0 AND stable_until_ms >= ?1 GROUP BY deck",
            200,
        );
        assert_eq!(mastered, [("a".to_string(), 1), ("b".to_string(), 1)]);
        let tally = include_str!("sql/tally_new.sql");
        let introduced = count(&c, tally, 100);
        assert_eq!(introduced, [("a".to_string(), 1), ("b".to_string(), 1)]);
        migrate(&mut c, "mem").expect("to 7");
        let mastery = include_str!("sql/counts_mastered.sql").replace(":now", "?1");
        assert_eq!(count(&c, &mastery, 200), mastered);
        assert_eq!(count(&c, tally, 100), introduced);
        for (sql, index) in [(mastery.as_str(), "item_due"), (tally, "item_introduced")] {
            let plan: String = c
                .query_row(&format!("EXPLAIN QUERY PLAN {sql}"), [0], |r| r.get(3))
                .expect("plan");
            assert!(plan.contains(&format!("COVERING INDEX {index}")), "{plan}");
        }
        let mut fresh = Connection::open_in_memory().expect("open");
        migrate(&mut fresh, "mem").expect("fresh");
        assert_eq!(schema(&c), schema(&fresh));
        assert!(
            !schema(&c)
                .iter()
                .any(|(_, name, _)| name == "item_mastered"),
            "the index an answer no longer writes is gone"
        );
    }

    #[test]
    fn version_4_log_migrates_to_a_named_uid_index_with_every_row_kept() {
        let mut c = Connection::open_in_memory().expect("open");
        c.pragma_update(None, "foreign_keys", true).expect("fk");
        Migrations::from_slice(&MIGRATIONS[..4])
            .to_latest(&mut c)
            .expect("version 4");
        c.execute_batch(
            "INSERT INTO item (deck, card, ord, content_hash, position, added_ms)
                 VALUES ('d', 'a', 0, 'h', 0, 0), ('d', 'b', 0, 'h', 1, 0);
             INSERT INTO review (id, uid, item_id, at_ms, rating, kind, time_ms, response, origin)
                 VALUES (3, 'u-3', 1, 30, 3, 1, 900, NULL, NULL),
                        (7, 'u-7', 2, 10, 1, 0, 1200, '[1]', 'peer'),
                        (8, 'u-8', 1, 20, 4, 4, 0, NULL, 'me');
             INSERT INTO item_event (item_id, at_ms, kind, after_review) VALUES (1, 40, 0, 8);",
        )
        .expect("rows");
        let before = review_rows(&c);
        migrate(&mut c, "mem").expect("to 5");
        assert_eq!(review_rows(&c), before, "ids and values kept");
        // Uniqueness holds through the named index, and nothing else of the log changed.
        let dup = c.execute(
            "INSERT INTO review (uid, item_id, at_ms, rating, kind, time_ms) \
             VALUES ('u-7', 1, 50, 3, 1, 0)",
            [],
        );
        assert!(dup.is_err(), "duplicate uid refused");
        let ignored = c
            .execute(
                "INSERT OR IGNORE INTO review (uid, item_id, at_ms, rating, kind, time_ms) \
                 VALUES ('u-3', 1, 50, 3, 1, 0)",
                [],
            )
            .expect("or ignore");
        assert_eq!(ignored, 0);
        let orphan = c.execute(
            "INSERT INTO review (uid, item_id, at_ms, rating, kind, time_ms) \
             VALUES ('u-9', 99, 50, 3, 1, 0)",
            [],
        );
        assert!(orphan.is_err(), "foreign key to item kept");
        let bad = c.execute(
            "INSERT INTO review (uid, item_id, at_ms, rating, kind, time_ms) \
             VALUES ('u-9', 1, 50, 5, 1, 0)",
            [],
        );
        assert!(bad.is_err(), "rating check kept");
        let mut stmt = c
            .prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'review' ORDER BY name")
            .expect("prepare");
        let names: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .expect("names");
        drop(stmt);
        assert_eq!(
            names,
            [
                "review",
                "review_at",
                "review_item",
                "review_uid",
                "review_unexported"
            ],
            "no automatic index left"
        );
        // A migrated database and a new one have the same schema, and the log's columns.
        let mut fresh = Connection::open_in_memory().expect("open");
        migrate(&mut fresh, "mem").expect("fresh");
        assert_eq!(schema(&c), schema(&fresh));
        let cols = |c: &Connection| -> Vec<(String, String, bool)> {
            let mut stmt = c.prepare("PRAGMA table_info(review)").expect("prepare");
            stmt.query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))
                .and_then(|rows| rows.collect())
                .expect("columns")
        };
        assert_eq!(cols(&c).len(), 9);
        assert_eq!(cols(&c)[1], ("uid".to_string(), "TEXT".to_string(), true));
        assert_eq!(
            c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
                .expect("check"),
            "ok"
        );
        let fk: i64 = c
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .expect("fk check");
        assert_eq!(fk, 0);
    }
}
