//! Issue 9: every hostile file at once. `examdeck check` (the binary), a library load and the
//! window (kittest, every card drawn, the Problems panel open) over one folder of all of them:
//! no panic, no hang (a watchdog fails the test), and nothing from outside the folder shown.

mod support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use examdeck::app::core::AppCore;
use examdeck::deck::{DeckSource, Library};
use examdeck::ui::markdown::MarkdownView;
use examdeck::ui::{ExamdeckApp, Screen, card_view};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;
use support::hostile::{self, SECRET};

/// Runs `f` on its own thread; fails the test if it has not finished in `secs` seconds.
fn watchdog<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn");
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} hung for more than {secs} s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

fn folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (decks, _) = hostile::all(tmp.path());
    (tmp, decks)
}

#[test]
fn check_survives_every_hostile_file_at_once() {
    let (_tmp, decks) = folder();
    let data = tempfile::tempdir().expect("data dir");
    let decks2 = decks.clone();
    let out = watchdog(120, "examdeck check", move || {
        Command::new(env!("CARGO_BIN_EXE_examdeck"))
            .args(["check", &decks2.display().to_string()])
            .env("EXAMDECK_DATA_DIR", data.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run examdeck")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors found, no crash: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains(SECRET) && !text.contains("TOPSECRET"),
            "secret leaked"
        );
    }
    // One line per problem kind at most 200 times per file, and a summary.
    assert!(
        stdout.lines().count() < 2_000,
        "{} lines",
        stdout.lines().count()
    );
    for needle in [
        "remote URL",
        "SVG refers to other files",
        "a link to a file outside the loaded folder",
        "not a regular file",
        "image is 17000×4 px",
        "SVG nests elements",
        "more of the same kind",
        "a YAML alias bomb?",
        "more items, keys and values",
        "nested more than 16 levels deep",
    ] {
        assert!(
            stdout.contains(needle),
            "`{needle}` missing from:\n{stdout}"
        );
    }
}

#[test]
fn the_library_loads_and_refuses_every_outside_read() {
    let (_tmp, decks) = folder();
    let (lib, outside) = watchdog(120, "library load", move || {
        let out = decks.parent().expect("root").join("outside");
        (
            Library::load(&[DeckSource::Bundled, DeckSource::Path(decks)]),
            out,
        )
    });
    for d in &lib.diagnostics {
        assert!(!d.to_string().contains("TOPSECRET"), "{d}");
    }
    // Every way a card could name the outside files is refused by the asset reader.
    for deck in &lib.decks {
        for url in [
            format!("file://{}", outside.join("secret.png").display()),
            outside.join("secret.png").display().to_string(),
            "../outside/secret.png".to_string(),
            "../../outside/secret.svg".to_string(),
        ] {
            assert!(
                lib.read_asset(&deck.deck.id, &url).is_err(),
                "{url} read for {}",
                deck.deck.id
            );
        }
    }
    assert!(lib.deck("h/footnote").is_some() && lib.deck("h/images").is_some());
}

#[test]
fn the_window_draws_every_hostile_card_and_the_problems_panel() {
    let (_tmp, decks) = folder();
    watchdog(300, "the window", move || {
        let lib = Library::load(&[DeckSource::Bundled, DeckSource::Path(decks.clone())]);
        let mut h = Harness::builder()
            .with_size(egui::vec2(1024.0, 800.0))
            .build_ui_state(
                |ui, (lib, md): &mut (Library, MarkdownView)| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        for d in lib.decks.iter().filter(|d| d.deck.id.starts_with("h/")) {
                            for card in &d.deck.cards {
                                let r = card_view::CardRef {
                                    library: lib,
                                    deck_id: &d.deck.id,
                                    card,
                                    ord: 0,
                                };
                                card_view::prompt(ui, md, r, true);
                                card_view::answer(ui, md, r);
                            }
                        }
                    });
                },
                (lib, MarkdownView::default()),
            );
        // Decoding happens on background threads: give them frames to finish.
        for _ in 0..20 {
            h.run();
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(h.query_by_label_contains("TOPSECRET").is_none());
        let ctx = h.ctx.clone();
        let loaders = ctx.loaders();
        // Only egui's own `bytes://` store reads bytes: no `file://` or `http://` loader.
        assert_eq!(
            loaders.bytes.lock().len(),
            1,
            "a bytes loader besides include"
        );
        let ids: Vec<String> = loaders
            .image
            .lock()
            .iter()
            .map(|l| l.id().to_string())
            .collect();
        assert_eq!(
            ids,
            [examdeck::ui::image_loader::DeckImageLoader::ID],
            "{ids:?}"
        );

        // The whole app on the same folder, Problems panel open.
        let core = AppCore::in_memory(
            vec![DeckSource::Bundled, DeckSource::Path(decks)],
            chrono::Utc::now(),
        )
        .expect("open");
        let mut app = ExamdeckApp::new(core);
        app.screen = Screen::Problems;
        let mut h = Harness::builder()
            .with_size(egui::vec2(1280.0, 900.0))
            .build_ui_state(|ui, app: &mut ExamdeckApp| app.frame(ui), app);
        h.run();
        h.get_by_label("Deck problems");
        assert!(h.query_by_label_contains("TOPSECRET").is_none());
    });
}
