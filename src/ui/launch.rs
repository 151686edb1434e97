//! Starting the window: the start-up screen while a worker reads the library
//! ([`crate::app::startup`]), then the app; and the window that only explains why the app
//! cannot start.

use super::{ExamdeckApp, home, image_loader, theme};
use crate::app::core::AppCore;
use crate::app::startup::{Startup, StartupState};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Opens the desktop window on the bundled decks, the user's decks, `--decks` folders and the
/// sync folder's decks. The window shows at once; the library is read on a worker thread.
pub fn run(places: &crate::paths::Places) -> anyhow::Result<ExitCode> {
    let data_dir = places.data_dir.clone();
    let extra = places.extra_decks.clone();
    let sync_dir = places.sync_dir.clone();
    let failed = Arc::new(AtomicBool::new(false));
    let seen = failed.clone();
    let options = main_window_options();
    eframe::run_native(
        "examdeck",
        options,
        Box::new(move |cc| {
            image_loader::install(&cc.egui_ctx);
            theme::init_style(&cc.egui_ctx);
            let ctx = cc.egui_ctx.clone();
            let startup = Startup::open(data_dir, extra, sync_dir, chrono::Utc::now(), move || {
                ctx.request_repaint()
            });
            let mut app = StartupApp::new(startup);
            app.failed = Some(seen);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))?;
    Ok(if failed.load(Ordering::Relaxed) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The window from its first frame: the start-up screen while the library is read, then the
/// app (or what went wrong and what to do).
pub struct StartupApp {
    startup: Startup,
    /// The app, once the core is ready.
    pub app: Option<Box<ExamdeckApp>>,
    /// Why the app could not start, once known.
    pub error: Option<String>,
    /// Set when start-up failed (the process then exits with a failure code).
    failed: Option<Arc<AtomicBool>>,
}

impl StartupApp {
    /// Waits for `startup`.
    pub fn new(startup: Startup) -> StartupApp {
        StartupApp {
            startup,
            app: None,
            error: None,
            failed: None,
        }
    }

    /// Draws one frame: the app when ready, else the start-up screen.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        if let Some(app) = &mut self.app {
            app.frame(ui);
            return;
        }
        match self.startup.poll() {
            StartupState::Loading(progress) => {
                egui::CentralPanel::default().show(ui, |ui| home::loading_ui(ui, progress));
            }
            StartupState::Ready(core) => {
                let app = ready_app(*core, ui.ctx());
                self.app = Some(Box::new(app));
                ui.ctx().request_repaint();
                egui::CentralPanel::default().show(ui, |ui| {
                    home::loading_ui(
                        ui,
                        crate::deck::library::LoadProgress {
                            files_done: 0,
                            files_total: 0,
                        },
                    )
                });
            }
            StartupState::Failed(text) => {
                if self.error.is_none() {
                    eprintln!("examdeck: error: {text}");
                    if let Some(f) = &self.failed {
                        f.store(true, Ordering::Relaxed);
                    }
                }
                egui::CentralPanel::default().show(ui, |ui| home::failed_ui(ui, &text));
                self.error = Some(text);
            }
        }
    }
}

/// The app over a freshly opened core: preferences applied, watchers and a first sync started.
fn ready_app(core: AppCore, ctx: &egui::Context) -> ExamdeckApp {
    theme::apply(ctx, core.prefs.theme);
    ctx.set_zoom_factor(core.prefs.zoom);
    let mut app = ExamdeckApp::new(core);
    app.ctx = Some(ctx.clone());
    app.watch_sync_folder();
    app.sync_now();
    app
}

impl eframe::App for StartupApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(app) = &mut self.app {
            app.on_close();
        }
    }
}

/// A window that only explains why the app cannot start (damaged or newer database, …).
pub fn run_error_window(text: String) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("examdeck")
            .with_inner_size([720.0, 360.0]),
        ..Default::default()
    };
    eframe::run_ui_native("examdeck", options, move |ui, _frame| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("examdeck cannot start");
            ui.separator();
            // The message names commands (`examdeck recover`) and backup paths to copy; a long
            // list of backups must not push the rest out of the window.
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(&text).selectable(true));
                });
            ui.add_space(12.0);
            ui.label(egui::RichText::new("Close this window when you have read it.").weak());
        });
    })
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// The main window's title, size and icon.
fn main_window_options() -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("examdeck")
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([640.0, 480.0])
            .with_icon(app_icon()),
        ..Default::default()
    }
}

/// The window icon (`assets/icon.svg`, rendered to PNG), compiled into the binary.
fn app_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).unwrap_or_default()
}

/// Opens the native window and runs until it is closed.
pub fn run_native(core: AppCore) -> anyhow::Result<()> {
    let options = main_window_options();
    eframe::run_native(
        "examdeck",
        options,
        Box::new(move |cc| {
            image_loader::install(&cc.egui_ctx);
            theme::init_style(&cc.egui_ctx);
            Ok(Box::new(ready_app(core, &cc.egui_ctx)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::DeckSource;
    use crate::deck::library::LoadProgress;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    fn harness(startup: Startup) -> Harness<'static, StartupApp> {
        Harness::builder()
            .with_size(egui::vec2(1024.0, 768.0))
            .build_ui_state(
                |ui, app: &mut StartupApp| app.frame(ui),
                StartupApp::new(startup),
            )
    }

    /// Steps frames until `done` holds (the worker runs meanwhile).
    fn step_until(
        h: &mut Harness<'static, StartupApp>,
        done: impl Fn(&Harness<'_, StartupApp>) -> bool,
    ) {
        for _ in 0..400 {
            h.step();
            if done(h) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the window never reached the expected state");
    }

    #[test]
    fn shows_reading_progress_then_the_home_screen() {
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let startup = Startup::spawn(
            move |progress| {
                progress(LoadProgress {
                    files_done: 23,
                    files_total: 50,
                });
                wait.recv().ok();
                AppCore::in_memory(vec![DeckSource::Bundled], chrono::Utc::now())
            },
            || {},
        );
        let mut h = harness(startup);
        step_until(&mut h, |h| {
            h.query_by_label("Reading decks 23/50").is_some()
        });
        assert!(h.state().app.is_none(), "still loading");
        // The window answers while loading: frames keep coming with the worker blocked.
        for _ in 0..3 {
            h.step();
        }
        assert!(h.query_by_label("Reading decks 23/50").is_some());
        go.send(()).expect("worker waiting");
        step_until(&mut h, |h| h.state().app.is_some());
        h.step();
        assert!(h.query_by_label("Reading decks 23/50").is_none());
        assert!(h.query_by_label("Mock exam").is_some(), "the app's tabs");
    }

    #[test]
    fn a_failed_start_shows_the_error_and_what_to_do() {
        let startup = Startup::spawn(|_| Err(anyhow::anyhow!("database is locked")), || {});
        let mut h = harness(startup);
        step_until(&mut h, |h| h.state().error.is_some());
        h.step();
        assert!(h.query_by_label("examdeck cannot start").is_some());
        assert!(
            h.query_by_label_contains("examdeck recover").is_some(),
            "says what to do"
        );
        assert!(h.state().app.is_none());
    }
}
