//! Loading a 50,000-card library (50 deck files of 1,000 mixed cards) from disk.
//! Target (issue: deck format v1): under 300 ms on a 2-core machine.

use criterion::{Criterion, criterion_group, criterion_main};
use examdeck::deck::{DeckSource, Library};

#[path = "support/deck_gen.rs"]
mod deck_gen;
use deck_gen::{CARDS_PER_FILE, FILES, write_library};

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
