//! Loading a 50,000-card library (50 deck files of 1,000 mixed cards) from disk.
//! Target (issue: deck format v1): under 300 ms on a 2-core machine.

use criterion::{Criterion, criterion_group, criterion_main};
use examdeck::deck::{DeckSource, Library};
use std::fmt::Write;
use std::path::Path;

const FILES: usize = 50;
const CARDS_PER_FILE: usize = 1_000;

fn card(out: &mut String, i: usize) {
    let _ = match i % 5 {
        0 => write!(
            out,
            "  - id: c{i}\n    kind: basic\n    prompt: What does service number {i} record in the account?\n    answer: |\n      It records API activity number {i}, with **who**, *when* and `where`.\n    source: generated\n"
        ),
        1 => write!(
            out,
            "  - id: c{i}\n    kind: cloze\n    text: Keys of kind {i} rotate {{{{c1::every year}}}} unless {{{{c2::imported::origin}}}}.\n    source: generated\n"
        ),
        2 => write!(
            out,
            "  - id: c{i}\n    kind: single\n    prompt: |\n      A company must log data events for bucket {i}. Which solution meets these requirements?\n    choices:\n      - text: Add an event selector to the trail\n        correct: true\n        why: Data events are off by default and are enabled per resource.\n      - text: Create a second organization trail\n        why: A second trail is not needed to log data events.\n      - text: Turn on S3 server access logging only\n        why: Access logs are not CloudTrail events.\n      - text: Enable GuardDuty S3 protection\n        why: GuardDuty analyses events; it does not record them for you.\n    explanation: One trail can log management and data events.\n    source: generated\n"
        ),
        3 => write!(
            out,
            "  - id: c{i}\n    kind: multiple\n    prompt: Which TWO statements about item {i} are true? (Choose two.)\n    select: 2\n    choices:\n      - {{text: First true statement, correct: true, why: because}}\n      - {{text: Second true statement, correct: true, why: because}}\n      - {{text: A false statement, why: because not}}\n      - {{text: Another false statement, why: because not}}\n    source: generated\n"
        ),
        _ => write!(
            out,
            "  - id: c{i}\n    kind: order\n    prompt: Put the steps of procedure {i} in order.\n    steps: [Stop the instance, Detach the volume, Attach it elsewhere, Edit the key file]\n    source: generated\n"
        ),
    };
}

fn write_library(dir: &Path) {
    for f in 0..FILES {
        let mut text = format!("examdeck: 1\nid: bench/deck-{f}\ntitle: Bench deck {f}\ncards:\n");
        for i in 0..CARDS_PER_FILE {
            card(&mut text, i);
        }
        std::fs::write(dir.join(format!("deck-{f}.yaml")), text).expect("write bench deck");
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_library(dir.path());
    let sources = [DeckSource::Path(dir.path().to_path_buf())];
    let lib = Library::load(&sources);
    assert_eq!(lib.cards().count(), FILES * CARDS_PER_FILE);
    assert_eq!(lib.error_count(), 0, "{:?}", lib.diagnostics.first());
    let mut group = c.benchmark_group("deck");
    group.sample_size(20);
    group.bench_function("load 50k cards", |b| b.iter(|| Library::load(&sources)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
