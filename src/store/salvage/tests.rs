use super::*;
use crate::deck::ItemKey;
use crate::schedule::{Rating, ReviewKind};
use crate::store::Store;
use crate::store::items::CatalogEntry;
use crate::store::reviews::ReviewRow;

/// A database with `n` answers on 10 items, closed (WAL folded in); its path.
pub(crate) fn db_with_reviews(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join(DB_FILE);
    let mut s = Store::open(&path).expect("open");
    s.write(|tx| {
        let mut ids = Vec::new();
        for c in 0..10 {
            let key = ItemKey {
                deck: "d".into(),
                card: format!("c{c}"),
                ord: 0,
            };
            let e = CatalogEntry {
                key,
                exam: None,
                domain: None,
                content_hash: "h".into(),
            };
            ids.push(tx.insert_item(&e, c, 0)?);
        }
        for i in 0..n {
            tx.add_review(&ReviewRow {
                id: 0,
                uid: format!("uid-{i:06}"),
                item_id: ids[i % 10],
                at_ms: 1_000_000 + i as i64,
                rating: Rating::Good,
                kind: ReviewKind::Review,
                time_ms: 1000,
                response: Some(format!("{{\"answer\":\"{}\"}}", "x".repeat(80))),
            })?;
        }
        Ok(())
    })
    .expect("write");
    drop(s);
    path
}

fn uids(s: &Salvage) -> Vec<String> {
    s.reviews
        .rows
        .iter()
        .filter_map(|(_, v)| match &v[0] {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_header_of_random_bytes_is_rebuilt_and_every_answer_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db_with_reviews(dir.path(), 2000);
    let template = dir.path().join("template.sqlite3");
    std::fs::copy(&db, &template).expect("template");
    let mut bytes = std::fs::read(&db).expect("read");
    let noise: [u8; 100] = rand::random();
    bytes[..100].copy_from_slice(&noise);
    std::fs::write(&db, &bytes).expect("damage");
    assert!(Store::open(&db).is_err(), "SQLite refuses the damaged file");
    for template in [Some(template.as_path()), None] {
        let work = tempfile::tempdir().expect("work");
        let s = salvage(&db, template, work.path()).expect("salvage");
        assert_eq!(s.header_rebuilt, Some(4096));
        assert_eq!(s.reviews.rows.len(), 2000, "{:?}", s.reviews.failed_reads);
        assert_eq!(s.items.rows.len(), 10);
        assert_eq!(uids(&s)[1999], "uid-001999");
    }
    assert_eq!(
        std::fs::read(&db).expect("read"),
        bytes,
        "original untouched"
    );
}

#[test]
fn a_truncated_file_gives_the_answers_before_the_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db_with_reviews(dir.path(), 2000);
    let len = std::fs::metadata(&db).expect("meta").len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open");
    f.set_len(len * 2 / 3 / 4096 * 4096 + 1000)
        .expect("truncate");
    drop(f);
    let work = tempfile::tempdir().expect("work");
    let s = salvage(&db, None, work.path()).expect("salvage");
    assert!(s.readable);
    let n = s.reviews.rows.len();
    assert!(n > 200 && n < 2000, "{n} answers read");
    assert_eq!(uids(&s)[0], "uid-000000");
}

#[test]
fn a_damaged_page_in_the_middle_is_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db_with_reviews(dir.path(), 4000);
    let mut bytes = std::fs::read(&db).expect("read");
    // Scribble over every page holding the middle answer's uid (its table leaf and its index
    // entry), found by content so the test does not depend on where the schema puts pages.
    let needle = b"uid-002000";
    let pages: Vec<usize> = bytes
        .chunks(4096)
        .enumerate()
        .filter(|(_, p)| p.windows(needle.len()).any(|w| w == needle))
        .map(|(i, _)| i)
        .collect();
    assert!(!pages.is_empty(), "the middle answer is on some page");
    for p in pages {
        for b in &mut bytes[p * 4096..(p + 1) * 4096] {
            *b = 0xEE;
        }
    }
    std::fs::write(&db, &bytes).expect("damage");
    let work = tempfile::tempdir().expect("work");
    let s = salvage(&db, None, work.path()).expect("salvage");
    let got = uids(&s);
    assert!(got.len() > 3000 && got.len() < 4000, "{}", got.len());
    assert!(
        got.contains(&"uid-003999".to_string()),
        "rows after the damage are read"
    );
    assert!(s.reviews.failed_reads > 0);
}

#[test]
fn a_file_with_nothing_readable_salvages_nothing_without_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join(DB_FILE);
    std::fs::write(&db, vec![0x42u8; 3 * 4096]).expect("write");
    let work = tempfile::tempdir().expect("work");
    let s = salvage(&db, None, work.path()).expect("salvage");
    assert!(!s.readable);
    assert!(s.reviews.rows.is_empty());
}
