//! Work the window keeps going in the background: the sync with the shared folder, the
//! watchers of deck folders (hot reload) and of the sync folder's device files.

use super::{Action, ExamdeckApp};
use crate::app::watch::DeckWatcher;

impl ExamdeckApp {
    /// Starts a background sync (repainting when it ends).
    pub fn sync_now(&mut self) {
        let ctx = self.ctx.clone();
        self.core.start_sync(move || {
            if let Some(c) = &ctx {
                c.request_repaint();
            }
        });
    }

    pub(super) fn set_sync_folder(
        &mut self,
        folder: Option<std::path::PathBuf>,
    ) -> anyhow::Result<()> {
        self.core.set_sync_folder(folder)?;
        self.watch_sync_folder();
        self.sync_now();
        Ok(())
    }

    /// (Re)starts the watchers of the deck folders and the sync folder.
    pub fn watch_sync_folder(&mut self) {
        let Some(ctx) = self.ctx.clone() else {
            return;
        };
        self.watcher = DeckWatcher::start(&self.core.sources, ctx.clone()).ok();
        self.sync_watcher = match (&self.core.sync.folder, self.core.learner.device()) {
            (Some(f), Ok(me)) => {
                DeckWatcher::start_sync(&crate::sync::devices_dir(f), me.id, ctx).ok()
            }
            _ => None,
        };
    }

    pub(super) fn poll_sync(&mut self, ctx: &egui::Context) {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        if self
            .sync_watcher
            .as_ref()
            .is_some_and(DeckWatcher::take_changes)
        {
            self.sync_now();
        }
        if self.core.poll_sync() {
            self.browse.invalidate();
            self.stats.invalidate();
            if std::mem::take(&mut self.core.sync.again) {
                self.sync_now();
            }
            ctx.request_repaint();
        }
    }

    pub(super) fn poll_watcher(&mut self, ctx: &egui::Context) {
        let changed = self.watcher.as_ref().is_some_and(DeckWatcher::take_changes);
        if changed {
            self.apply(Action::Reload);
            ctx.request_repaint();
        }
    }
}
