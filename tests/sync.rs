//! Sync through a shared folder with real files and folders: several devices, files arriving
//! in random partial orders (half-written, conflicted copies), undo, suspend, settings,
//! clock skew, damaged files, a 200-review… see each test.

mod sync_support;

use chrono::Duration;
use examdeck::deck::ItemKey;
use proptest::prelude::*;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sync_support::*;

fn key(lib: &examdeck::deck::Library, i: usize) -> ItemKey {
    let n = lib.items().count();
    lib.items().nth(i % n).map(|(k, _, _)| k).expect("item")
}

#[test]
fn three_devices_with_partial_and_conflicted_copies_converge_to_a_rebuild() {
    let lib = library();
    for seed in 0..3u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut devs: Vec<Device> = (0..3).map(|_| Device::new(&lib)).collect();
        for step in 0..8 {
            let at = t0() + Duration::hours(step * 5);
            for d in devs.iter_mut() {
                d.study(&lib, at, rng.random_range(1..6), &mut rng);
                if rng.random_bool(0.3) {
                    d.undo();
                }
                if rng.random_bool(0.2) {
                    d.suspend(&key(&lib, rng.random_range(0..30)), at);
                }
                if rng.random_bool(0.3) {
                    d.sync(at + Duration::minutes(1));
                }
            }
            for i in 0..devs.len() {
                for j in 0..devs.len() {
                    if i != j && rng.random_bool(0.5) {
                        let (a, b) = pair(&mut devs, i, j);
                        deliver(a, b, Mode::Partial, &mut rng);
                    }
                }
            }
        }
        settle(&mut devs, t0() + Duration::days(3), &mut rng);
        assert!(
            !devs[0].snapshot(&lib).reviews.is_empty(),
            "studied something"
        );
        assert_converged(&mut devs, &lib);
    }
}

fn pair(devs: &mut [Device], i: usize, j: usize) -> (&Device, &mut Device) {
    if i < j {
        let (l, r) = devs.split_at_mut(j);
        (&l[i], &mut r[0])
    } else {
        let (l, r) = devs.split_at_mut(i);
        (&r[0], &mut l[j])
    }
}

#[test]
fn undo_after_export_becomes_a_tombstone_on_the_other_device() {
    let lib = library();
    let mut rng = StdRng::seed_from_u64(7);
    let mut a = Device::new(&lib);
    let mut b = Device::new(&lib);
    a.study(&lib, t0(), 1, &mut rng);
    a.sync(t0());
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    let o = b.sync(t0());
    assert_eq!(o.merged.reviews, 1);
    a.undo();
    a.sync(t0() + Duration::minutes(1));
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    let o = b.sync(t0() + Duration::minutes(1));
    assert_eq!(o.merged.undone, 1, "{o:?}");
    assert!(b.snapshot(&lib).reviews.is_empty());
    assert_eq!(a.snapshot(&lib), b.snapshot(&lib));
}

#[test]
fn sync_twice_is_sync_once_and_order_of_peers_does_not_matter() {
    let lib = library();
    let mut rng = StdRng::seed_from_u64(11);
    let mut a = Device::new(&lib);
    let mut b = Device::new(&lib);
    let mut c1 = Device::new(&lib);
    let mut c2 = Device::new(&lib);
    a.study(&lib, t0(), 5, &mut rng);
    b.study(&lib, t0() + Duration::minutes(3), 5, &mut rng);
    a.sync(t0() + Duration::hours(1));
    b.sync(t0() + Duration::hours(1));
    // c1 receives A then B; c2 receives B then A.
    deliver(&a, &mut c1, Mode::Whole, &mut rng);
    c1.sync(t0() + Duration::hours(2));
    deliver(&b, &mut c1, Mode::Whole, &mut rng);
    c1.sync(t0() + Duration::hours(2));
    deliver(&b, &mut c2, Mode::Whole, &mut rng);
    c2.sync(t0() + Duration::hours(2));
    deliver(&a, &mut c2, Mode::Whole, &mut rng);
    c2.sync(t0() + Duration::hours(2));
    let once = c1.snapshot(&lib);
    assert_eq!(once.reviews.len(), 10);
    assert_eq!(once, c2.snapshot(&lib), "commutative");
    let again = c1.sync(t0() + Duration::hours(3));
    assert_eq!((again.files_merged, again.exported), (0, 0), "{again:?}");
    assert_eq!(c1.snapshot(&lib), once, "idempotent");
}

#[test]
fn damaged_peer_file_is_reported_and_skipped_then_merged_when_whole() {
    let lib = library();
    let mut rng = StdRng::seed_from_u64(3);
    let mut a = Device::new(&lib);
    let mut b = Device::new(&lib);
    a.study(&lib, t0(), 3, &mut rng);
    a.sync(t0());
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    let a_id = a.id();
    let dir = examdeck::sync::devices_dir(b.replica.path()).join(&a_id);
    let seg = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .expect("segment");
    let whole = std::fs::read(&seg).expect("read");
    std::fs::write(&seg, &whole[..whole.len() / 2]).expect("truncate");
    let o = b.sync(t0());
    assert_eq!(o.problems.len(), 1, "{o:?}");
    assert!(o.summary().contains("damaged"), "{}", o.summary());
    assert!(o.summary().contains("skipped"), "{}", o.summary());
    assert!(b.snapshot(&lib).reviews.is_empty());
    // Garbage of every kind is skipped the same way, never a panic.
    std::fs::write(&seg, b"\xff\xfe{{{{\n\n\n").expect("garbage");
    assert_eq!(b.sync(t0()).problems.len(), 1);
    std::fs::write(&seg, &whole).expect("whole");
    let o = b.sync(t0());
    assert!(o.problems.is_empty());
    assert_eq!(o.merged.reviews, 3);
    assert!(
        o.backup.is_some(),
        "backup before the first merge with a new device"
    );
}

#[test]
fn clock_skew_of_an_hour_either_way_keeps_states_a_rebuild() {
    let lib = library();
    let mut rng = StdRng::seed_from_u64(5);
    let mut devs = vec![Device::new(&lib), Device::new(&lib), Device::new(&lib)];
    devs[0].skew_ms = 3_600_000;
    devs[1].skew_ms = -3_600_000;
    for step in 0..4 {
        let at = t0() + Duration::minutes(step * 20);
        for d in devs.iter_mut() {
            d.study(&lib, at, 3, &mut rng);
        }
        // A setting changed on the slow device after the fast one changed it still wins:
        // the clock is hybrid (never behind a stamp it has seen).
        if step == 1 {
            devs[0].change_settings(30, 0.9);
            settle(&mut devs, at, &mut rng);
            devs[1].change_settings(40, 0.88);
        }
    }
    settle(&mut devs, t0() + Duration::hours(2), &mut rng);
    assert_converged(&mut devs, &lib);
    assert_eq!(devs[0].learner.settings().new_per_day, 40);
}

#[test]
fn reviews_of_a_card_this_device_lacks_take_effect_when_its_deck_arrives() {
    let full = library();
    let small = examdeck::learner::synthetic::library(1, 6, 3);
    let mut rng = StdRng::seed_from_u64(9);
    let mut a = Device::new(&full);
    let mut b = Device::new(&small);
    for i in 0..10 {
        a.study(&full, t0() + Duration::minutes(i * 15), 3, &mut rng);
    }
    a.sync(t0());
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    b.sync(t0());
    b.learner.sync_library(&full, t0()).expect("deck arrives");
    assert_eq!(a.snapshot(&full).states, b.snapshot(&full).states);
    b.learner.rebuild_from_log().expect("rebuild");
    assert_eq!(a.snapshot(&full).states, b.snapshot(&full).states);
}

#[derive(Debug, Clone)]
enum Op {
    Study(usize, usize),
    Undo(usize),
    Suspend(usize, usize),
    Settings(usize, u32),
    Sync(usize),
    Deliver(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize, 1..5usize).prop_map(|(d, n)| Op::Study(d, n)),
        (0..2usize).prop_map(Op::Undo),
        (0..2usize, 0..30usize).prop_map(|(d, c)| Op::Suspend(d, c)),
        (0..2usize, 5..50u32).prop_map(|(d, n)| Op::Settings(d, n)),
        (0..2usize).prop_map(Op::Sync),
        (0..2usize).prop_map(|d| Op::Deliver(d, 1 - d)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn any_interleaving_of_study_undo_suspend_settings_and_sync_converges(
        ops in proptest::collection::vec(op(), 1..25),
        seed in 0u64..1000,
    ) {
        let lib = library();
        let mut rng = StdRng::seed_from_u64(seed);
        let mut devs = vec![Device::new(&lib), Device::new(&lib)];
        devs[0].study(&lib, t0(), 1, &mut rng);
        for (i, op) in ops.iter().enumerate() {
            let at = t0() + Duration::minutes(i as i64 * 30);
            match *op {
                Op::Study(d, n) => devs[d].study(&lib, at, n, &mut rng),
                Op::Undo(d) => devs[d].undo(),
                Op::Suspend(d, c) => devs[d].suspend(&key(&lib, c), at),
                Op::Settings(d, n) => devs[d].change_settings(n, 0.9),
                Op::Sync(d) => { devs[d].sync(at); }
                Op::Deliver(a, b) => {
                    let (x, y) = pair(&mut devs, a, b);
                    deliver(x, y, Mode::Partial, &mut rng);
                }
            }
        }
        settle(&mut devs, t0() + Duration::days(2), &mut rng);
        assert_converged(&mut devs, &lib);
    }
}

/// Review rows in the database at `path` (a backup).
fn reviews_in(path: &std::path::Path) -> u64 {
    let store = examdeck::store::Store::open(path).expect("open backup");
    store.read().review_totals().expect("totals").0
}

#[test]
fn backup_before_a_first_merge_holds_the_state_before_it_and_its_failure_merges_nothing() {
    let lib = library();
    let mut rng = StdRng::seed_from_u64(11);
    let mut a = Device::new(&lib);
    let mut b = Device::new(&lib);
    a.study(&lib, t0(), 5, &mut rng);
    b.study(&lib, t0(), 3, &mut rng);
    a.sync(t0());
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    let own = b.learner.store().read().review_totals().expect("totals").0;
    assert_eq!(own, 3);
    // The backup cannot be written (a file stands where its folder goes): the merge it
    // runs beside is rolled back.
    let backups = b.data.path().join("backups");
    std::fs::remove_dir_all(&backups).expect("no backups folder");
    std::fs::write(&backups, b"not a folder").expect("blocker");
    let failed = examdeck::sync::sync(&mut b.learner, b.replica.path(), t0());
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(b.snapshot(&lib).reviews.len(), 3, "nothing merged");
    std::fs::remove_file(&backups).expect("unblock");
    let o = b.sync(t0());
    assert_eq!(o.merged.reviews, 5);
    assert_eq!(b.snapshot(&lib).reviews.len(), 8);
    // Taken while the merge inserted, it still holds the database before the merge: this
    // device's answers, none of the peer's.
    let backup = o
        .backup
        .expect("backup before the first merge with a new device");
    assert_eq!(reviews_in(&backup), 3);
    // The peer is known now: no second backup.
    a.study(&lib, t0() + Duration::minutes(5), 2, &mut rng);
    a.sync(t0() + Duration::minutes(5));
    deliver(&a, &mut b, Mode::Whole, &mut rng);
    let o = b.sync(t0() + Duration::minutes(5));
    assert_eq!(o.merged.reviews, 2);
    assert!(o.backup.is_none());
}
