//! The deck problems panel: every diagnostic of every deck file, never a crash.

use crate::deck::{Diagnostic, Severity};

/// Lists problems; filter by severity.
pub struct ProblemsScreen {
    /// Show warnings too (errors are always shown).
    pub show_warnings: bool,
    /// Indices of the errors, for "errors only", kept while the list is the same one.
    errors_only: Option<(usize, usize, Vec<usize>)>,
}

impl Default for ProblemsScreen {
    fn default() -> Self {
        Self {
            show_warnings: true,
            errors_only: None,
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
        let rows: &[usize] = if self.show_warnings {
            &[]
        } else {
            let key = (diagnostics.as_ptr() as usize, diagnostics.len());
            if self
                .errors_only
                .as_ref()
                .is_none_or(|(p, n, _)| (*p, *n) != key)
            {
                let idx = (0..diagnostics.len())
                    .filter(|&i| diagnostics[i].is_error())
                    .collect();
                self.errors_only = Some((key.0, key.1, idx));
            }
            self.errors_only
                .as_ref()
                .map_or(&[], |(_, _, v)| v.as_slice())
        };
        let count = if self.show_warnings {
            diagnostics.len()
        } else {
            rows.len()
        };
        // Rows of one height, and only the visible ones are laid out: a library with
        // hundreds of thousands of problems scrolls as fast as one with ten.
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let gap = ui.spacing().item_spacing.y;
        let row_height = 3.0 * line + 2.0 * gap + 6.0;
        egui::ScrollArea::vertical().auto_shrink(false).show_rows(
            ui,
            row_height,
            count,
            |ui, range| {
                for i in range {
                    let d = if self.show_warnings {
                        diagnostics.get(i)
                    } else {
                        rows.get(i).and_then(|&j| diagnostics.get(j))
                    };
                    if let Some(d) = d {
                        problem_row(ui, d, row_height);
                    }
                }
            },
        );
    }
}

/// One problem in exactly `height` points: location, message and fix on one line each
/// (shortened with "…"; the full text shows on hover).
fn problem_row(ui: &mut egui::Ui, d: &Diagnostic, height: f32) {
    let (tag, color) = match d.severity {
        Severity::Error => ("error", ui.visuals().error_fg_color),
        Severity::Warning => ("warning", ui.visuals().warn_fg_color),
    };
    let size = egui::vec2(ui.available_width(), height);
    ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
        ui.set_min_size(size);
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(tag).color(color).strong());
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!("{}:{}:{}", d.path, d.line, d.column)).monospace(),
                )
                .truncate(),
            );
        });
        ui.add(egui::Label::new(d.message.as_str()).truncate());
        if !d.hint.is_empty() {
            ui.add(
                egui::Label::new(egui::RichText::new(format!("Fix: {}", d.hint)).weak()).truncate(),
            );
        }
    });
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

    #[test]
    fn a_flood_of_problems_lays_out_only_the_visible_rows() {
        let diags: Vec<Diagnostic> = (0..100_000u32)
            .map(|i| {
                Diagnostic::error(
                    "decks/flood.yaml",
                    Loc {
                        line: i + 1,
                        column: 1,
                    },
                    format!("unknown field `f{i}` in deck"),
                    "remove it",
                )
            })
            .collect();
        let mut screen = ProblemsScreen::default();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(800.0, 600.0))
            .build_ui(move |ui| screen.ui(ui, &diags));
        harness.run();
        harness.get_by_label("unknown field `f0` in deck");
        // Rows far below the window are never laid out (the old panel drew all 100,000).
        assert!(
            harness
                .query_by_label("unknown field `f99999` in deck")
                .is_none()
        );
        assert!(
            harness
                .query_by_label("unknown field `f500` in deck")
                .is_none()
        );
    }
}
