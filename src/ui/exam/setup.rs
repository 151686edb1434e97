//! The mock-exam setup form: exam, mode, length, domain and paper number.

use super::{ExamCmd, ExamScreen};
use crate::app::core::AppCore;
use crate::app::exams;
use crate::exam::Mode;

impl ExamScreen {
    pub(super) fn setup_ui(&mut self, ui: &mut egui::Ui, core: &AppCore, cmds: &mut Vec<ExamCmd>) {
        ui.heading("Mock exam");
        if core.library.exams.is_empty() {
            ui.label("No exam blueprint is loaded, so there is no exam to sit.");
            return;
        }
        let today = core.now().date_naive();
        let offered = exams::pickable(&core.library, today, self.show_retired);
        // A retired (or unknown) exam is not kept selected behind the learner's back.
        if !offered.iter().any(|e| e.id == self.setup.exam)
            && let Some(first) = offered.first()
        {
            self.setup.exam = first.id.clone();
            self.setup.domain = None;
        }
        egui::Grid::new("exam-setup").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
            let l = ui.label("Exam");
            ui.horizontal(|ui| {
                let selected = core
                    .library
                    .exam(&self.setup.exam)
                    .map_or_else(|| self.setup.exam.clone(), |e| exams::display_title(e, today));
                egui::ComboBox::from_id_salt("exam-pick")
                    .selected_text(selected)
                    .show_ui(ui, |ui| {
                        for e in &offered {
                            ui.selectable_value(&mut self.setup.exam, e.id.clone(), exams::display_title(e, today));
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.checkbox(&mut self.show_retired, "show retired exams");
            });
            ui.end_row();
            ui.label("Mode");
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.setup.mode, Mode::Exam, "Exam: timed, answers at the end");
                ui.radio_value(&mut self.setup.mode, Mode::Practice, "Practice: untimed, explained as you go");
            });
            ui.end_row();
            ui.label("Length");
            ui.horizontal(|ui| {
                ui.checkbox(&mut self.full_length, "Full length");
                ui.add_enabled(
                    !self.full_length,
                    egui::DragValue::new(&mut self.setup.questions).range(1..=200).suffix(" questions"),
                )
                .on_hover_text("Number of questions");
            });
            ui.end_row();
            let l = ui.label("Domain");
            let domains: Vec<(String, String)> = core
                .library
                .exam(&self.setup.exam)
                .map(|e| e.domains.iter().map(|d| (d.id.clone(), d.title.clone())).collect())
                .unwrap_or_default();
            let domain_text = match &self.setup.domain {
                None => "all, by weight".to_string(),
                Some(id) => domains.iter().find(|(d, _)| d == id).map_or_else(|| id.clone(), |(_, t)| t.clone()),
            };
            egui::ComboBox::from_id_salt("exam-domain")
                .selected_text(domain_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.setup.domain, None, "all, by weight");
                    for (id, title) in domains {
                        ui.selectable_value(&mut self.setup.domain, Some(id), title);
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Paper number (seed)");
            ui.add(egui::DragValue::new(&mut self.setup.seed))
                .labelled_by(l.id)
                .on_hover_text("The same number gives the same paper, so a study group can sit the same exam.");
            ui.end_row();
        });
        if let Some(bp) = core.library.exam(&self.setup.exam) {
            ui.label(
                egui::RichText::new(format!(
                    "The real exam: {} questions in {} minutes, pass mark {} on a {}–{} scale.",
                    bp.questions, bp.minutes, bp.passing_score, bp.scale_min, bp.scale_max
                ))
                .weak(),
            );
        }
        if ui
            .add(
                egui::Button::new(egui::RichText::new("Start mock exam").strong())
                    .min_size(egui::vec2(200.0, 36.0)),
            )
            .clicked()
        {
            cmds.push(ExamCmd::Start);
        }
        ui.separator();
        super::history::history_ui(ui, core, &self.setup.exam);
    }
}
