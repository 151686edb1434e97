//! CPU time of one study-screen frame, driving the real UI code in a headless egui context:
//! a card with a long explanation and an SVG diagram, revealed (the heaviest study frame).
//! Also an idle frame (nothing changed). Target (issue: desktop app): ≤ 2 ms median.

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use examdeck::app::core::AppCore;
use examdeck::deck::{DeckSource, ItemKey};
use examdeck::learner::StudyScope;
use examdeck::ui::{Action, ExamdeckApp};

/// One frame as eframe runs it: the UI pass, then tessellation into triangles for the GPU.
fn frame(ctx: &egui::Context, app: &mut ExamdeckApp) -> usize {
    let out = ctx.run_ui(raw_input(), |ui| app.frame(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 29, 10, 0, 0)
        .single()
        .expect("time");
    let core = AppCore::in_memory(vec![DeckSource::Bundled], now).expect("core");
    // The card that shows the CloudTrail diagram in its explanation, with a long text.
    let key = core
        .library
        .cards()
        .filter(|(_, c)| c.explanation.as_deref().is_some_and(|e| e.contains("![")))
        .max_by_key(|(_, c)| c.explanation.as_ref().map_or(0, String::len))
        .map(|(d, c)| ItemKey {
            deck: d.id.clone(),
            card: c.id.clone(),
            ord: 0,
        })
        .expect("a card with a diagram");
    let mut app = ExamdeckApp::new(core);
    app.apply(Action::Study(StudyScope::Items(vec![key.clone()])));
    if let Some(s) = &mut app.session {
        s.reveal();
        if let Some(c) = &mut s.current {
            c.revealed = true;
        }
    }
    let ctx = egui::Context::default();
    examdeck::ui::image_loader::install(&ctx);
    // Warm up: fonts, layout caches, the SVG rasterised once.
    for _ in 0..5 {
        frame(&ctx, &mut app);
    }
    println!("benchmarking the study frame of {key}");
    let mut group = c.benchmark_group("ui");
    group.bench_function("study frame, revealed card with diagram", |b| {
        b.iter(|| frame(&ctx, &mut app))
    });
    app.apply(Action::Go(examdeck::ui::Screen::Home));
    for _ in 0..3 {
        let _ = ctx.run_ui(raw_input(), |ui| app.frame(ui));
    }
    group.bench_function("home frame", |b| b.iter(|| frame(&ctx, &mut app)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
