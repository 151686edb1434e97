//! How scheduler types are written to and read from SQLite columns.

use crate::schedule::{Phase, Rating, ReviewKind};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

macro_rules! small_enum_sql {
    ($t:ty) => {
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(*self as u8 as i64))
            }
        }

        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let v = value.as_i64()?;
                u8::try_from(v)
                    .ok()
                    .and_then(<$t>::from_u8)
                    .ok_or(FromSqlError::OutOfRange(v))
            }
        }
    };
}

small_enum_sql!(Rating);
small_enum_sql!(Phase);
small_enum_sql!(ReviewKind);

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn round_trip_and_out_of_range() {
        let c = Connection::open_in_memory().expect("open");
        let r: Rating = c
            .query_row("SELECT ?1", [Rating::Hard], |r| r.get(0))
            .expect("query");
        assert_eq!(r, Rating::Hard);
        let p: Phase = c
            .query_row("SELECT ?1", [Phase::Relearning], |r| r.get(0))
            .expect("query");
        assert_eq!(p, Phase::Relearning);
        let bad = c.query_row("SELECT 9", [], |r| r.get::<_, Rating>(0));
        assert!(bad.is_err());
    }
}
