//! Hot reload: watches the deck folders and wakes the UI when a deck or image is saved.

use crate::deck::DeckSource;
use notify::{RecursiveMode, Watcher};
use std::sync::mpsc::{Receiver, channel};

/// A running watcher; dropping it stops watching.
pub struct DeckWatcher {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<()>,
}

impl DeckWatcher {
    /// Watches every folder source; `ctx` is asked to repaint on each relevant change, so the
    /// app can sleep (no polling) until something happens.
    pub fn start(sources: &[DeckSource], ctx: egui::Context) -> notify::Result<DeckWatcher> {
        let dirs: Vec<&std::path::Path> = sources
            .iter()
            .filter_map(|s| match s {
                DeckSource::Path(p) => Some(p.as_path()),
                _ => None,
            })
            .collect();
        DeckWatcher::start_filtered(&dirs, is_relevant, ctx)
    }

    /// Watches a sync folder's device files (`<sync>/examdeck/devices`), except the
    /// folder of this device (`own`), whose files this app writes itself.
    pub fn start_sync(
        devices: &std::path::Path,
        own: String,
        ctx: egui::Context,
    ) -> notify::Result<DeckWatcher> {
        std::fs::create_dir_all(devices)?;
        let filter = move |p: &std::path::Path| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            !p.components().any(|c| c.as_os_str() == own.as_str())
                && crate::sync::file::is_segment_name(&name)
        };
        DeckWatcher::start_filtered(&[devices], filter, ctx)
    }

    fn start_filtered(
        dirs: &[&std::path::Path],
        relevant: impl Fn(&std::path::Path) -> bool + Send + 'static,
        ctx: egui::Context,
    ) -> notify::Result<DeckWatcher> {
        let (tx, rx) = channel();
        let mut watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                if let Ok(ev) = res
                    && (ev.kind.is_modify() || ev.kind.is_create() || ev.kind.is_remove())
                    && ev.paths.iter().any(|p| relevant(p))
                {
                    let _ = tx.send(());
                    ctx.request_repaint();
                }
            })?;
        for p in dirs {
            // A saved folder that is gone (an unplugged drive) must not stop the others
            // from being watched; it is reported in Settings and loads again when it is back.
            if p.exists() {
                watcher.watch(p, RecursiveMode::Recursive)?;
            }
        }
        Ok(DeckWatcher {
            _watcher: watcher,
            rx,
        })
    }

    /// True if anything changed since the last call (all pending events are drained).
    pub fn take_changes(&self) -> bool {
        self.rx.try_iter().count() > 0
    }
}

fn is_relevant(p: &std::path::Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    !name.starts_with('.')
        && [".yaml", ".yml", ".svg", ".png", ".jpg", ".jpeg", ".gif"]
            .iter()
            .any(|e| name.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_a_saved_deck_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let w = DeckWatcher::start(
            &[DeckSource::Path(dir.path().to_path_buf())],
            egui::Context::default(),
        )
        .expect("watch");
        assert!(!w.take_changes());
        std::fs::write(dir.path().join("d.yaml"), "examdeck: 1\n").expect("write");
        // Events arrive asynchronously; wait up to 5 s for the first one.
        let mut seen = false;
        for _ in 0..100 {
            if w.take_changes() {
                seen = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(seen, "no change event for a saved deck");
        // One save is several events (create, modify, close): let the rest arrive, then drain.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let _ = w.take_changes();
        std::fs::write(dir.path().join("notes.txt"), "x").expect("write");
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!w.take_changes(), "unrelated files do not trigger a reload");
    }
}
