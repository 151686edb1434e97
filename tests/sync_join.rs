//! A device with 200,000 answers joins a sync folder: its history goes out as several files
//! (at most 50,000 records each), comes in by the bulk merge (the replay inside its
//! transaction, the log's lookup indexes behind it), and both devices end with the same log
//! and the same item states, which a rebuild from the log leaves as they are.

use chrono::{Duration, Utc};
use examdeck::deck::ItemKey;
use examdeck::learner::{Answer, Learner, synthetic};
use examdeck::schedule::Rating;
use std::collections::{BTreeMap, BTreeSet};

/// Every answer's uid.
fn uids(l: &Learner) -> BTreeSet<String> {
    let log = l.store().read().all_reviews().expect("log");
    log.into_iter().map(|r| r.uid).collect()
}

/// Every item's scheduling state, burial and first sight, by key (row ids differ between
/// devices).
fn states(l: &Learner) -> BTreeMap<ItemKey, String> {
    let items = l.store().read().all_items().expect("items");
    items
        .into_iter()
        .map(|i| {
            let state = format!(
                "{:?} {:?} {:?}",
                i.sched, i.buried_until_ms, i.introduced_ms
            );
            (i.key, state)
        })
        .collect()
}

#[test]
fn a_device_with_200_000_answers_joins_and_both_end_alike() {
    let shared = tempfile::tempdir().expect("tempdir");
    let big = tempfile::tempdir().expect("tempdir");
    let small = tempfile::tempdir().expect("tempdir");
    // The joining device: a year of study, 200,000 answers to 50,000 items (the sync bench's
    // collection; its library is 50 decks of 1,000 cards).
    examdeck::cli::bench::generate(big.path(), 50_000, 200_000).expect("generate");
    let lib = synthetic::library(50, 1_000, 0);
    let now = examdeck::cli::bench::bench_now();
    let mut b = Learner::open(big.path(), now).expect("open big");
    b.set_time_zone(Utc);
    assert_eq!(b.store().read().review_totals().expect("totals").0, 200_000);

    // A device that has answered a few of the same cards, earlier than the joining one.
    let mut a = Learner::open(small.path(), now).expect("open small");
    a.set_time_zone(Utc);
    a.sync_library(&lib, now).expect("library");
    let keys: Vec<_> = lib.items().map(|(k, _, _)| k).take(20).collect();
    for (i, key) in keys.iter().enumerate() {
        let at = now - Duration::days(400) + Duration::minutes(i as i64);
        a.answer(key, &Answer::new(Rating::Good), at)
            .expect("answer");
    }
    let first = examdeck::sync::sync(&mut a, shared.path(), now).expect("a's first sync");
    assert!(first.problems.is_empty(), "{:?}", first.problems);

    // The big device joins: its history goes out in several files.
    let joined = examdeck::sync::sync(&mut b, shared.path(), now).expect("b joins");
    assert!(joined.problems.is_empty(), "{:?}", joined.problems);
    assert_eq!(joined.merged.reviews, 20);
    let me = b.device().expect("device");
    let files = std::fs::read_dir(shared.path().join("examdeck/devices").join(&me.id))
        .expect("b's folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".jsonl"))
        .count();
    assert!(
        files >= 4,
        "200,000 answers in files of at most 50,000: {files}"
    );

    // The small device merges them all.
    let merged = examdeck::sync::sync(&mut a, shared.path(), now).expect("a merges");
    assert!(merged.problems.is_empty(), "{:?}", merged.problems);
    assert_eq!(merged.merged.reviews, 200_000);
    assert_eq!(uids(&a), uids(&b));
    assert_eq!(uids(&a).len(), 200_020);
    assert_eq!(states(&a), states(&b));
    let before = states(&a);
    a.rebuild_from_log().expect("rebuild");
    assert_eq!(
        states(&a),
        before,
        "a rebuild of the merged log changes nothing"
    );

    // Syncing again moves nothing; a reopen finds the log's indexes all there.
    let again = examdeck::sync::sync(&mut a, shared.path(), now).expect("again");
    assert_eq!(again.merged.reviews, 0);
    drop(a);
    let a = Learner::open(small.path(), now).expect("reopen");
    assert!(
        !a.store()
            .read()
            .review_log_indexes_missing()
            .expect("indexes")
    );
}
