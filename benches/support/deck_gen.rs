//! Writes a synthetic deck library: mixed card kinds, realistic field sizes. Shared by the
//! load benchmark and the profiling example.

use std::fmt::Write;
use std::path::Path;

/// Deck files written.
pub const FILES: usize = 50;
/// Cards per file.
pub const CARDS_PER_FILE: usize = 1_000;

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

pub fn write_library(dir: &Path) {
    for f in 0..FILES {
        let mut text = format!("examdeck: 1\nid: bench/deck-{f}\ntitle: Bench deck {f}\ncards:\n");
        for i in 0..CARDS_PER_FILE {
            card(&mut text, i);
        }
        std::fs::write(dir.join(format!("deck-{f}.yaml")), text).expect("write bench deck");
    }
}
