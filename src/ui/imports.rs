//! "Add decks…" from the window: deck files, folders and zips, deck packs (shown first) and
//! Anki packages or CSV files (their own window with a preview).

use super::{Action, ExamdeckApp, Screen, import_preview, pack_preview};

impl ExamdeckApp {
    pub(super) fn import(&mut self, path: &std::path::Path) -> anyhow::Result<()> {
        // Anki packages and CSV files get a preview and a confirm step in their own window.
        if crate::app::import_preview::handles(path) {
            self.import_flow = Some(crate::app::import_preview::ImportFlow::start(
                path.to_path_buf(),
                || {},
            ));
            return Ok(());
        }
        let Some(dir) = self.core.user_decks.clone() else {
            anyhow::bail!("no deck folder: the app runs without a data folder");
        };
        // A deck pack is shown first (manifest, new / changed / removed), added on "Add".
        if crate::pack::is_pack(path) {
            let pack = crate::pack::open_pack(path)?;
            let diff = pack.preview(&self.core.library)?;
            self.pack_preview = Some(pack_preview::PackPreview {
                path: path.to_path_buf(),
                manifest: pack.manifest,
                diff,
            });
            self.screen = Screen::Home;
            return Ok(());
        }
        let now = self.core.now();
        // The outcome (or the question whether to replace the learner's own files) goes to
        // the import banner, which stays until dismissed.
        if self.import.begin(path, &dir, &self.core.library, now) {
            self.after_import()?;
        }
        Ok(())
    }

    pub(super) fn after_import(&mut self) -> anyhow::Result<()> {
        if let Some(n) = &self.import.notice {
            self.home.import_problems = n.problems.clone();
        }
        self.reload()
    }

    pub(super) fn import_window(&mut self, ctx: &egui::Context) {
        let Some(flow) = &mut self.import_flow else {
            return;
        };
        flow.poll();
        if flow.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        let mut action = None;
        egui::Window::new("Import")
            .collapsible(false)
            .default_width(640.0)
            .show(ctx, |ui| action = import_preview::ui(flow, ui));
        match action {
            Some(import_preview::FlowAction::Confirm) => {
                let wake = ctx.clone();
                flow.confirm(&mut self.core, move || wake.request_repaint());
            }
            Some(import_preview::FlowAction::Close) => {
                let wrote = flow.wrote;
                self.import_flow = None;
                if wrote {
                    self.apply(Action::Reload);
                }
            }
            None => {}
        }
    }
}
