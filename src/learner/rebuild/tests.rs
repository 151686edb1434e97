use super::*;
use crate::learner::{Answer, StudyScope, synthetic};
use crate::schedule::Rating;
use crate::store::sync::Record;
use chrono::{DateTime, Duration, Utc};

pub(super) fn t0() -> DateTime<Utc> {
    crate::schedule::day::from_ms(1_780_000_000_000)
}

pub(super) fn learner(lib: &crate::deck::Library) -> Learner {
    let mut l = Learner::open_in_memory().expect("open");
    l.set_time_zone(Utc);
    l.sync_library(lib, t0()).expect("library");
    l
}

pub(super) fn row(l: &Learner, key: &ItemKey) -> ItemRow {
    l.store()
        .read()
        .item_by_key(key)
        .expect("read")
        .expect("item")
}

/// A cache row no replay would write (stability 999 days on a new item).
pub(super) fn corrupt(l: &mut Learner, key: &ItemKey) -> ItemRow {
    let r = row(l, key);
    let bad = ItemSched {
        stability: Some(999.0),
        reps: 77,
        ..r.sched.clone()
    };
    l.store
        .write(|tx| tx.set_item_state(r.id, &bad, None, None, r.edited))
        .expect("write");
    row(l, key)
}

#[test]
fn a_merge_replays_only_the_cards_whose_history_changed() {
    let lib = synthetic::library(2, 6, 0);
    let (mut a, mut b) = (learner(&lib), learner(&lib));
    let keys: Vec<ItemKey> = lib.items().map(|(k, _, _)| k).collect();
    // B answers one card; A corrupts the cache row of another, unrelated card.
    let answered = b
        .next_item(&StudyScope::All, &lib, t0())
        .expect("next")
        .expect("item")
        .key;
    b.answer(&answered, &Answer::new(Rating::Good), t0())
        .expect("answer");
    let unrelated = keys
        .iter()
        .find(|k| k.card != answered.card)
        .expect("another card")
        .clone();
    let corrupted = corrupt(&mut a, &unrelated);
    let mut records: Vec<Record> = Vec::new();
    b.export_pending(t0(), 1000, |r| {
        records = r.to_vec();
        Ok(())
    })
    .expect("export");
    let later = t0() + Duration::minutes(1);
    let counts = a.merge_file("peer", "f1", &records, later).expect("merge");
    assert_eq!(counts.reviews, 1);
    assert_eq!(
        row(&a, &answered).sched,
        row(&b, &answered).sched,
        "the merged card is replayed"
    );
    assert_eq!(
        row(&a, &unrelated),
        corrupted,
        "a card outside the merge is not replayed"
    );
    // The corrupted row really was wrong: a full rebuild repairs it.
    a.rebuild_from_log().expect("rebuild");
    assert_eq!(row(&a, &unrelated).sched, ItemSched::default());
}

#[test]
fn replay_reports_rising_progress_and_writes_only_changed_rows() {
    let lib = synthetic::library(3, 400, 0);
    let mut l = learner(&lib);
    let key = lib.items().map(|(k, _, _)| k).nth(5).expect("item");
    l.answer(&key, &Answer::new(Rating::Good), t0())
        .expect("answer");
    corrupt(&mut l, &key);
    let mut seen = Vec::new();
    let changed = l
        .rebuild_from_log_with(&mut |p| seen.push(p))
        .expect("rebuild");
    assert_eq!(changed, 1, "only the corrupted row differs from its replay");
    let total = l.store().read().item_count().expect("count");
    assert_eq!(total, 1200);
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));
    assert!(seen.iter().all(|p| p.total == total));
    assert_eq!(seen.last().map(|p| p.done), Some(total));
    assert_eq!(row(&l, &key).sched.reps, 1);
}

#[test]
fn answers_of_the_same_millisecond_replay_in_uid_order_by_lookup_and_by_scan() {
    use crate::store::sync::ReviewRecord;
    let lib = synthetic::library(1, 3, 0);
    let mut l = learner(&lib);
    let key = lib.items().map(|(k, _, _)| k).next().expect("item");
    let at = t0().timestamp_millis();
    let review = |uid: &str, at: i64, rating: u8| {
        Record::Review(ReviewRecord {
            uid: uid.into(),
            deck: key.deck.clone(),
            card: key.card.clone(),
            ord: key.ord,
            at,
            rating,
            kind: 1,
            time_ms: 1000,
            response: None,
        })
    };
    // Three answers at one ms: uid order is Easy (canonical, small), Again (canonical),
    // Hard (not examdeck's form, sorts last); a fourth a day later.
    let records = vec![
        review("~peer-made-uid", at, 2),
        review(&format!("{:012x}-{:016x}", at, 9), at, 1),
        review(&format!("{:012x}-{:016x}", at, 1), at, 4),
        review(
            &format!("{:012x}-{:016x}", at + 86_400_000, 3),
            at + 86_400_000,
            3,
        ),
    ];
    l.merge_file("peer", "f1", &records, t0()).expect("merge");
    // One card: replayed by lookups, with every uid read.
    let by_lookup = row(&l, &key);
    assert_eq!(by_lookup.sched.reps, 4);
    corrupt(&mut l, &key);
    // A rebuild reads the log in scans, with uids only for the tied answers.
    l.rebuild_from_log().expect("rebuild");
    assert_eq!(row(&l, &key).sched, by_lookup.sched);
    // The order matters: the same answers with the Hard one first give another state.
    let mut other = learner(&lib);
    let mut swapped = records.clone();
    swapped[0] = review("000000000000-peer", at, 2);
    other
        .merge_file("peer", "f1", &swapped, t0())
        .expect("merge");
    assert_ne!(
        row(&other, &key).sched,
        by_lookup.sched,
        "uid order decides"
    );
    corrupt(&mut other, &key);
    let expected = {
        let mut o = learner(&lib);
        o.merge_file("peer", "f1", &swapped, t0()).expect("merge");
        row(&o, &key).sched
    };
    other.rebuild_from_log().expect("rebuild");
    assert_eq!(row(&other, &key).sched, expected);
}
