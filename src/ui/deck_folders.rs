//! Settings' "Folders" part: where progress lives, the user's deck folder, the watched deck
//! folders (add with a dialog or a typed path, remove), and every loaded deck with "Share…"
//! to hand it to a study group as a deck pack. Also the Problems panel's folder summary.

use super::Action;
use super::dialogs::DialogPurpose;
use super::path_field::PathField;
use crate::app::core::AppCore;
use crate::deck::DeckSource;

/// State of the folders part of Settings.
#[derive(Debug, Default)]
pub struct DeckFoldersView {
    /// A folder typed by path.
    pub field: PathField,
}

impl DeckFoldersView {
    /// Draws the folders and the deck list.
    pub fn ui(&mut self, ui: &mut egui::Ui, core: &AppCore, actions: &mut Vec<Action>) {
        ui.label(egui::RichText::new("Folders").strong());
        if let Some(d) = &core.data_dir {
            ui.label(format!("Progress database and backups: {}", d.display()));
        } else {
            ui.label("Progress is kept in memory only (test mode).");
        }
        if let Some(d) = &core.user_decks {
            ui.label(format!(
                "Your decks (watched, reloaded on save): {}",
                d.display()
            ));
        }
        for s in &core.base_sources {
            if let DeckSource::Path(p) = s
                && Some(p) != core.user_decks.as_ref()
            {
                ui.label(format!("Deck folder (from --decks): {}", p.display()));
            }
        }
        ui.add_space(4.0);
        ui.label(egui::RichText::new("Watched deck folders").strong());
        ui.label(
            egui::RichText::new(
                "A study group's git checkout or shared-drive folder: its decks load with yours \
                 and reload when a file in it is saved. Removing a folder keeps your progress.",
            )
            .weak(),
        );
        for folder in core.deck_folders() {
            ui.horizontal(|ui| {
                let missing = !folder.is_dir();
                ui.label(folder.display().to_string());
                if missing {
                    ui.colored_label(ui.visuals().warn_fg_color, "(not found)");
                }
                if ui
                    .button("Remove")
                    .on_hover_text(format!("Stop loading decks from {}", folder.display()))
                    .clicked()
                {
                    actions.push(Action::RemoveDeckFolder(folder.clone()));
                }
            });
        }
        ui.horizontal(|ui| {
            if ui.button("Add folder…").clicked() {
                actions.push(Action::OpenDialog(DialogPurpose::WatchFolder));
            }
            ui.label(egui::RichText::new("or type its path:").weak());
        });
        if let Some(p) = self.field.ui(ui, "/path/to/study-group/decks", "Watch") {
            actions.push(Action::AddDeckFolder(p));
            self.field.text.clear();
        }
        ui.separator();
        deck_list(ui, core, actions);
    }
}

/// Every loaded deck with "Share…", which writes a deck pack.
fn deck_list(ui: &mut egui::Ui, core: &AppCore, actions: &mut Vec<Action>) {
    ui.label(egui::RichText::new("Decks").strong());
    ui.label(
        egui::RichText::new(
            "Share… writes one zip with the deck, its images and its exam blueprint, for anyone \
             to add with \"Add decks…\".",
        )
        .weak(),
    );
    egui::Grid::new("settings-decks")
        .num_columns(3)
        .spacing([16.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for d in &core.library.decks {
                ui.label(&d.deck.title);
                ui.label(egui::RichText::new(format!("{} cards", d.deck.cards.len())).weak());
                if ui
                    .button("Share…")
                    .on_hover_text(format!("Write a deck pack of {}", d.deck.title))
                    .clicked()
                {
                    actions.push(Action::OpenDialog(DialogPurpose::SharePack(vec![
                        d.deck.id.clone(),
                    ])));
                }
                ui.end_row();
            }
        });
}

/// One line per watched or `--decks` folder with problems, so a study group's folder is
/// named above the list of its files' problems.
pub fn problem_folders(ui: &mut egui::Ui, core: &AppCore) {
    let folders: Vec<std::path::PathBuf> = core
        .sources
        .iter()
        .filter_map(|s| match s {
            DeckSource::Path(p) if Some(p) != core.user_decks.as_ref() => Some(p.clone()),
            _ => None,
        })
        .collect();
    let mut counts: std::collections::BTreeMap<&std::path::Path, usize> = Default::default();
    for d in &core.library.diagnostics {
        if let Some(f) = crate::app::folders::folder_of(d, &folders) {
            *counts.entry(f).or_default() += 1;
        }
    }
    for (folder, n) in counts {
        let saved = core.deck_folders().iter().any(|p| p == folder);
        ui.label(format!(
            "{n} problem{} in {} {}",
            if n == 1 { "" } else { "s" },
            if saved {
                "watched deck folder"
            } else {
                "deck folder"
            },
            folder.display()
        ));
    }
}
