//! The "Sync" section of Settings: the sync folder (typed path), this device's name, "Sync
//! now" (F6) and the last outcome.

use super::Action;
use crate::app::core::AppCore;

/// Fields as typed, loaded from the core on first draw.
#[derive(Debug, Default)]
pub struct SyncSection {
    loaded: bool,
    /// The sync folder the typed field was last filled from (a dialog may change it).
    shown: Option<std::path::PathBuf>,
    folder: String,
    name: String,
    message: Option<String>,
}

impl SyncSection {
    /// Draws the section; folder changes and "Sync now" become actions.
    pub fn ui(&mut self, ui: &mut egui::Ui, core: &mut AppCore, actions: &mut Vec<Action>) {
        if !self.loaded || self.shown != core.sync.folder {
            self.shown = core.sync.folder.clone();
            self.folder = core
                .sync
                .folder
                .as_ref()
                .map(|f| f.display().to_string())
                .unwrap_or_default();
        }
        if !self.loaded {
            self.loaded = true;
            self.name = core.learner.device().map(|d| d.name).unwrap_or_default();
        }
        ui.label(egui::RichText::new("Sync").strong());
        ui.label(
            egui::RichText::new(
                "Progress merges through a folder your computers already share (Syncthing, \
                 Dropbox, OneDrive, a git repository). One folder per learner: a study group \
                 shares decks (its decks/ folder), not progress.",
            )
            .weak(),
        );
        egui::Grid::new("sync")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                let l = ui.label("Sync folder");
                ui.add(
                    egui::TextEdit::singleline(&mut self.folder)
                        .hint_text("/home/me/Sync/examdeck")
                        .desired_width(360.0),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("This device's name");
                ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(200.0))
                    .labelled_by(l.id);
                ui.end_row();
            });
        ui.horizontal(|ui| {
            if ui
                .button("Choose…")
                .on_hover_text("Pick the folder with the system's folder dialog")
                .clicked()
            {
                actions.push(Action::OpenDialog(
                    super::dialogs::DialogPurpose::SyncFolder,
                ));
            }
            if ui.button("Use this folder").clicked() {
                let f = self.folder.trim();
                actions.push(Action::SetSyncFolder(
                    (!f.is_empty()).then(|| std::path::PathBuf::from(f)),
                ));
                self.message = None;
            }
            if ui.button("Rename device").clicked() {
                self.message = Some(match core.learner.set_device_name(&self.name) {
                    Ok(d) => format!("This device is now called {}.", d.name),
                    Err(e) => format!("Not renamed: {e:#}"),
                });
            }
            let can_sync = core.sync.folder.is_some() && core.sync.job.is_none();
            if ui
                .add_enabled(can_sync, egui::Button::new("Sync now (F6)"))
                .clicked()
            {
                actions.push(Action::Sync);
            }
        });
        if let Some(m) = &self.message {
            ui.label(m);
        }
        match core.sync.line(core.now()) {
            Some(line) => ui.label(line),
            None => ui.label(egui::RichText::new("Sync is off.").weak()),
        };
        if let Some((_, o)) = &core.sync.last {
            for p in &o.peers {
                ui.label(egui::RichText::new(format!("Device: {}", p.name)).weak());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn typed_folder_becomes_an_action_and_the_status_line_is_shown() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 29, 10, 0, 0)
            .single()
            .expect("time");
        let mut core = AppCore::in_memory(vec![], now).expect("core");
        core.sync.folder = Some("/tmp/shared".into());
        core.sync.last = Some((
            now - chrono::Duration::minutes(2),
            crate::sync::SyncOutcome {
                peers: vec![
                    crate::sync::PeerInfo {
                        id: "a".into(),
                        name: "laptop".into(),
                    },
                    crate::sync::PeerInfo {
                        id: "b".into(),
                        name: "desktop".into(),
                    },
                ],
                ..Default::default()
            },
        ));
        let state = (SyncSection::default(), core, Vec::<Action>::new());
        let mut h = Harness::builder()
            .with_size(egui::vec2(1024.0, 600.0))
            .build_ui_state(
                |ui, (section, core, actions): &mut (SyncSection, AppCore, Vec<Action>)| {
                    section.ui(ui, core, actions)
                },
                state,
            );
        h.run();
        h.get_by_label("Synced 2 min ago · 3 devices");
        h.get_by_label("Device: laptop");
        let field = h.get_by_label("Sync folder");
        field.focus();
        field.type_text("2");
        h.run();
        h.get_by_label("Use this folder").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![Action::SetSyncFolder(Some("/tmp/shared2".into()))]
        );
        h.get_by_label("Sync now (F6)").click();
        h.run();
        assert_eq!(h.state().2.last(), Some(&Action::Sync));

        // "Choose…" asks for the system's folder dialog, whose answer sets the folder, and the
        // field then shows the folder the dialog chose.
        h.get_by_label("Choose…").click();
        h.run();
        let Some(Action::OpenDialog(purpose)) = h.state().2.last().cloned() else {
            panic!("Choose… did not open a dialog: {:?}", h.state().2);
        };
        assert_eq!(
            purpose.action("/mnt/usb/sync".into()),
            Action::SetSyncFolder(Some("/mnt/usb/sync".into()))
        );
        h.state_mut().1.sync.folder = Some("/mnt/usb/sync".into());
        h.run();
        h.run();
        assert!(
            h.query_by_label("Choose…").is_some(),
            "section still drawn after the folder changed"
        );
        assert_eq!(h.state().0.folder, "/mnt/usb/sync");
    }
}
