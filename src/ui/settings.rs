//! Settings: retention, daily limits, day start, exam dates, theme and zoom, folders, the FSRS
//! optimizer and backups. Edits go to a draft; "Save" checks and stores them.

use super::Action;
use crate::app::core::AppCore;
use crate::app::optimize_job::{JobState, OptimizeJob};
use crate::app::prefs::ThemePref;
use crate::schedule::Settings;
use crate::schedule::optimize::OptimizeReport;

/// Which part of the screen a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MessageAt {
    Top,
    Optimizer,
    Backups,
}

/// Settings screen state: the draft being edited.
pub struct SettingsScreen {
    /// The settings as edited, not yet saved.
    pub draft: Settings,
    /// Exam date fields as typed (`YYYY-MM-DD`), by exam id.
    exam_dates: std::collections::BTreeMap<String, String>,
    /// Result of the last save / optimize / restore.
    message: Option<(bool, String)>,
    /// Where to show the message: next to what produced it.
    message_at: MessageAt,
    /// The optimizer running in the background, if any.
    optimizing: Option<OptimizeJob>,
    /// The backup the learner asked to restore, awaiting confirmation.
    confirm_restore: Option<std::path::PathBuf>,
    /// The sync section.
    sync: super::sync_section::SyncSection,
    /// Exam titles and whether each is retired, by exam id (for the date fields).
    exam_names: std::collections::BTreeMap<String, (String, bool)>,
    /// Show date fields for retired exams too.
    pub show_retired: bool,
    /// Watched deck folders and the deck list with "Share…".
    pub folders: super::deck_folders::DeckFoldersView,
    /// A backup file typed by path (when no file dialog is available).
    restore_path: super::path_field::PathField,
}

impl SettingsScreen {
    /// A draft of the learner's current settings.
    pub fn from_core(core: &AppCore) -> Self {
        let draft = core.learner.settings().clone();
        let exam_dates = core
            .library
            .exams
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    draft
                        .exam_dates
                        .get(&e.id)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                )
            })
            .collect();
        let today = core.now().date_naive();
        let exam_names = core
            .library
            .exams
            .iter()
            .map(|e| {
                let retired = crate::app::exams::is_retired(e, today);
                (e.id.clone(), (e.title.clone(), retired))
            })
            .collect();
        Self {
            draft,
            exam_dates,
            exam_names,
            show_retired: false,
            folders: Default::default(),
            restore_path: Default::default(),
            message: None,
            message_at: MessageAt::Top,
            confirm_restore: None,
            sync: Default::default(),
            optimizing: None,
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, core: &mut AppCore, actions: &mut Vec<Action>) {
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.heading("Settings");
                self.message_ui(ui, MessageAt::Top);
                self.scheduling(ui);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        self.save(core);
                    }
                    if ui.button("Revert").clicked() {
                        *self = SettingsScreen::from_core(core);
                    }
                });
                ui.separator();
                appearance(ui, core);
                ui.separator();
                self.optimizer(ui, core);
                ui.separator();
                self.sync.ui(ui, core, actions);
                ui.separator();
                self.backups(ui, core, actions);
                ui.separator();
                self.folders.ui(ui, core, actions);
            });
    }

    fn scheduling(&mut self, ui: &mut egui::Ui) {
        ui.label(egui::RichText::new("Scheduling").strong());
        egui::Grid::new("sched")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                let l = ui.label("Desired retention");
                ui.add(
                    egui::Slider::new(&mut self.draft.desired_retention, 0.70..=0.99)
                        .fixed_decimals(2),
                )
                .labelled_by(l.id)
                .on_hover_text(
                    "Probability of recalling a card when it comes due. Higher means more reviews.",
                );
                ui.end_row();
                let l = ui.label("New cards per day");
                ui.add(egui::DragValue::new(&mut self.draft.new_per_day).range(0..=9999))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Reviews per day");
                ui.add(egui::DragValue::new(&mut self.draft.reviews_per_day).range(0..=99999))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Next day starts at (hour)");
                ui.add(egui::DragValue::new(&mut self.draft.day_start_hour).range(0..=23))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Leech after lapses (0 = never)");
                ui.add(egui::DragValue::new(&mut self.draft.leech_threshold).range(0..=99))
                    .labelled_by(l.id);
                ui.end_row();
                for (exam, text) in &mut self.exam_dates {
                    let (title, retired) = self
                        .exam_names
                        .get(exam)
                        .cloned()
                        .unwrap_or_else(|| (exam.clone(), false));
                    if retired && !self.show_retired {
                        continue;
                    }
                    let l = ui.label(format!("Exam date: {title}"));
                    ui.add(
                        egui::TextEdit::singleline(text)
                            .hint_text("YYYY-MM-DD")
                            .desired_width(110.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
                if self.exam_names.values().any(|(_, retired)| *retired) {
                    ui.label("");
                    ui.checkbox(&mut self.show_retired, "show retired exams");
                    ui.end_row();
                }
            });
    }

    fn save(&mut self, core: &mut AppCore) {
        self.message_at = MessageAt::Top;
        let mut s = self.draft.clone();
        // Folders are saved as they are added and removed, not with this draft.
        s.deck_folders = core.learner.settings().deck_folders.clone();
        for (exam, text) in &self.exam_dates {
            let text = text.trim();
            if text.is_empty() {
                s.exam_dates.remove(exam);
                continue;
            }
            match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) => {
                    s.exam_dates.insert(exam.clone(), d);
                }
                Err(_) => {
                    self.message = Some((
                        false,
                        format!(
                            "Exam date for {} must be written YYYY-MM-DD, e.g. 2027-03-15.",
                            self.exam_names
                                .get(exam)
                                .map_or(exam.as_str(), |(t, _)| t.as_str())
                        ),
                    ));
                    return;
                }
            }
        }
        self.message = Some(match core.learner.set_settings(s) {
            Ok(()) => {
                let _ = core.refresh_counts(core.now());
                (true, "Saved.".to_string())
            }
            Err(e) => (false, format!("Not saved: {e:#}")),
        });
        self.draft = core.learner.settings().clone();
    }

    fn optimizer(&mut self, ui: &mut egui::Ui, core: &mut AppCore) {
        ui.label(egui::RichText::new("FSRS parameters").strong());
        ui.label(
            egui::RichText::new(
                "Fit the scheduler to your own memory from your review history. The new parameters are kept \
                 only if they predict your held-out reviews better.",
            )
            .weak(),
        );
        if let Some(job) = &mut self.optimizing {
            match job.poll(&mut core.learner) {
                JobState::Running(p) => {
                    ui.add(
                        egui::ProgressBar::new(p)
                            .desired_width(300.0)
                            .show_percentage(),
                    )
                    .on_hover_text("Fitting FSRS to your reviews");
                }
                JobState::Finished(result) => {
                    self.optimizing = None;
                    self.message_at = MessageAt::Optimizer;
                    self.message = Some(match result {
                        Ok(r) => (true, optimize_summary(&r)),
                        Err(e) => (false, format!("Optimizer: {e:#}")),
                    });
                    self.draft = core.learner.settings().clone();
                    let _ = core.refresh_counts(core.now());
                }
            }
        } else if ui.button("Optimize now").clicked() {
            let ctx = ui.ctx().clone();
            match OptimizeJob::start(&core.learner, move || ctx.request_repaint()) {
                Ok(job) => self.optimizing = Some(job),
                Err(e) => {
                    self.message_at = MessageAt::Optimizer;
                    self.message = Some((false, format!("Optimizer: {e:#}")));
                }
            }
        }
        self.message_ui(ui, MessageAt::Optimizer);
    }

    fn message_ui(&self, ui: &mut egui::Ui, at: MessageAt) {
        if let Some((ok, m)) = &self.message
            && self.message_at == at
        {
            let color = if *ok {
                super::theme::DUE
            } else {
                ui.visuals().error_fg_color
            };
            ui.colored_label(color, m);
        }
    }

    /// Asks for confirmation before restoring `path` (a backup picked in a file dialog).
    pub fn ask_restore(&mut self, path: std::path::PathBuf) {
        self.confirm_restore = Some(path);
    }

    fn restore(&mut self, core: &mut AppCore, path: &std::path::Path) {
        self.confirm_restore = None;
        self.message_at = MessageAt::Backups;
        self.message = Some(match core.restore_backup(path) {
            Ok(Some(copy)) => (
                true,
                format!(
                    "Restored. Your progress before this restore was saved as {}.",
                    copy.display()
                ),
            ),
            Ok(None) => (true, "Restored.".to_string()),
            Err(e) => (false, format!("Restore failed: {e:#}")),
        });
    }

    /// Restoring a backup file from anywhere: a dialog, or its path typed.
    fn restore_from_file(
        &mut self,
        ui: &mut egui::Ui,
        core: &mut AppCore,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            if ui
                .button("Restore from a file…")
                .on_hover_text("Pick a backup made on another computer (asks first)")
                .clicked()
            {
                actions.push(Action::OpenDialog(
                    super::dialogs::DialogPurpose::RestoreBackup,
                ));
            }
            ui.label(egui::RichText::new("or type its path:").weak());
        });
        if let Some(p) = self
            .restore_path
            .ui(ui, "/path/to/examdeck-backup.sqlite3", "Restore…")
        {
            self.confirm_restore = Some(p);
        }
        let listed = core.learner.backups().is_ok_and(|l| {
            l.iter()
                .any(|b| Some(&b.path) == self.confirm_restore.as_ref())
        });
        if let Some(p) = self.confirm_restore.clone()
            && !listed
        {
            ui.horizontal(|ui| {
                ui.label(format!("Replace all your progress with {}?", p.display()));
                if ui.button("Yes, restore").clicked() {
                    self.restore(core, &p);
                }
                if ui.button("Cancel").clicked() {
                    self.confirm_restore = None;
                }
            });
        }
    }

    fn backups(&mut self, ui: &mut egui::Ui, core: &mut AppCore, actions: &mut Vec<Action>) {
        ui.label(egui::RichText::new("Backups").strong());
        ui.label(
            egui::RichText::new(
                "A backup is made when the app starts, at most once a day; the last 7 are kept.",
            )
            .weak(),
        );
        self.message_ui(ui, MessageAt::Backups);
        self.restore_from_file(ui, core, actions);
        match core.learner.backups() {
            Ok(list) if list.is_empty() => {
                ui.label("No backups yet.");
            }
            Ok(list) => {
                for b in list.iter().rev() {
                    ui.horizontal(|ui| {
                        ui.label(
                            b.path
                                .file_name()
                                .map(|n| n.to_string_lossy().to_string())
                                .unwrap_or_default(),
                        );
                        ui.label(egui::RichText::new(format!("{} KiB", b.bytes / 1024)).weak());
                        if self.confirm_restore.as_ref() == Some(&b.path) {
                            ui.label("Replace all your progress with this backup?");
                            if ui.button("Yes, restore").clicked() {
                                self.restore(core, &b.path);
                            }
                            if ui.button("Cancel").clicked() {
                                self.confirm_restore = None;
                            }
                        } else if ui
                            .button("Restore…")
                            .on_hover_text("Replace your progress with this backup (asks first)")
                            .clicked()
                        {
                            self.confirm_restore = Some(b.path.clone());
                        }
                    });
                }
            }
            Err(e) => {
                ui.label(format!("Cannot list backups: {e:#}"));
            }
        }
    }
}

fn appearance(ui: &mut egui::Ui, core: &mut AppCore) {
    ui.label(egui::RichText::new("Appearance").strong());
    let before = core.prefs.clone();
    ui.horizontal(|ui| {
        ui.label("Theme");
        ui.selectable_value(
            &mut core.prefs.theme,
            ThemePref::System,
            "Follow the system",
        );
        ui.selectable_value(&mut core.prefs.theme, ThemePref::Light, "Light");
        ui.selectable_value(&mut core.prefs.theme, ThemePref::Dark, "Dark");
    });
    ui.horizontal(|ui| {
        let l = ui.label("Zoom");
        let mut zoom = ui.ctx().zoom_factor();
        if ui
            .add(egui::Slider::new(&mut zoom, 0.5..=3.0).step_by(0.1))
            .labelled_by(l.id)
            .changed()
        {
            ui.ctx().set_zoom_factor(zoom);
        }
        ui.label(egui::RichText::new("Ctrl + / Ctrl − / Ctrl 0").weak());
        core.prefs.zoom = zoom;
    });
    if core.prefs != before {
        super::theme::apply(ui.ctx(), core.prefs.theme);
        if let Some(dir) = &core.data_dir
            && let Err(e) = core.prefs.save(dir)
        {
            core.status = Some(format!("Could not save preferences: {e}"));
        }
    }
}

fn optimize_summary(r: &OptimizeReport) -> String {
    format!(
        "Log loss on held-out reviews: current {:.4}, optimized {:.4} ({} training items, {} held out). {}",
        r.current_log_loss,
        r.new_log_loss,
        r.train_items,
        r.test_items,
        if r.accepted {
            "The new parameters are in use."
        } else {
            "Kept the current parameters: they predict better."
        }
    )
}
