//! Home: decks grouped by exam with today's counts, the exam countdown and "Study now".

use super::dialogs::DialogPurpose;
use super::{Action, Screen, theme};
use crate::app::core::AppCore;
use crate::deck::library::LoadProgress;
use crate::learner::StudyScope;

/// The home screen while the library is read at start-up: "Reading decks 23/50" and a
/// progress bar (the window stays responsive; the worker wakes it at each file).
pub fn loading_ui(ui: &mut egui::Ui, progress: LoadProgress) {
    ui.add_space(60.0);
    ui.vertical_centered(|ui| {
        ui.heading("examdeck");
        ui.add_space(16.0);
        let (done, total) = (progress.files_done, progress.files_total);
        let (text, fraction) = if total == 0 {
            ("Opening your progress…".to_string(), 0.0)
        } else {
            (
                format!("Reading decks {done}/{total}"),
                done as f32 / total as f32,
            )
        };
        ui.label(&text);
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(360.0)
                .animate(true),
        );
    });
}

/// The home screen when start-up failed: what happened and what to do.
pub fn failed_ui(ui: &mut egui::Ui, text: &str) {
    ui.heading("examdeck cannot start");
    ui.separator();
    // The message names commands (`examdeck recover`) and backup paths to copy.
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add(egui::Label::new(text).selectable(true));
    });
    ui.add_space(12.0);
    ui.label(egui::RichText::new("Close this window when you have read it.").weak());
}

/// The home screen.
#[derive(Default)]
pub struct HomeScreen {
    /// Path typed into "Add decks…".
    pub import_path: super::path_field::PathField,
    /// Problems of the last import.
    pub import_problems: Vec<String>,
}

impl HomeScreen {
    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, core: &AppCore, actions: &mut Vec<Action>) {
        egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
            if core.library.decks.is_empty() {
                self.empty_library(ui, core, actions);
                return;
            }
            self.today(ui, core, actions);
            ui.add_space(12.0);
            for group in core.exam_groups() {
                self.group(ui, core, &group, actions);
                ui.add_space(8.0);
            }
            self.add_decks(ui, actions);
        });
    }

    fn add_decks(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::CollapsingHeader::new("Add decks…").show(ui, |ui| {
            ui.label("A deck file, a folder, a zip of decks or a deck pack, as a study group sends them, or an Anki package (.apkg, .colpkg) or CSV/TSV file to convert. You can also drop it on the window.");
            ui.horizontal(|ui| {
                if ui.button("Choose a file…").clicked() {
                    actions.push(Action::OpenDialog(DialogPurpose::AddDeckFile));
                }
                if ui.button("Choose a folder…").clicked() {
                    actions.push(Action::OpenDialog(DialogPurpose::AddDeckFolder));
                }
                ui.label(egui::RichText::new("or type its path:").weak());
            });
            if let Some(p) = self.import_path.ui(ui, "/path/to/decks.zip", "Add") {
                actions.push(Action::Import(p));
            }
            for p in &self.import_problems {
                ui.colored_label(ui.visuals().warn_fg_color, p);
            }
        });
    }

    fn empty_library(&self, ui: &mut egui::Ui, core: &AppCore, actions: &mut Vec<Action>) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("No decks loaded");
            ui.label("examdeck found no deck files it could read.");
            if core.library.error_count() > 0 && ui.button("Show deck problems").clicked() {
                actions.push(Action::Go(Screen::Problems));
            }
            if let Some(dir) = &core.user_decks {
                ui.label(format!(
                    "Put .yaml decks in {} — they load by themselves.",
                    dir.display()
                ));
            }
        });
    }

    fn today(&self, ui: &mut egui::Ui, core: &AppCore, actions: &mut Vec<Action>) {
        let (new, learning, review) = core.totals();
        ui.horizontal(|ui| {
            ui.heading("Today");
            for plan in &core.plans {
                let name = crate::app::exams::exam_title(&core.library, &plan.exam);
                let text = match plan.days_left {
                    d if d > 1 => format!("{name}: exam in {d} days ({})", plan.date),
                    1 => format!("{name}: exam tomorrow"),
                    0 => format!("{name}: exam today — good luck!"),
                    _ => format!("{name}: exam was on {}", plan.date),
                };
                ui.label(egui::RichText::new(text).strong());
            }
        });
        for plan in core.plans.iter().filter(|p| p.days_left > 0) {
            let pace = if plan.in_final_days {
                "final review days: every studied card comes back once more before the exam"
                    .to_string()
            } else if plan.new_left == 0 {
                "every card has been introduced".to_string()
            } else {
                format!(
                    "pace {} new cards a day introduces the {} cards left in time",
                    plan.new_per_day, plan.new_left
                )
            };
            let name = crate::app::exams::exam_title(&core.library, &plan.exam);
            ui.label(egui::RichText::new(format!("{name}: {pace}.")).weak());
        }
        if !core.counts_ready() {
            // Only for the frame after the window opens: the counts follow at once.
            ui.label(egui::RichText::new("Counting today's cards…").size(18.0));
            return;
        }
        if new + learning + review == 0 {
            ui.label(
                egui::RichText::new("All done for today. Nothing is due right now.").size(18.0),
            );
            ui.label("Come back tomorrow, or study ahead from a deck below.");
            return;
        }
        ui.horizontal(|ui| {
            count(ui, new, "new", theme::NEW);
            count(ui, learning, "learning", theme::LEARNING);
            count(ui, review, "to review", theme::DUE);
        });
        let button = egui::Button::new(egui::RichText::new("Study now").size(20.0).strong())
            .min_size(egui::vec2(180.0, 40.0));
        if ui
            .add(button)
            .on_hover_text("Everything due in every deck (Enter)")
            .clicked()
            || (ui.memory(|m| m.focused().is_none())
                && ui.input(|i| i.key_pressed(egui::Key::Enter)))
        {
            actions.push(Action::Study(StudyScope::All));
        }
    }

    fn group(
        &self,
        ui: &mut egui::Ui,
        core: &AppCore,
        group: &crate::app::core::ExamGroup,
        actions: &mut Vec<Action>,
    ) {
        let today = core.now().date_naive();
        let title = group.exam.map_or("Decks without an exam".to_string(), |e| {
            crate::app::exams::display_title(e, today)
        });
        egui::CollapsingHeader::new(egui::RichText::new(title).strong().size(17.0))
            .default_open(true)
            .show(ui, |ui| {
                if let Some(exam) = group.exam {
                    readiness(ui, core, exam, actions);
                    ui.horizontal(|ui| {
                        if ui.button("Study this exam").clicked() {
                            actions.push(Action::Study(StudyScope::Exam(exam.id.clone())));
                        }
                        if let Some(r) = &exam.retired {
                            ui.label(egui::RichText::new(format!("retired on {r}")).weak());
                        }
                    });
                }
                egui::Grid::new(("decks", group.exam.map(|e| e.id.as_str())))
                    .striped(true)
                    .num_columns(7)
                    .spacing([16.0, 6.0])
                    .show(ui, |ui| {
                        for h in ["Deck", "New", "Learning", "Due", "Cards", "Mastery", ""] {
                            ui.label(egui::RichText::new(h).weak());
                        }
                        ui.end_row();
                        for (deck, counts) in &group.decks {
                            ui.label(&deck.deck.title);
                            // No counts yet: the frame before they are computed.
                            let (n, l, r, t, m) = counts.map_or(
                                ("…".into(), "…".into(), "…".into(), "…".into(), 0.0),
                                |c| {
                                    (
                                        c.new.to_string(),
                                        c.learning.to_string(),
                                        c.review.to_string(),
                                        c.total.to_string(),
                                        c.mastered_fraction,
                                    )
                                },
                            );
                            ui.colored_label(theme::NEW, n);
                            ui.colored_label(theme::LEARNING, l);
                            ui.colored_label(theme::DUE, r);
                            ui.label(t);
                            ui.add(
                                egui::ProgressBar::new(m)
                                    .desired_width(120.0)
                                    .text(format!("{:.0}%", m * 100.0)),
                            )
                            .on_hover_text(
                                "Share of cards you would recall right now with ≥ 90 % probability",
                            );
                            if ui
                                .button("Study")
                                .on_hover_text(format!("Study {}", deck.deck.title))
                                .clicked()
                            {
                                actions.push(Action::Study(StudyScope::Deck(deck.deck.id.clone())));
                            }
                            ui.end_row();
                        }
                    });
                let _ = core;
            });
    }
}

/// The forecast for exam day, with its band, per-domain bars and the weakest domains.
fn readiness(
    ui: &mut egui::Ui,
    core: &AppCore,
    exam: &crate::deck::ExamBlueprint,
    actions: &mut Vec<Action>,
) {
    let Some(f) = core.forecasts.get(&exam.id) else {
        return;
    };
    let when = match core.learner.settings().exam_dates.get(&exam.id) {
        Some(d) => format!("on exam day ({d})"),
        None => "if you sat it today (set your exam date in Settings)".to_string(),
    };
    ui.label(
        egui::RichText::new(format!(
            "Forecast {when}: {} ({}–{}), pass mark {} · chance of passing {:.0} %",
            f.expected_scaled,
            f.low_scaled,
            f.high_scaled,
            exam.passing_score,
            f.pass_probability * 100.0
        ))
        .strong(),
    )
    .on_hover_text(
        "Each card's predicted recall on that day (cards never studied count at guessing level), \
         weighted by the exam's domains; the range is an 80 % band.",
    );
    let weakest: Vec<&str> = crate::exam::weakest_domains(f, 2)
        .iter()
        .map(|w| w.domain.as_str())
        .collect();
    egui::Grid::new(("forecast", &exam.id))
        .num_columns(3)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for d in &f.per_domain {
                ui.label(&d.title);
                ui.add(
                    egui::ProgressBar::new((d.expected / 100.0) as f32)
                        .desired_width(200.0)
                        .text(format!(
                            "{:.0} % · {}/{} studied",
                            d.expected, d.studied, d.items
                        )),
                );
                if weakest.contains(&d.domain.as_str())
                    && ui
                        .button("Study this domain")
                        .on_hover_text("One of your two weakest domains")
                        .clicked()
                {
                    actions.push(Action::Study(StudyScope::Domain {
                        exam: exam.id.clone(),
                        domain: d.domain.clone(),
                    }));
                }
                ui.end_row();
            }
        });
}

fn count(ui: &mut egui::Ui, n: u32, what: &str, color: egui::Color32) {
    ui.label(
        egui::RichText::new(n.to_string())
            .size(26.0)
            .strong()
            .color(color),
    );
    ui.label(what);
    ui.add_space(12.0);
}
