//! The deck problems panel: every diagnostic of every deck file, never a crash.

use crate::deck::{Diagnostic, Severity};

/// Lists problems; filter by severity.
pub struct ProblemsScreen {
    /// Show warnings too (errors are always shown).
    pub show_warnings: bool,
}

impl Default for ProblemsScreen {
    fn default() -> Self {
        Self {
            show_warnings: true,
        }
    }
}

impl ProblemsScreen {
    /// Draws the list.
    pub fn ui(&mut self, ui: &mut egui::Ui, diagnostics: &[Diagnostic]) {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        ui.heading("Deck problems");
        ui.horizontal(|ui| {
            ui.label(format!(
                "{errors} error{}, {warnings} warning{}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            ));
            ui.checkbox(&mut self.show_warnings, "Show warnings");
        });
        ui.label(
            egui::RichText::new(
                "A card with an error is left out; the rest of its deck still loads. \
                 Fix the file and save it: the deck reloads by itself.",
            )
            .weak(),
        );
        ui.separator();
        if diagnostics.is_empty() {
            ui.label("No problems: every deck loaded cleanly.");
            return;
        }
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                for d in diagnostics
                    .iter()
                    .filter(|d| self.show_warnings || d.is_error())
                {
                    problem_row(ui, d);
                }
            });
    }
}

fn problem_row(ui: &mut egui::Ui, d: &Diagnostic) {
    let (tag, color) = match d.severity {
        Severity::Error => ("error", ui.visuals().error_fg_color),
        Severity::Warning => ("warning", ui.visuals().warn_fg_color),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(tag).color(color).strong());
        ui.label(egui::RichText::new(format!("{}:{}:{}", d.path, d.line, d.column)).monospace());
    });
    ui.label(&d.message);
    if !d.hint.is_empty() {
        ui.label(egui::RichText::new(format!("Fix: {}", d.hint)).weak());
    }
    ui.add_space(6.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::yaml::Loc;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn lists_a_broken_deck_with_its_location() {
        let diags = vec![Diagnostic::error(
            "decks/kms.yaml",
            Loc {
                line: 12,
                column: 5,
            },
            "unknown field `promt` in card",
            "did you mean `prompt`?",
        )];
        let mut screen = ProblemsScreen::default();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(800.0, 600.0))
            .build_ui(move |ui| screen.ui(ui, &diags));
        harness.run();
        harness.get_by_label("decks/kms.yaml:12:5");
        harness.get_by_label("unknown field `promt` in card");
        harness.get_by_label("1 error, 0 warnings");
    }
}
