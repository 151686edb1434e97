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
}
