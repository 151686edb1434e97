//! Study: one card at a time, keyboard first.
//!
//! Keys: Space/Enter reveal or submit or continue · 1–4 grade (after revealing) · 1–9 or A–I
//! pick an option (before submitting) · ⏶/⏷ move the selected step of an ordering question ·
//! U or Ctrl+Z undo · S suspend · B bury · Esc back home.

use super::card_view::{self, CardRef};
use super::markdown::MarkdownView;
use super::{Action, Screen};
use crate::app::core::AppCore;
use crate::app::question::QuestionInput;
use crate::app::session::Session;
use crate::schedule::Rating;

/// What the learner did on this frame, collected while drawing and applied afterwards.
#[derive(Debug, Clone, Copy, PartialEq)]
enum StudyCmd {
    Reveal,
    Submit,
    Grade(Rating),
    Undo,
    Suspend,
    Bury,
    Pick(usize),
    MoveStep(i32),
}

/// The study screen's own state.
#[derive(Default)]
pub struct StudyScreen {
    /// The rating chosen for a submitted question (the learner may change Good to Hard/Easy).
    chosen: Option<Rating>,
}

impl StudyScreen {
    /// Draws the screen and applies what the learner did.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        core: &mut AppCore,
        session: &mut Option<Session>,
        md: &mut MarkdownView,
        actions: &mut Vec<Action>,
    ) {
        let Some(s) = session.as_mut() else {
            ui.label("No study session. Pick a deck on the home screen.");
            return;
        };
        let mut cmds = Vec::new();
        self.header(ui, core, s, &mut cmds);
        ui.separator();
        if s.current.is_none() {
            finished(ui, core, s, actions);
        } else {
            self.card(ui, core, s, md, &mut cmds);
            keys(ui, s, &mut cmds);
        }
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            actions.push(Action::Go(Screen::Home));
        }
        if !cmds.is_empty() {
            ui.ctx().request_repaint();
        }
        for cmd in cmds {
            if let Err(e) = self.apply(cmd, core, s) {
                core.status = Some(format!("Could not save: {e:#}"));
            }
        }
    }

    fn apply(&mut self, cmd: StudyCmd, core: &mut AppCore, s: &mut Session) -> anyhow::Result<()> {
        match cmd {
            StudyCmd::Reveal => s.reveal(),
            StudyCmd::Submit => {
                s.submit(core);
                self.chosen = s.default_rating();
            }
            StudyCmd::Grade(r) => {
                s.grade(core, r)?;
                self.chosen = None;
            }
            StudyCmd::Undo => {
                if !s.undo(core)? {
                    core.status = Some("Nothing to undo.".into());
                }
                self.chosen = None;
            }
            StudyCmd::Suspend => s.suspend(core)?,
            StudyCmd::Bury => s.bury(core)?,
            StudyCmd::Pick(p) => {
                if let Some(c) = &mut s.current {
                    c.input.pick_position(p);
                }
            }
            StudyCmd::MoveStep(d) => {
                if let Some(c) = &mut s.current {
                    c.input.move_cursor_step(d);
                }
            }
        }
        Ok(())
    }

    fn header(&self, ui: &mut egui::Ui, core: &AppCore, s: &Session, cmds: &mut Vec<StudyCmd>) {
        ui.horizontal(|ui| {
            let (n, l, r) = core.totals();
            let mins = (core.now() - s.started_at).num_seconds().max(0);
            ui.label(format!(
                "{} answered · {} left today · {}:{:02}",
                s.answered,
                n + l + r,
                mins / 60,
                mins % 60
            ));
            if s.answered > 0 && s.correct > 0 {
                ui.label(egui::RichText::new(format!("{} questions right", s.correct)).weak());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let has = s.current.is_some();
                if ui
                    .add_enabled(has, egui::Button::new("Bury"))
                    .on_hover_text("Hide until tomorrow (B)")
                    .clicked()
                {
                    cmds.push(StudyCmd::Bury);
                }
                if ui
                    .add_enabled(has, egui::Button::new("Suspend"))
                    .on_hover_text("Stop showing this card (S)")
                    .clicked()
                {
                    cmds.push(StudyCmd::Suspend);
                }
                if ui
                    .button("Undo")
                    .on_hover_text("Undo the last answer (U, Ctrl+Z)")
                    .clicked()
                {
                    cmds.push(StudyCmd::Undo);
                }
            });
        });
    }

    fn card(
        &mut self,
        ui: &mut egui::Ui,
        core: &AppCore,
        s: &mut Session,
        md: &mut MarkdownView,
        cmds: &mut Vec<StudyCmd>,
    ) {
        let Some(card) = s.card(core) else {
            ui.label("This card is no longer in its deck.");
            return;
        };
        let Some(c) = s.current.as_mut() else { return };
        let key = c.item.key.clone();
        let deck_title = core
            .library
            .deck(&key.deck)
            .map_or(key.deck.as_str(), |d| d.deck.title.as_str());
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(deck_title).weak());
            ui.label(egui::RichText::new(card.body.kind_name()).weak().italics());
            if c.item.edited {
                ui.label(
                    egui::RichText::new("edited since last review")
                        .color(ui.visuals().warn_fg_color)
                        .small(),
                )
                .on_hover_text("The deck's author changed this card after you last studied it.");
            }
        });
        let r = CardRef {
            library: &core.library,
            deck_id: &key.deck,
            card,
            ord: key.ord,
        };
        let is_question = card.body.is_question();
        let revealed = c.revealed;
        let bottom_h = 56.0;
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .max_height((ui.available_height() - bottom_h).max(120.0))
            .show(ui, |ui| {
                card_view::column(ui, |ui| {
                    card_view::prompt(ui, md, r, revealed);
                    ui.add_space(8.0);
                    if is_question {
                        card_view::options(ui, card, &mut c.input, revealed);
                        if revealed {
                            ui.add_space(8.0);
                            let right = c.correct == Some(true);
                            let (text, color) = if right {
                                ("Correct", egui::Color32::from_rgb(0x2e, 0xa0, 0x43))
                            } else {
                                ("Not quite", ui.visuals().error_fg_color)
                            };
                            ui.label(egui::RichText::new(text).size(20.0).strong().color(color));
                            card_view::feedback(ui, md, r, &c.input);
                        }
                    } else if revealed {
                        card_view::answer(ui, md, r);
                        card_view::explanation(ui, md, r);
                    }
                })
            });
        ui.separator();
        ui.horizontal(|ui| {
            if !revealed {
                let (label, cmd, ready) = if is_question {
                    ("Submit (Enter)", StudyCmd::Submit, c.input.is_complete())
                } else {
                    ("Show answer (Space)", StudyCmd::Reveal, true)
                };
                if ui
                    .add_enabled(
                        ready,
                        egui::Button::new(label).min_size(egui::vec2(200.0, 36.0)),
                    )
                    .clicked()
                {
                    cmds.push(cmd);
                }
                return;
            }
            let allowed: &[Rating] = match c.correct {
                Some(false) => &[Rating::Again],
                Some(true) => &[Rating::Hard, Rating::Good, Rating::Easy],
                None => &Rating::ALL,
            };
            for (i, rating) in Rating::ALL.iter().enumerate() {
                if !allowed.contains(rating) {
                    continue;
                }
                let name = ["Again", "Hard", "Good", "Easy"][i];
                let color = [
                    egui::Color32::from_rgb(0xdc, 0x4c, 0x4c),
                    super::theme::LEARNING,
                    super::theme::DUE,
                    super::theme::NEW,
                ][i];
                let label = egui::RichText::new(format!(
                    "{} {name} · {}",
                    i + 1,
                    c.item.previews[i].label()
                ))
                .color(color)
                .strong();
                let selected = self.chosen == Some(*rating);
                let button = egui::Button::new(label)
                    .selected(selected)
                    .min_size(egui::vec2(140.0, 38.0));
                if ui.add(button).clicked() {
                    cmds.push(StudyCmd::Grade(*rating));
                }
            }
            if c.correct.is_some() {
                ui.label(egui::RichText::new("Enter continues").weak());
            }
        });
    }
}

fn keys(ui: &egui::Ui, s: &Session, cmds: &mut Vec<StudyCmd>) {
    let Some(c) = &s.current else { return };
    let is_question = !matches!(c.input, QuestionInput::None);
    ui.input(|i| {
        let ctrl_z = i.modifiers.command && i.key_pressed(egui::Key::Z);
        if ctrl_z || (i.modifiers.is_none() && i.key_pressed(egui::Key::U)) {
            cmds.push(StudyCmd::Undo);
            return;
        }
        if i.modifiers.command || i.modifiers.alt {
            return;
        }
        if i.key_pressed(egui::Key::S) && !c.revealed {
            cmds.push(StudyCmd::Suspend);
        }
        if i.key_pressed(egui::Key::B) && !is_question {
            cmds.push(StudyCmd::Bury);
        }
        let confirm = i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Space);
        if !c.revealed {
            if confirm {
                cmds.push(if is_question {
                    StudyCmd::Submit
                } else {
                    StudyCmd::Reveal
                });
            }
            if is_question {
                if let Some(n) = card_view::picked_option(i) {
                    cmds.push(StudyCmd::Pick(n));
                }
                if i.key_pressed(egui::Key::ArrowUp) {
                    cmds.push(StudyCmd::MoveStep(-1));
                }
                if i.key_pressed(egui::Key::ArrowDown) {
                    cmds.push(StudyCmd::MoveStep(1));
                }
            }
            return;
        }
        let default = match c.correct {
            Some(true) => Some(Rating::Good),
            Some(false) => Some(Rating::Again),
            None => None,
        };
        if confirm && let Some(r) = default {
            cmds.push(StudyCmd::Grade(r));
        }
        for (n, key) in card_view::DIGIT_KEYS.iter().take(4).enumerate() {
            if i.key_pressed(*key)
                && let Some(r) = Rating::from_u8(n as u8 + 1)
            {
                // A wrong question can only be Again; the session enforces it too.
                cmds.push(StudyCmd::Grade(if c.correct == Some(false) {
                    Rating::Again
                } else {
                    r
                }));
            }
        }
    });
}

fn finished(ui: &mut egui::Ui, core: &AppCore, s: &Session, actions: &mut Vec<Action>) {
    ui.add_space(30.0);
    ui.vertical_centered(|ui| {
        ui.heading("Done for now");
        ui.label(format!(
            "You answered {} cards in this session.",
            s.answered
        ));
        let (n, l, r) = core.totals();
        if n + l + r > 0 {
            ui.label(format!(
                "Still waiting elsewhere today: {n} new, {l} learning, {r} to review."
            ));
        } else {
            ui.label("Nothing else is due today. Learning cards come back in a few minutes.");
        }
        if ui.button("Back to Home (Esc)").clicked() {
            actions.push(Action::Go(Screen::Home));
        }
    });
}
