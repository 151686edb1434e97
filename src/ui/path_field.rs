//! A typed path with completion of folder names: what stays when no file dialog can be
//! shown (and for those who prefer typing).

use crate::app::dialog::complete_folder;
use std::path::PathBuf;

/// How many folder names are offered at once.
const SUGGESTIONS: usize = 6;

/// The text of a path field and its folder-name completions.
#[derive(Debug, Default)]
pub struct PathField {
    /// The path as typed.
    pub text: String,
    /// The text the completions were computed for (the disk is read only when it changes).
    completed_for: Option<String>,
    /// Sub-folders matching the typed text.
    suggestions: Vec<String>,
}

impl PathField {
    /// Draws the field, its button and the completions; returns the path when the button is
    /// clicked or Enter is pressed in the field.
    pub fn ui(&mut self, ui: &mut egui::Ui, hint: &str, button: &str) -> Option<PathBuf> {
        let mut submitted = None;
        ui.horizontal(|ui| {
            let edit = ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .hint_text(hint)
                    .desired_width(360.0),
            );
            let go = ui.button(button).clicked()
                || (edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
            let text = self.text.trim();
            if go && !text.is_empty() {
                submitted = Some(PathBuf::from(text));
            }
        });
        if self.completed_for.as_deref() != Some(self.text.as_str()) {
            self.suggestions = if self.text.trim().is_empty() {
                Vec::new()
            } else {
                complete_folder(self.text.trim(), SUGGESTIONS)
            };
            self.completed_for = Some(self.text.clone());
        }
        if !self.suggestions.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new("Folders:").weak());
                let mut chosen = None;
                for s in &self.suggestions {
                    let name = std::path::Path::new(s)
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_else(|| s.clone());
                    if ui
                        .small_button(format!("{name}{}", std::path::MAIN_SEPARATOR))
                        .on_hover_text(s)
                        .clicked()
                    {
                        chosen = Some(s.clone());
                    }
                }
                if let Some(s) = chosen {
                    self.text = s;
                }
            });
        }
        submitted
    }
}
