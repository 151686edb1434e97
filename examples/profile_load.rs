//! Where the deck loader spends its time: `cargo run --release --example profile_load`.

#[path = "../benches/support/deck_gen.rs"]
mod deck_gen;

use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    deck_gen::write_library(dir.path());
    let text = std::fs::read_to_string(dir.path().join("deck-0.yaml")).expect("read");
    let t = Instant::now();
    for _ in 0..10 {
        let _ = examdeck::deck::yaml::parse(&text);
    }
    println!(
        "yaml parse: {:?} per file ({} bytes)",
        t.elapsed() / 10,
        text.len()
    );
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..10 {
        n = events(&text);
    }
    println!(
        "granit events: {:?} per file ({n} events)",
        t.elapsed() / 10
    );
    let t = Instant::now();
    for _ in 0..10 {
        let _ = examdeck::deck::reader::read_deck("x", &text);
    }
    println!("read_deck:  {:?} per file", t.elapsed() / 10);
    let t = Instant::now();
    let lib = examdeck::deck::Library::load(&[examdeck::deck::DeckSource::Path(
        dir.path().to_path_buf(),
    )]);
    println!(
        "library:    {:?} for {} cards",
        t.elapsed(),
        lib.cards().count()
    );
    let t = Instant::now();
    drop(lib);
    println!("drop:       {:?}", t.elapsed());
}

#[allow(dead_code)]
fn events(text: &str) -> usize {
    granit_parser::Parser::new_from_str(text)
        .filter_map(Result::ok)
        .count()
}
