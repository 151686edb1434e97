//! Sitting a mock exam: the question, the navigator, the timer and the submit dialog.

use super::super::card_view::{self, CardRef};
use super::super::markdown::MarkdownView;
use super::{ExamCmd, fmt_ms};
use crate::app::core::AppCore;
use crate::app::mock::MockSession;
use crate::app::session::card_of;

pub(super) fn sitting_ui(
    ui: &mut egui::Ui,
    core: &AppCore,
    s: &mut MockSession,
    md: &mut MarkdownView,
    confirming: bool,
    cmds: &mut Vec<ExamCmd>,
) {
    let now = core.now();
    let n = s.attempt.len();
    let i = s.attempt.current;
    ui.horizontal(|ui| {
        ui.heading(format!("Question {} of {n}", i + 1));
        if let Some(left) = s.attempt.remaining(now) {
            let ms = left.as_millis() as u64;
            let text = egui::RichText::new(format!("Time left {}", fmt_ms(ms))).strong();
            ui.label(if ms < 5 * 60 * 1000 {
                text.color(ui.visuals().warn_fg_color)
            } else {
                text
            });
        } else {
            ui.label(format!("Time {}", fmt_ms(s.attempt.elapsed_ms_at(now))));
        }
        let answered = s.attempt.answers.iter().filter(|a| a.is_some()).count();
        ui.label(format!(
            "{answered} answered · {} flagged",
            s.attempt.flagged().len()
        ));
    });
    navigator(ui, s, cmds);
    ui.separator();
    if confirming {
        confirm_ui(ui, s, cmds);
        return;
    }
    let q = &s.attempt.paper.questions[i];
    let Some(card) = card_of(core, &q.key) else {
        ui.label("This question's card is no longer in its deck; it counts as unanswered.");
        return;
    };
    let revealed = s.attempt.revealed(i);
    let r = CardRef {
        library: &core.library,
        deck_id: &q.key.deck,
        card,
        ord: 0,
    };
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .max_height((ui.available_height() - 56.0).max(120.0))
        .show(ui, |ui| {
            card_view::column(ui, |ui| {
                card_view::prompt(ui, md, r, false);
                ui.add_space(8.0);
                if let Some(input) = s.inputs.get_mut(i) {
                    card_view::options(ui, card, input, revealed);
                    if revealed {
                        card_view::feedback(ui, md, r, input);
                    }
                }
            })
        });
    ui.separator();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(i > 0, egui::Button::new("⏴ Previous"))
            .clicked()
        {
            cmds.push(ExamCmd::Prev);
        }
        if ui
            .add_enabled(i + 1 < n, egui::Button::new("Next ⏵"))
            .clicked()
        {
            cmds.push(ExamCmd::Next);
        }
        let flagged = s.attempt.flagged.get(i).copied().unwrap_or(false);
        if ui
            .button(if flagged { "Unflag" } else { "Flag for review" })
            .clicked()
        {
            cmds.push(ExamCmd::Flag);
        }
        if ui.button("Submit exam…").clicked() {
            cmds.push(ExamCmd::AskSubmit);
        }
    });
    ui.input(|inp| {
        if inp.modifiers.command || inp.modifiers.alt {
            return;
        }
        if inp.key_pressed(egui::Key::ArrowRight) || inp.key_pressed(egui::Key::Enter) {
            cmds.push(ExamCmd::Next);
        }
        if inp.key_pressed(egui::Key::ArrowLeft) {
            cmds.push(ExamCmd::Prev);
        }
        if inp.key_pressed(egui::Key::ArrowUp) {
            cmds.push(ExamCmd::MoveStep(-1));
        }
        if inp.key_pressed(egui::Key::ArrowDown) {
            cmds.push(ExamCmd::MoveStep(1));
        }
        if !revealed && let Some(p) = card_view::picked_option(inp) {
            cmds.push(ExamCmd::Pick(p));
        }
    });
}

fn navigator(ui: &mut egui::Ui, s: &MockSession, cmds: &mut Vec<ExamCmd>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(3.0, 3.0);
        for (i, st) in s.attempt.navigator().iter().enumerate() {
            let mut text = egui::RichText::new(format!("{}", i + 1)).monospace();
            if st.flagged {
                text = text.color(ui.visuals().warn_fg_color).strong();
            }
            let fill = if st.answered {
                ui.visuals().selection.bg_fill.gamma_multiply(0.5)
            } else {
                ui.visuals().extreme_bg_color
            };
            let b = egui::Button::new(text)
                .fill(fill)
                .selected(st.current)
                .min_size(egui::vec2(30.0, 24.0));
            let tip = match (st.answered, st.flagged) {
                (true, true) => "answered, flagged",
                (true, false) => "answered",
                (false, true) => "unanswered, flagged",
                (false, false) => "unanswered",
            };
            if ui.add(b).on_hover_text(tip).clicked() {
                cmds.push(ExamCmd::Goto(i));
            }
        }
    });
}

fn confirm_ui(ui: &mut egui::Ui, s: &MockSession, cmds: &mut Vec<ExamCmd>) {
    ui.heading("Submit the exam?");
    let list = |v: Vec<usize>| {
        v.iter()
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unanswered = s.attempt.unanswered();
    let flagged = s.attempt.flagged();
    if unanswered.is_empty() {
        ui.label("Every question is answered.");
    } else {
        ui.label(format!(
            "{} unanswered (they count as wrong): {}",
            unanswered.len(),
            list(unanswered)
        ));
    }
    if !flagged.is_empty() {
        ui.label(format!(
            "{} flagged for review: {}",
            flagged.len(),
            list(flagged)
        ));
    }
    ui.horizontal(|ui| {
        if ui.button("Submit now").clicked() {
            cmds.push(ExamCmd::Submit);
        }
        if ui.button("Keep working").clicked() {
            cmds.push(ExamCmd::CancelSubmit);
        }
    });
}
