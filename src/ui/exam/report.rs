//! The report of a finished mock exam: score, domains, time and every question's review.

use super::super::card_view::{self, CardRef};
use super::super::markdown::MarkdownView;
use super::super::{Action, Screen};
use super::{ExamCmd, fmt_ms};
use crate::app::core::AppCore;
use crate::app::exams;
use crate::app::mock::MockSession;
use crate::app::session::card_of;
use crate::learner::StudyScope;

pub(super) fn report_ui(
    ui: &mut egui::Ui,
    core: &AppCore,
    s: &mut MockSession,
    md: &mut MarkdownView,
    actions: &mut Vec<Action>,
    cmds: &mut Vec<ExamCmd>,
) {
    let Some(report) = s.report.clone() else {
        return;
    };
    egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        ui.heading("Mock exam report");
        ui.label(egui::RichText::new(exams::exam_title(&core.library, &s.attempt.paper.exam)).strong());
        let verdict = if report.passed { "PASS" } else { "FAIL" };
        let color = if report.passed { super::super::theme::DUE } else { ui.visuals().error_fg_color };
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(verdict).size(28.0).strong().color(color));
            ui.label(
                egui::RichText::new(format!(
                    "{} / {} correct ({:.0} %) · estimated scaled score {} (pass {})",
                    report.raw_correct, report.total, report.percent, report.scaled, report.scale.pass
                ))
                .size(17.0),
            );
        });
        ui.label(
            egui::RichText::new(
                "The scaled score is an estimate: the vendor's equating is not public. examdeck maps the \
                 percentage correct piecewise-linearly: 0 % to the scale's minimum, 72 % (the commonly \
                 estimated cut) to the pass mark, 100 % to the maximum.",
            )
            .weak(),
        );
        if let Some(f) = &s.forecast_before {
            ui.label(format!(
                "Forecast before this attempt: {:.0} % ({:.0}–{:.0} %), actual {:.0} %.",
                f.expected_percent, f.low, f.high, report.percent
            ));
        }
        if let Some(t) = report.time_ms {
            ui.label(format!(
                "Time: {} in all, {} per question on average.",
                fmt_ms(t),
                fmt_ms(t / report.total.max(1) as u64)
            ));
        }
        ui.add_space(6.0);
        egui::Grid::new("report-domains").striped(true).show(ui, |ui| {
            for d in &report.per_domain {
                ui.label(&d.title);
                ui.add(
                    egui::ProgressBar::new((d.percent / 100.0) as f32)
                        .desired_width(220.0)
                        .text(format!("{}/{} ({:.0} %)", d.correct, d.total, d.percent)),
                );
                ui.end_row();
            }
        });
        ui.horizontal(|ui| {
            let mistakes = s.mistakes();
            if ui
                .add_enabled(!mistakes.is_empty(), egui::Button::new(format!("Study my mistakes ({})", mistakes.len())))
                .clicked()
            {
                actions.push(Action::Study(StudyScope::Items(mistakes)));
            }
            if ui.button("New mock exam").clicked() {
                cmds.push(ExamCmd::Close);
            }
            if ui.button("Home").clicked() {
                actions.push(Action::Go(Screen::Home));
            }
        });
        ui.separator();
        ui.heading("Review");
        for (i, q) in report.per_question.iter().enumerate() {
            let Some(card) = card_of(core, &q.key) else { continue };
            let mark = if q.correct { "✔" } else if q.answered { "✖" } else { "—" };
            let title = format!(
                "{mark} {}. {}   ({}, {})",
                i + 1,
                card_view::plain(card.prompt.lines().next().unwrap_or_default()),
                q.domain,
                q.time_ms.map(fmt_ms).unwrap_or_default()
            );
            egui::CollapsingHeader::new(title).id_salt(("review", i)).show(ui, |ui| {
                let r = CardRef { library: &core.library, deck_id: &q.key.deck, card, ord: 0 };
                card_view::prompt(ui, md, r, false);
                if let Some(input) = s.inputs.get(i) {
                    card_view::feedback(ui, md, r, input);
                }
            });
        }
    });
}
