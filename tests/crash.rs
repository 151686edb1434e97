//! SIGKILL crash test: a child process answers items in a loop and prints the id of each
//! answer once it is committed; we kill it at a random moment, then check that every answer
//! it reported is in the database, that undone answers are not, that `integrity_check`
//! passes, and (at the end) that the cache still equals a rebuild from the log.

use examdeck::learner::Learner;
use examdeck::store::Store;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROUNDS: usize = 24;

/// The binary under test. `EXAMDECK_CRASH_BIN` overrides it, for target directories shared by
/// several worktrees where another build may replace `target/debug/examdeck` meanwhile.
fn binary() -> std::path::PathBuf {
    std::env::var_os("EXAMDECK_CRASH_BIN")
        .map(Into::into)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_examdeck").into())
}

#[test]
fn sigkill_loses_no_committed_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = StdRng::seed_from_u64(2026);
    let mut total_checked = 0usize;
    let started = Instant::now();
    for round in 0..ROUNDS {
        let start_ms = 1_780_000_000_000i64 + round as i64 * 5 * 86_400_000;
        let mut child = Command::new(binary())
            .args(["--data-dir"])
            .arg(dir.path())
            .args(["crash-child", "--start-ms", &start_ms.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).expect("read");
        if line.trim() != "ready" {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("child did not start: {line:?} {err}");
        }
        // Let it answer for a random while, then SIGKILL (Child::kill sends SIGKILL on Unix).
        let wait = Duration::from_millis(rng.random_range(20..400));
        let reader_thread = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for l in reader.lines() {
                match l {
                    Ok(l) => lines.push(l),
                    Err(_) => break,
                }
            }
            lines
        });
        std::thread::sleep(wait);
        child.kill().expect("kill");
        child.wait().expect("wait");
        let lines = reader_thread.join().expect("reader");

        let mut committed = Vec::new();
        let mut undoing = HashSet::new();
        let mut undone = HashSet::new();
        for l in &lines {
            if let Some(u) = l.strip_prefix("undoing ") {
                undoing.insert(u.to_string());
            } else if let Some(u) = l.strip_prefix("undone ") {
                undone.insert(u.to_string());
            } else if l.len() == 29 && l.as_bytes()[12] == b'-' {
                committed.push(l.clone());
            }
            // A line cut by the kill has no newline and is not a full id: ignored.
        }
        let store = Store::open(&dir.path().join(examdeck::store::DB_FILE)).expect("reopen");
        assert_eq!(
            store.integrity_check().expect("check"),
            Ok(()),
            "round {round}"
        );
        for uid in &committed {
            let found = store.read().review_by_uid(uid).expect("query").is_some();
            if undone.contains(uid) {
                assert!(!found, "round {round}: undone answer {uid} is still there");
            } else if !undoing.contains(uid) {
                assert!(found, "round {round}: committed answer {uid} was lost");
            }
        }
        total_checked += committed.len();
    }
    assert!(
        total_checked > ROUNDS,
        "the child answered too little: {total_checked}"
    );
    // The cache is still exactly what the log gives.
    let now = chrono::DateTime::from_timestamp_millis(1_790_000_000_000).expect("time");
    let mut l = Learner::open(dir.path(), now).expect("open");
    let before = l.store().read().all_items().expect("items");
    l.rebuild_from_log().expect("rebuild");
    assert_eq!(before, l.store().read().all_items().expect("items"));
    eprintln!(
        "{ROUNDS} rounds, {total_checked} committed answers checked in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
