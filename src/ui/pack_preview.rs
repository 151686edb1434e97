//! The window shown before a deck pack is added: its manifest, and what is new, changed and
//! removed against the decks installed now. Nothing is written until the learner confirms.

use super::Action;
use crate::pack::{Manifest, PackDiff};

/// A pack waiting for confirmation.
#[derive(Debug, Clone)]
pub struct PackPreview {
    /// The pack file.
    pub path: std::path::PathBuf,
    /// Its manifest (already checked against its files).
    pub manifest: Manifest,
    /// Its decks against the installed ones.
    pub diff: PackDiff,
}

impl PackPreview {
    /// Draws the window; "Add these decks" and "Cancel" become actions.
    pub fn ui(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        egui::Window::new("Add a deck pack")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| self.body(ui, actions));
    }

    fn body(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let m = &self.manifest;
        ui.heading(&m.title);
        let mut facts = Vec::new();
        if let Some(v) = &m.version {
            facts.push(format!("version {v}"));
        }
        if !m.authors.is_empty() {
            facts.push(format!("by {}", m.authors.join(", ")));
        }
        if let Some(l) = &m.license {
            facts.push(format!("license {l}"));
        }
        facts.push(format!("made with examdeck {}", m.app_version));
        ui.label(egui::RichText::new(facts.join(" · ")).weak());
        ui.separator();
        egui::Grid::new("pack-decks")
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for d in &self.diff.decks {
                    ui.label(&d.title);
                    ui.label(change_text(d));
                    ui.end_row();
                }
            });
        for p in &self.diff.problems {
            ui.colored_label(ui.visuals().warn_fg_color, p.to_string());
        }
        if !self.diff.problems.is_empty() {
            ui.label("A deck with an error is left out; the others are added.");
        }
        ui.label(
            egui::RichText::new("Your progress is kept: cards are matched by their ids.").weak(),
        );
        ui.horizontal(|ui| {
            let can = !self.diff.decks.is_empty();
            if ui
                .add_enabled(can, egui::Button::new("Add these decks"))
                .clicked()
            {
                actions.push(Action::ImportPack(self.path.clone()));
            }
            if ui.button("Cancel").clicked() {
                actions.push(Action::CancelPack);
            }
        });
    }
}

/// "new: 12 cards" or "update: 2 added, 1 changed, 0 removed" or "no change".
pub fn change_text(d: &crate::pack::DeckChange) -> String {
    if d.new {
        format!(
            "new: {} card{}",
            d.added,
            if d.added == 1 { "" } else { "s" }
        )
    } else if d.added + d.changed + d.removed == 0 {
        "installed, no change".to_string()
    } else {
        format!(
            "update: {} added, {} changed, {} removed",
            d.added, d.changed, d.removed
        )
    }
}
