//! The window's side of being a desktop program: answers of native file dialogs, watched
//! deck folders, writing and adding deck packs. Split from `mod.rs`, which only routes.

use super::{Action, ExamdeckApp, dialogs};
use crate::app::dialog::DialogOutcome;

impl ExamdeckApp {
    /// Turns the answer of a closed dialog into an action; "no dialog here" into one line.
    pub(super) fn poll_dialog(&mut self, actions: &mut Vec<Action>) {
        let Some((purpose, outcome)) = self.dialogs.poll() else {
            return;
        };
        match (purpose, outcome) {
            (purpose, DialogOutcome::Picked(path)) => actions.push(purpose.action(path)),
            (_, DialogOutcome::Cancelled) => {}
            // Sharing still works without a dialog: the pack goes to the data folder.
            (dialogs::DialogPurpose::SharePack(decks), DialogOutcome::Unavailable(_)) => {
                let name = crate::pack::default_file_name(&decks);
                let dir = self
                    .core
                    .data_dir
                    .clone()
                    .unwrap_or_else(std::env::temp_dir);
                actions.push(Action::WritePack {
                    decks,
                    path: dir.join("packs").join(name),
                });
            }
            (_, DialogOutcome::Unavailable(line)) => self.core.status = Some(line),
        }
    }

    pub(super) fn after_sources_changed(&mut self, status: String) {
        self.markdown.clear();
        self.browse.invalidate();
        self.stats.invalidate();
        self.core.status = Some(status);
    }

    pub(super) fn write_pack(
        &mut self,
        decks: &[String],
        path: &std::path::Path,
    ) -> anyhow::Result<()> {
        let manifest = crate::pack::write_pack(&self.core.library, decks, path)?;
        self.core.status = Some(format!(
            "Wrote the pack \"{}\" ({} deck{}) to {}.",
            manifest.title,
            manifest.decks.len(),
            if manifest.decks.len() == 1 { "" } else { "s" },
            path.display()
        ));
        Ok(())
    }

    pub(super) fn import_pack(&mut self, path: &std::path::Path) -> anyhow::Result<()> {
        let Some(dir) = self.core.user_decks.clone() else {
            anyhow::bail!("no deck folder: the app runs without a data folder");
        };
        let (manifest, summary) = crate::pack::import_pack(path, &dir, &self.core.library)?;
        self.home.import_problems = summary.problems.clone();
        self.reload()?;
        self.core.status = Some(format!("{}: {summary}", manifest.title));
        Ok(())
    }
}
