//! The desktop window: one struct and file per screen; this module only routes between them,
//! applies the actions screens ask for after drawing, and handles app-wide keys.

pub mod browse;
pub mod card_view;
pub mod deck_folders;
mod desktop;
pub mod dialogs;
pub mod exam;
pub mod home;
pub mod image_loader;
pub mod import_notice;
pub mod import_preview;
mod imports;
mod launch;
pub mod markdown;
pub mod pack_preview;
pub mod path_field;
pub mod problems;
pub mod settings;
pub mod stats;
pub mod study;
pub mod sync_section;
pub mod theme;
mod watching;

pub use launch::{StartupApp, run, run_error_window, run_native};

use crate::app::core::AppCore;
use crate::app::dialog::{DialogBackend, Dialogs};
use crate::app::session::Session;
use crate::app::watch::DeckWatcher;
use crate::learner::StudyScope;

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Library with counts and "Study now".
    Home,
    /// One card at a time.
    Study,
    /// Search and manage cards.
    Browse,
    /// Mock exams.
    Exam,
    /// Charts.
    Stats,
    /// Preferences, backups, optimizer.
    Settings,
    /// Deck load problems.
    Problems,
}

/// What a screen asks the app to do; applied after all panels are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Switch screen.
    Go(Screen),
    /// Start studying a scope.
    Study(StudyScope),
    /// Reload every deck now.
    Reload,
    /// Import a deck file, folder or zip into the user's deck folder.
    Import(std::path::PathBuf),
    /// The learner agreed that the staged import may replace their own deck files.
    ConfirmImport,
    /// Exchange progress with the sync folder now (in the background).
    Sync,
    /// Use this sync folder from now on (None: turn sync off).
    SetSyncFolder(Option<std::path::PathBuf>),
    /// Open a native file dialog; its answer becomes another action.
    OpenDialog(dialogs::DialogPurpose),
    /// Watch a folder as a deck source (saved in the learner's settings).
    AddDeckFolder(std::path::PathBuf),
    /// Stop watching a saved deck folder.
    RemoveDeckFolder(std::path::PathBuf),
    /// Ask to restore progress from this backup file (Settings asks for confirmation).
    AskRestore(std::path::PathBuf),
    /// Add the deck pack shown in the preview.
    ImportPack(std::path::PathBuf),
    /// Close the pack preview without adding anything.
    CancelPack,
    /// Write a deck pack of these decks to `path`.
    WritePack {
        /// Deck ids.
        decks: Vec<String>,
        /// The zip to write.
        path: std::path::PathBuf,
    },
}

/// The eframe app.
pub struct ExamdeckApp {
    /// Library, learner and friends.
    pub core: AppCore,
    /// The screen on show.
    pub screen: Screen,
    /// The running study session, if any.
    pub session: Option<Session>,
    /// Screens.
    pub home: home::HomeScreen,
    /// Study screen.
    pub study: study::StudyScreen,
    /// Browse screen.
    pub browse: browse::BrowseScreen,
    /// Mock exam screen.
    pub exam: exam::ExamScreen,
    /// Stats screen.
    pub stats: stats::StatsScreen,
    /// Settings screen.
    pub settings: settings::SettingsScreen,
    /// Problems panel.
    pub problems: problems::ProblemsScreen,
    /// Shared Markdown renderer (its image cache is shared too).
    pub markdown: markdown::MarkdownView,
    /// File watcher for hot reload, when the decks are on disk.
    pub watcher: Option<DeckWatcher>,
    /// Watcher of the sync folder's device files.
    pub sync_watcher: Option<DeckWatcher>,
    /// The window's context (to wake it from worker threads), once known.
    pub ctx: Option<egui::Context>,
    /// An error to show in the status bar.
    pub error: Option<String>,
    /// "Add decks…": an import awaiting confirmation, and the last outcome until dismissed.
    pub import: crate::app::import_flow::ImportFlow,
    /// Native file dialogs (one at a time, on a worker thread).
    pub dialogs: Dialogs<dialogs::DialogPurpose>,
    /// A deck pack waiting for the learner's confirmation.
    pub pack_preview: Option<pack_preview::PackPreview>,
    /// The deck sources changed: the watcher is restarted on the next frame.
    restart_watcher: bool,
    /// An Anki package or CSV file being imported (its own window).
    pub import_flow: Option<crate::app::import_preview::ImportFlow>,
}

impl ExamdeckApp {
    /// Wraps a core; the window starts on the home screen, or on an unfinished mock exam.
    pub fn new(mut core: AppCore) -> Self {
        let settings = settings::SettingsScreen::from_core(&core);
        let mut exam = exam::ExamScreen::default();
        exam.resume(&mut core);
        let screen = if exam.session.is_some() {
            Screen::Exam
        } else {
            Screen::Home
        };
        Self {
            core,
            screen,
            session: None,
            home: home::HomeScreen::default(),
            study: study::StudyScreen::default(),
            browse: browse::BrowseScreen::default(),
            exam,
            stats: stats::StatsScreen::default(),
            settings,
            problems: problems::ProblemsScreen::default(),
            markdown: markdown::MarkdownView::default(),
            watcher: None,
            sync_watcher: None,
            ctx: None,
            error: None,
            import: Default::default(),
            dialogs: Dialogs::new(DialogBackend::Native),
            restart_watcher: false,
            pack_preview: None,
            import_flow: None,
        }
    }

    /// Draws one frame into `ui` (the whole window).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        self.poll_watcher(ui.ctx());
        self.poll_sync(ui.ctx());
        let mut actions = Vec::new();
        self.poll_dialog(&mut actions);
        egui::Panel::top("nav").show(ui, |ui| self.nav_bar(ui, &mut actions));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.import.pending.is_some() || self.import.notice.is_some() {
            egui::Panel::top("import_notice").show(ui, |ui| {
                import_notice::ui(ui, &mut self.import, &mut actions)
            });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let core = &mut self.core;
            match self.screen {
                Screen::Home => self.home.ui(ui, core, &mut actions),
                Screen::Study => self.study.ui(
                    ui,
                    core,
                    &mut self.session,
                    &mut self.markdown,
                    &mut actions,
                ),
                Screen::Browse => self.browse.ui(ui, core, &mut self.markdown, &mut actions),
                Screen::Exam => self.exam.ui(ui, core, &mut self.markdown, &mut actions),
                Screen::Stats => self.stats.ui(ui, core),
                Screen::Settings => self.settings.ui(ui, core, &mut actions),
                Screen::Problems => {
                    deck_folders::problem_folders(ui, core);
                    self.problems.ui(ui, &core.library.diagnostics)
                }
            }
        });
        if let Some(p) = &self.pack_preview {
            p.ui(ui.ctx(), &mut actions);
        }
        self.import_window(ui.ctx());
        self.global_keys(ui.ctx(), &mut actions);
        // Files dropped on the window are imported, as "Add decks…" would.
        for f in ui.ctx().input(|i| i.raw.dropped_files.clone()) {
            let p = f.path();
            if !p.as_os_str().is_empty() {
                actions.push(Action::Import(p.to_path_buf()));
            }
        }
        // State changed after this frame was drawn: draw it again to show the result.
        // What an open left for later (the due counts) and the forecasts an open or a reload
        // left stale (home screen only) are computed once a frame is up, then shown.
        let later = match self
            .core
            .refresh_stale_after_frame(self.screen == Screen::Home)
        {
            Ok(did) => did,
            Err(e) => {
                self.core.status = Some(format!("Could not count today's cards: {e:#}"));
                false
            }
        };
        if !actions.is_empty() || later {
            ui.ctx().request_repaint();
        }
        for a in actions {
            if let Action::OpenDialog(purpose) = a {
                let ctx = ui.ctx().clone();
                let request = purpose.request();
                self.dialogs
                    .open(purpose, request, move || ctx.request_repaint());
            } else {
                self.apply(a);
            }
        }
        if std::mem::take(&mut self.restart_watcher) && self.watcher.is_some() {
            self.watcher = DeckWatcher::start(&self.core.sources, ui.ctx().clone()).ok();
        }
    }

    fn nav_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.heading("examdeck");
            ui.separator();
            let problems = self.core.library.error_count();
            let tabs = [
                (Screen::Home, "Home".to_string()),
                (Screen::Study, "Study".to_string()),
                (Screen::Exam, "Mock exam".to_string()),
                (Screen::Browse, "Browse".to_string()),
                (Screen::Stats, "Stats".to_string()),
                (Screen::Settings, "Settings".to_string()),
                (
                    Screen::Problems,
                    if problems > 0 {
                        format!("Problems ({problems})")
                    } else {
                        "Problems".to_string()
                    },
                ),
            ];
            for (screen, label) in tabs {
                if ui.selectable_label(self.screen == screen, label).clicked() {
                    actions.push(Action::Go(screen));
                }
            }
        });
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(line) = self.core.sync.line(self.core.now()) {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(egui::RichText::new(line).weak());
                    ui.add_space(8.0);
                    self.status_left(ui);
                });
            } else {
                self.status_left(ui);
            }
        });
    }

    fn status_left(&self, ui: &mut egui::Ui) {
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            } else if let Some(s) = &self.core.status {
                ui.label(egui::RichText::new(s).weak());
            } else {
                let (n, l, r) = self.core.totals();
                ui.label(
                    egui::RichText::new(format!(
                        "{} decks · {} cards · today: {n} new, {l} learning, {r} to review",
                        self.core.library.decks.len(),
                        self.core.library.card_count()
                    ))
                    .weak(),
                );
            }
        });
    }

    fn global_keys(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        // Zoom: Ctrl +/−/0, like a browser.
        let (zoom_in, zoom_out, zoom_reset, reload, sync) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Plus)
                    || i.consume_key(egui::Modifiers::COMMAND, egui::Key::Equals),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Minus),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Num0),
                i.consume_key(egui::Modifiers::NONE, egui::Key::F5),
                i.consume_key(egui::Modifiers::NONE, egui::Key::F6),
            )
        });
        if sync {
            actions.push(Action::Sync);
        }
        let zoom = ctx.zoom_factor();
        if zoom_in {
            ctx.set_zoom_factor((zoom + 0.1).min(3.0));
        }
        if zoom_out {
            ctx.set_zoom_factor((zoom - 0.1).max(0.5));
        }
        if zoom_reset {
            ctx.set_zoom_factor(1.0);
        }
        if reload {
            actions.push(Action::Reload);
        }
    }

    /// Applies one action (also used by tests to drive the app).
    pub fn apply(&mut self, action: Action) {
        let result = match action {
            Action::Go(screen) => {
                // Back home after a study session or a mock exam: share the progress.
                if screen == Screen::Home && matches!(self.screen, Screen::Study | Screen::Exam) {
                    self.sync_now();
                }
                if screen == Screen::Study && self.session.is_none() {
                    self.start(StudyScope::All)
                } else {
                    // Figures that study may have changed are rebuilt once, on arrival.
                    match screen {
                        Screen::Browse => self.browse.invalidate(),
                        Screen::Stats => self.stats.invalidate(),
                        Screen::Home => self.core.refresh_forecasts(),
                        _ => {}
                    }
                    self.screen = screen;
                    Ok(())
                }
            }
            Action::Study(scope) => self.start(scope),
            Action::Reload => self.reload(),
            Action::Import(path) => self.import(&path),
            Action::ConfirmImport => {
                let now = self.core.now();
                if self.import.confirm(now) {
                    self.after_import()
                } else {
                    Ok(())
                }
            }
            Action::Sync => {
                self.sync_now();
                Ok(())
            }
            Action::SetSyncFolder(folder) => self.set_sync_folder(folder),
            Action::OpenDialog(purpose) => {
                // Outside a frame (tests driving `apply`): no context to wake.
                let request = purpose.request();
                self.dialogs.open(purpose, request, || {});
                Ok(())
            }
            Action::AddDeckFolder(path) => self.core.add_deck_folder(&path).map(|p| {
                self.restart_watcher = true;
                self.after_sources_changed(format!("Watching {}.", p.display()));
            }),
            Action::RemoveDeckFolder(path) => self.core.remove_deck_folder(&path).map(|()| {
                self.restart_watcher = true;
                self.after_sources_changed(format!("Stopped watching {}.", path.display()));
            }),
            Action::AskRestore(path) => {
                self.settings.ask_restore(path);
                self.screen = Screen::Settings;
                Ok(())
            }
            Action::WritePack { decks, path } => self.write_pack(&decks, &path),
            Action::ImportPack(path) => {
                self.pack_preview = None;
                self.import_pack(&path)
            }
            Action::CancelPack => {
                self.pack_preview = None;
                Ok(())
            }
        };
        self.error = result.err().map(|e| format!("{e:#}"));
    }

    /// Saves what must survive closing the window (an open mock exam's answers and clock).
    pub fn on_close(&mut self) {
        if let Some(s) = &mut self.exam.session
            && s.report.is_none()
            && let Err(e) = s.pause(&mut self.core)
        {
            eprintln!("examdeck: could not save the mock exam: {e:#}");
        }
    }

    fn start(&mut self, scope: StudyScope) -> anyhow::Result<()> {
        self.session = Some(Session::start(&mut self.core, scope)?);
        self.screen = Screen::Study;
        Ok(())
    }

    fn reload(&mut self) -> anyhow::Result<()> {
        let now = self.core.now();
        self.core.reload(now)?;
        self.markdown.clear();
        self.browse.invalidate();
        self.stats.invalidate();
        let errors = self.core.library.error_count();
        self.core.status = Some(if errors == 0 {
            "Decks reloaded.".to_string()
        } else {
            format!("Decks reloaded with {errors} problem(s): see Problems.")
        });
        // The card on screen may have changed or gone: fetch it again from the new library.
        if let Some(s) = &mut self.session
            && let Some(c) = &s.current
            && crate::app::session::card_of(&self.core, &c.item.key).is_none()
        {
            s.advance(&mut self.core)?;
        }
        Ok(())
    }
}

impl eframe::App for ExamdeckApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.on_close();
    }
}
