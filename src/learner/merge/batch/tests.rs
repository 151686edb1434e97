//! A bulk merge (the log's indexes dropped, uids refused from a set) ends exactly as the
//! small path (every answer refused or kept by the unique uid index).

use super::*;
use crate::learner::{Answer, synthetic};
use crate::schedule::Rating;
use crate::store::items::ItemRow;
use crate::store::reviews::ReviewRow;
use crate::store::sync::ReviewRecord;
use chrono::Duration;

const ALWAYS: BulkWhen = BulkWhen { min: 1, share: 0.0 };
const NEVER: BulkWhen = BulkWhen {
    min: usize::MAX,
    share: 1.0,
};

fn t0() -> DateTime<Utc> {
    crate::schedule::day::from_ms(1_780_000_000_000)
}

fn learner(lib: &crate::deck::Library) -> Learner {
    let mut l = Learner::open_in_memory().expect("open");
    l.set_time_zone(Utc);
    l.sync_library(lib, t0()).expect("library");
    l
}

/// A device that answers the first `n` items twice (Good, then Hard a day later), starting
/// at `from`: its exported answers.
fn studied(lib: &crate::deck::Library, n: usize, from: DateTime<Utc>) -> Vec<Record> {
    let mut l = learner(lib);
    let keys: Vec<_> = lib.items().map(|(k, _, _)| k).take(n).collect();
    for (pass, rating) in [(0, Rating::Good), (1, Rating::Hard)] {
        for (i, key) in keys.iter().enumerate() {
            let at = from + Duration::days(pass) + Duration::minutes(i as i64);
            l.answer(key, &Answer::new(rating), at).expect("answer");
        }
    }
    let mut records = Vec::new();
    l.export_pending(from + Duration::days(2), 100_000, |r| {
        records = r.to_vec();
        Ok(())
    })
    .expect("export");
    assert!(records.iter().all(|r| matches!(r, Record::Review(_))));
    assert_eq!(records.len(), 2 * n);
    records
}

fn review(r: &Record) -> &ReviewRecord {
    match r {
        Record::Review(r) => r,
        other => panic!("not an answer: {other:?}"),
    }
}

/// Another answer under the same uid (a second copy that must never replace the first).
fn same_uid(r: &Record) -> Record {
    let mut copy = review(r).clone();
    copy.rating = 1;
    copy.at += 1_000;
    copy.time_ms = 7;
    Record::Review(copy)
}

/// An answer under a new uid of examdeck's form.
fn new_uid(r: &Record, n: u64) -> Record {
    let mut copy = review(r).clone();
    copy.uid = format!("{:012x}-{:016x}", copy.at + 5, n);
    copy.at += 5;
    Record::Review(copy)
}

fn tomb(r: &Record) -> Record {
    Record::Tomb {
        uid: review(r).uid.clone(),
    }
}

/// Merges `files` from the peer in one batch taking the path `when` says, then replays.
fn merge(l: &mut Learner, files: &[Vec<Record>], when: BulkWhen) -> BatchOutcome {
    let mut files = files.iter().enumerate();
    let out = l
        .merge_batch_when(
            "peer",
            t0() + Duration::days(3),
            None,
            &mut || {
                files.next().map(|(i, records)| BatchFile {
                    name: format!("f{i}"),
                    records: records.clone(),
                    unknown: 0,
                })
            },
            when,
        )
        .expect("merge");
    l.finish_replay().expect("replay");
    out
}

fn log_and_states(l: &Learner) -> (Vec<ReviewRow>, Vec<ItemRow>) {
    let tx = l.store().read();
    (
        tx.all_reviews().expect("log"),
        tx.all_items().expect("items"),
    )
}

/// A local learner holding the answers `local` (merged from another device, so their uids
/// are in the log before the peer's files come).
fn local(lib: &crate::deck::Library, local: &[Record]) -> Learner {
    let mut l = learner(lib);
    l.merge_file("local", "l0", local, t0() + Duration::days(2))
        .expect("local answers");
    l
}

#[test]
fn a_bulk_merge_keeps_the_first_copy_of_every_uid_as_the_small_merge_does() {
    let lib = synthetic::library(1, 40, 0);
    let mine = studied(&lib, 20, t0());
    let theirs = studied(&lib, 30, t0() + Duration::seconds(30));
    // File 1: the peer's first 40 answers (one repeated inside the file, as another copy),
    // with other copies of five answers already in the local log.
    let mut f1: Vec<Record> = theirs[..40].to_vec();
    f1.push(same_uid(&theirs[3]));
    f1.extend(mine[..5].iter().map(same_uid));
    // File 2: other copies of ten answers of file 1, then the peer's last 20 answers.
    let mut f2: Vec<Record> = theirs[30..40].iter().map(same_uid).collect();
    f2.extend(theirs[40..].iter().cloned());
    let files = [f1, f2];

    let mut bulk = local(&lib, &mine);
    let out = merge(&mut bulk, &files, ALWAYS);
    assert!(out.bulk, "the bulk path was taken");
    assert!(
        out.replayed,
        "replayed inside the merge: nothing owed after it"
    );
    let mut small = local(&lib, &mine);
    let small_out = merge(&mut small, &files, NEVER);
    assert!(!small_out.bulk && !small_out.replayed);
    assert_eq!(out.counts, small_out.counts);
    assert_eq!(out.counts.reviews, 60, "each of the peer's answers once");
    let (log, states) = log_and_states(&bulk);
    assert_eq!((log.clone(), states.clone()), log_and_states(&small));
    // One file at a time (each merged and replayed on its own) ends the same.
    let mut by_file = local(&lib, &mine);
    for (i, f) in files.iter().enumerate() {
        by_file
            .merge_file("peer", &format!("f{i}"), f, t0() + Duration::days(3))
            .expect("merge");
    }
    assert_eq!(log_and_states(&by_file), (log.clone(), states.clone()));
    // The first copy of every uid is the one kept; the uid index is back and refuses more.
    assert_eq!(log.len(), 40 + 60);
    for r in mine.iter().chain(&theirs).map(review) {
        let row = bulk
            .store()
            .read()
            .review_by_uid(&r.uid)
            .expect("read")
            .expect("kept");
        assert_eq!((row.at_ms, row.time_ms), (r.at, r.time_ms), "{}", r.uid);
    }
    let again = merge(&mut bulk, &[files[0].clone()], ALWAYS);
    assert_eq!(again.counts.reviews, 0);
    assert_eq!(log_and_states(&bulk), (log, states));
    // States are what a rebuild of the merged log gives.
    let before = bulk.store().read().all_items().expect("items");
    bulk.rebuild_from_log().expect("rebuild");
    assert_eq!(bulk.store().read().all_items().expect("items"), before);
}

#[test]
fn a_bulk_merge_inside_a_sync_replays_before_its_lookup_indexes_are_back() {
    // On disk with checkpoints deferred (as `sync` does): the bulk merge leaves the log's
    // item and time indexes to the thread behind it. Its tombstone keeps the replay out of
    // the merge's transaction, so the replay after it runs without them (a scan, not a
    // lookup per card: 12 cards here) and must end as the small path.
    let lib = synthetic::library(1, 40, 0);
    let mine = studied(&lib, 12, t0());
    let theirs = studied(&lib, 12, t0() + Duration::seconds(30));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bulk = Learner::open(dir.path(), t0()).expect("open");
    bulk.set_time_zone(Utc);
    bulk.sync_library(&lib, t0()).expect("library");
    bulk.merge_file("local", "l0", &mine, t0() + Duration::days(2))
        .expect("local answers");
    bulk.defer_checkpoints().expect("defer");
    let mut file = theirs.clone();
    file.push(tomb(&mine[0]));
    let out = merge(&mut bulk, &[file.clone()], ALWAYS);
    assert!(out.bulk && !out.replayed);
    assert!(
        bulk.store()
            .read()
            .review_log_indexes_missing()
            .expect("indexes"),
        "left to the thread behind the sync"
    );
    let mut small = local(&lib, &mine);
    merge(&mut small, &[file], NEVER);
    let merged = log_and_states(&bulk);
    assert_eq!(
        merged.0.len(),
        2 * 12 + 2 * 12 - 1,
        "the tombstoned answer is gone"
    );
    assert_eq!(merged, log_and_states(&small));
    bulk.checkpoint_behind().expect("behind");
    drop(bulk);
    let again = Learner::open(dir.path(), t0() + Duration::days(3)).expect("reopen");
    assert!(
        !again
            .store()
            .read()
            .review_log_indexes_missing()
            .expect("indexes")
    );
    assert_eq!(log_and_states(&again), merged);
}

#[test]
fn a_tombstoned_uid_stays_out_of_a_bulk_merge() {
    let lib = synthetic::library(1, 30, 0);
    let mine = studied(&lib, 10, t0());
    let theirs = studied(&lib, 20, t0() + Duration::seconds(30));
    let late = new_uid(&theirs[5], 77);
    // Tombstones: one known before the merge, one of a local answer, one of an answer in
    // the same file, one that comes before its answer (in the next file).
    let earlier = vec![tomb(&theirs[0])];
    let mut f1: Vec<Record> = theirs.clone();
    f1.extend([tomb(&mine[1]), tomb(&theirs[2]), tomb(&late)]);
    let f2 = vec![late.clone(), theirs[0].clone()];
    let files = [f1, f2];
    let run = |when: BulkWhen| {
        let mut l = local(&lib, &mine);
        l.merge_file("peer", "t0", &earlier, t0() + Duration::days(2))
            .expect("earlier tombstone");
        let out = merge(&mut l, &files, when);
        (l, out)
    };
    let (bulk, out) = run(ALWAYS);
    let (small, small_out) = run(NEVER);
    assert!(out.bulk && !small_out.bulk);
    assert_eq!(out.counts, small_out.counts);
    assert_eq!(
        out.counts.undone, 2,
        "the local answer and the one of the same file"
    );
    assert_eq!(log_and_states(&bulk), log_and_states(&small));
    for gone in [&theirs[0], &mine[1], &theirs[2], &late] {
        let uid = &review(gone).uid;
        assert_eq!(
            bulk.store().read().review_by_uid(uid).expect("read"),
            None,
            "{uid}"
        );
    }
    assert_eq!(
        bulk.store().read().review_totals().expect("totals").0 as usize,
        mine.len() - 1 + theirs.len() - 2
    );
}

#[test]
fn item_events_of_a_bulk_merge_follow_the_same_answers_as_in_the_small_merge() {
    let lib = synthetic::library(1, 30, 0);
    let keys: Vec<_> = lib.items().map(|(k, _, _)| k).collect();
    let mine = studied(&lib, 10, t0());
    // The peer answers, suspends, buries and unsuspends; its events land in the first
    // file, the answers of the same cards are split over both files.
    let mut peer = learner(&lib);
    let mut at = t0() + Duration::seconds(30);
    for (i, key) in keys.iter().take(12).enumerate() {
        at += Duration::minutes(1);
        peer.answer(key, &Answer::new(Rating::Good), at)
            .expect("answer");
        if i % 3 == 0 {
            peer.suspend(key, at + Duration::seconds(5))
                .expect("suspend");
        }
        if i % 4 == 1 {
            peer.bury(key, at + Duration::seconds(6)).expect("bury");
        }
    }
    peer.unsuspend(&keys[3], at + Duration::hours(1))
        .expect("unsuspend");
    let mut records = Vec::new();
    peer.export_pending(at + Duration::hours(2), 100_000, |r| {
        records = r.to_vec();
        Ok(())
    })
    .expect("export");
    let (answers, events): (Vec<Record>, Vec<Record>) = records
        .into_iter()
        .partition(|r| matches!(r, Record::Review(_)));
    assert!(events.len() >= 7, "{events:?}");
    let mut f1: Vec<Record> = answers[..6].to_vec();
    f1.extend(events);
    let files = [f1, answers[6..].to_vec()];
    let run = |when: BulkWhen| {
        let mut l = local(&lib, &mine);
        let out = merge(&mut l, &files, when);
        let events = l.store().read().all_events().expect("events");
        (l, out, events)
    };
    let (bulk, out, bulk_events) = run(ALWAYS);
    let (small, small_out, small_events) = run(NEVER);
    assert!(out.bulk && !small_out.bulk);
    assert_eq!(out.counts, small_out.counts);
    assert_eq!(bulk_events, small_events);
    assert!(bulk_events.iter().any(|e| e.after_review > 0));
    assert_eq!(log_and_states(&bulk), log_and_states(&small));
}

#[test]
fn a_file_merged_with_unknown_record_types_is_merged_again_by_a_version_that_reads_more() {
    let lib = synthetic::library(1, 10, 0);
    let theirs = studied(&lib, 5, t0());
    let mut l = learner(&lib);
    let kinds = crate::sync::file::KINDS_VERSION;
    assert_eq!(l.forget_partial_merges(kinds).expect("forget"), 0);
    let mut files = vec![
        BatchFile {
            name: "partial".into(),
            records: theirs[..4].to_vec(),
            unknown: 2,
        },
        BatchFile {
            name: "whole".into(),
            records: theirs[4..].to_vec(),
            unknown: 0,
        },
    ]
    .into_iter();
    l.merge_batch_when(
        "peer",
        t0() + Duration::days(3),
        None,
        &mut || files.next(),
        NEVER,
    )
    .expect("merge");
    l.finish_replay().expect("replay");
    let merged = |l: &Learner| {
        let mut v: Vec<String> = l.merged_files("peer").expect("files").into_iter().collect();
        v.sort();
        v
    };
    assert_eq!(merged(&l), ["partial", "whole"]);
    let before = log_and_states(&l);
    // The same version: nothing to merge again.
    assert_eq!(l.forget_partial_merges(kinds).expect("forget"), 0);
    assert_eq!(merged(&l), ["partial", "whole"]);
    // A version that reads more record types merges the partly read file again; its answers
    // are already in, so the log and the states stay as they were.
    assert_eq!(l.forget_partial_merges(kinds + 1).expect("forget"), 1);
    assert_eq!(merged(&l), ["whole"]);
    assert_eq!(
        l.forget_partial_merges(kinds + 1).expect("forget"),
        0,
        "once"
    );
    l.merge_file("peer", "partial", &theirs[..4], t0() + Duration::days(4))
        .expect("merge again");
    l.finish_replay().expect("replay");
    assert_eq!(merged(&l), ["partial", "whole"]);
    assert_eq!(log_and_states(&l), before);
}
