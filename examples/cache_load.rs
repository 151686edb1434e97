//! The library cache measured on a library of realistic size (50 files × 1,000 cards of about
//! 1.4 KB, like the bundled ones):
//!
//! ```sh
//! cargo run --release --example cache_load -- DIR gen     # write the library into DIR/decks
//! cargo run --release --example cache_load -- DIR cold    # first load, no cache (then written)
//! cargo run --release --example cache_load -- DIR first   # first load of DIR/decks, no cache, 3 times
//! cargo run --release --example cache_load -- DIR warm    # a new process, cache valid
//! cargo run --release --example cache_load -- DIR reload  # warm, then one file saved and reloaded
//! cargo run --release --example cache_load -- DIR phases [scan|tree|model|hash]  # a first load's stages
//! ```
//!
//! Each run is its own process, so its peak RSS (VmHWM) is the load's.

use examdeck::deck::{DeckSource, Library, LoadOptions};

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

const FILES: usize = 50;
const CARDS: usize = 1_000;

fn card(out: &mut String, f: usize, i: usize, salt: &str) {
    // About 1 KB of explanation, as long as the bundled cards' reasons.
    let mut why = String::new();
    for k in 0..9 {
        let _ = write!(
            why,
            "Sentence {k} of the reason for card {i} in deck {f} says why the right option is right. "
        );
    }
    let _ = match i % 4 {
        0 => write!(
            out,
            "  - id: c{i}\n    kind: basic\n    prompt: What does service number {i} record in the account {salt}?\n    answer: |\n      It records API activity number {i}, with **who**, *when* and `where`.\n    explanation: {why}\n    source: generated\n"
        ),
        1 => write!(
            out,
            "  - id: c{i}\n    kind: cloze\n    text: Keys of kind {i} rotate {{{{c1::every year}}}} unless {{{{c2::imported::origin}}}}.\n    explanation: {why}\n    source: generated\n"
        ),
        2 => write!(
            out,
            "  - id: c{i}\n    kind: single\n    prompt: |\n      A company must log data events for bucket {i}. Which solution meets these requirements?\n    choices:\n      - text: Add an event selector to the trail\n        correct: true\n        why: Data events are off by default and are enabled per resource.\n      - text: Create a second organization trail\n        why: A second trail is not needed to log data events.\n      - text: Turn on S3 server access logging only\n        why: Access logs are not CloudTrail events.\n    explanation: {why}\n    source: generated\n"
        ),
        _ => write!(
            out,
            "  - id: c{i}\n    kind: order\n    prompt: Put the steps of procedure {i} in order.\n    steps: [Stop the instance, Detach the volume, Attach it elsewhere, Edit the key file]\n    explanation: {why}\n    source: generated\n"
        ),
    };
}

fn write_deck(dir: &Path, f: usize, salt: &str) {
    let mut text = format!("examdeck: 1\nid: bench/deck-{f}\ntitle: Bench deck {f}\ncards:\n");
    for i in 0..CARDS {
        card(&mut text, f, i, salt);
    }
    std::fs::write(dir.join(format!("deck-{f}.yaml")), text).expect("write deck");
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(mode)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: cache_load DIR gen|cold|first|warm|reload|bundled|folder|phases");
        return;
    };
    let root = Path::new(dir);
    let decks = root.join("decks");
    let cache = root.join("cache");
    if mode == "gen" {
        std::fs::create_dir_all(&decks).expect("mkdir");
        for f in 0..FILES {
            write_deck(&decks, f, "");
        }
        return;
    }
    if mode == "phases" {
        // A first load's stages over the same texts, one thread: what the loader adds to
        // the YAML scanner's own time.
        let texts: Vec<String> = std::fs::read_dir(&decks)
            .expect("decks")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            .map(|e| std::fs::read_to_string(e.path()).expect("read"))
            .collect();
        let time = |name: &str, f: &dyn Fn(&str) -> usize| {
            let t = Instant::now();
            let n: usize = texts.iter().map(|s| f(s)).sum();
            println!(
                "{name:>28}: {:7.0} ms ({n})",
                t.elapsed().as_secs_f64() * 1e3
            );
        };
        // Each stage by a short name (`phases scan` times that one alone, for a profiler).
        type Stage = (&'static str, &'static str, fn(&str) -> usize);
        let stages: [Stage; 4] = [
            ("scan", "scanner events", |s| {
                let options = granit_parser::options! { emit_comments: false };
                granit_parser::Parser::new_from_str_with_options(s, options)
                    .take_while(Result::is_ok)
                    .count()
            }),
            ("tree", "yaml::parse (tree)", |s| {
                usize::from(examdeck::deck::yaml::parse(s).is_ok())
            }),
            ("model", "read_deck (model)", |s| {
                examdeck::deck::reader::read_deck("x.yaml", s)
                    .deck
                    .map_or(0, |d| d.cards.len())
            }),
            ("hash", "sha-256 of the bytes", |s| {
                usize::from(examdeck::deck::cache::key::hash_bytes(s.as_bytes())[0])
            }),
        ];
        let only = args.get(3).map(String::as_str);
        for _ in 0..2 {
            for (short, name, f) in &stages {
                if only.is_none_or(|o| o == *short) {
                    time(name, f);
                }
            }
        }
        return;
    }
    if mode == "first" {
        // A first load with no cache, three times in one process (the bench's figure).
        for _ in 0..3 {
            let t = Instant::now();
            let lib =
                Library::load_with(&[DeckSource::Path(decks.clone())], &LoadOptions::default());
            println!(
                "first load: {:.0} ms, {} cards",
                t.elapsed().as_secs_f64() * 1e3,
                lib.cards().count()
            );
        }
        return;
    }
    if mode == "bundled" {
        // The bundled content alone, twice in one process (the second without font loading).
        for round in 0..2 {
            let t = Instant::now();
            let lib = Library::load(&[DeckSource::Bundled]);
            println!(
                "bundled load {round}: {:.0} ms, {:?}",
                t.elapsed().as_secs_f64() * 1e3,
                lib.stats
            );
        }
        return;
    }
    let sources = if mode == "folder" {
        vec![DeckSource::Path(decks.clone())]
    } else {
        vec![DeckSource::Bundled, DeckSource::Path(decks.clone())]
    };
    if mode == "cold" {
        let _ = std::fs::remove_dir_all(&cache);
    }
    let opts = LoadOptions {
        cache_dir: Some(&cache),
        progress: None,
    };
    let t = Instant::now();
    let mut lib = Library::load_with(&sources, &opts);
    let load = t.elapsed();
    let cards: usize = lib.decks.iter().map(|d| d.deck.cards.len()).sum();
    println!(
        "{mode} load: {:.0} ms, {} decks, {cards} cards, {:?}",
        load.as_secs_f64() * 1e3,
        lib.decks.len(),
        lib.stats
    );
    if mode == "reload" {
        // Saved after a second, so the stat differs.
        std::thread::sleep(std::time::Duration::from_millis(1_100));
        write_deck(&decks, 7, "edited");
        let t = Instant::now();
        lib.reload(&sources, &opts);
        println!(
            "reload of one {CARDS}-card file: {:.1} ms, {:?}",
            t.elapsed().as_secs_f64() * 1e3,
            lib.stats
        );
        write_deck(&decks, 7, "");
    }
    println!("peak RSS: {:.1} MiB", peak_rss_mib());
}
