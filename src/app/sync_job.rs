//! Sync off the UI thread: a worker opens its own connection to the learner database,
//! exchanges with the sync folder and reports back; the window polls, then reloads the
//! learner (a merge may have changed states and settings) and shows the status line
//! ("Synced 2 min ago · 3 devices", or what went wrong).

use super::core::AppCore;
use crate::learner::Learner;
use crate::sync::SyncOutcome;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

/// A sync running on a worker thread.
pub struct SyncJob {
    rx: Receiver<Result<SyncOutcome, String>>,
}

impl SyncJob {
    /// Starts one sync of the learner in `data_dir` with `sync_dir`; `wake` is called when
    /// it ends (to repaint).
    pub fn start(
        data_dir: PathBuf,
        sync_dir: PathBuf,
        now: DateTime<Utc>,
        wake: impl Fn() + Send + 'static,
    ) -> SyncJob {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let result = run(&data_dir, &sync_dir, now).map_err(|e| format!("{e:#}"));
            let _ = tx.send(result);
            wake();
        });
        SyncJob { rx }
    }

    /// The outcome, once the worker is done.
    pub fn poll(&self) -> Option<Result<SyncOutcome, String>> {
        self.rx.try_recv().ok()
    }
}

fn run(data_dir: &Path, sync_dir: &Path, now: DateTime<Utc>) -> anyhow::Result<SyncOutcome> {
    let mut learner = Learner::open(data_dir, now)?;
    let outcome = crate::sync::sync(&mut learner, sync_dir, now)?;
    learner.wait_for_backup()?;
    Ok(outcome)
}

/// Where sync stands, for the status bar and the Settings section.
#[derive(Default)]
pub struct SyncStatus {
    /// The sync folder (None: sync is off).
    pub folder: Option<PathBuf>,
    /// The sync running now.
    pub job: Option<SyncJob>,
    /// The last finished sync: when, and what it did.
    pub last: Option<(DateTime<Utc>, SyncOutcome)>,
    /// Why the last sync failed.
    pub error: Option<String>,
    /// A sync was asked for while one was running: run again when it ends.
    pub again: bool,
}

impl SyncStatus {
    /// The status line: "Syncing…", "Synced 2 min ago · 3 devices", a skipped file, or the
    /// error; None when sync is off.
    pub fn line(&self, now: DateTime<Utc>) -> Option<String> {
        self.folder.as_ref()?;
        if self.job.is_some() {
            return Some("Syncing…".into());
        }
        if let Some(e) = &self.error {
            return Some(format!("Sync failed: {e}"));
        }
        let (at, o) = self.last.as_ref()?;
        if let Some(p) = o.problems.first() {
            return Some(format!("{} — skipped", p.message));
        }
        let mins = (now - *at).num_minutes().max(0);
        let ago = match mins {
            0 => "just now".to_string(),
            1..=59 => format!("{mins} min ago"),
            _ => format!("{} h ago", mins / 60),
        };
        let n = o.peers.len() + 1;
        Some(format!(
            "Synced {ago} · {n} device{}",
            if n == 1 { "" } else { "s" }
        ))
    }
}

impl AppCore {
    /// Starts a sync in the background (or asks for another when one is running). Does
    /// nothing without a sync folder or a data folder.
    pub fn start_sync(&mut self, wake: impl Fn() + Send + 'static) {
        let (Some(folder), Some(data)) = (self.sync.folder.clone(), self.data_dir.clone()) else {
            return;
        };
        if self.sync.job.is_some() {
            self.sync.again = true;
            return;
        }
        self.sync.job = Some(SyncJob::start(data, folder, self.now(), wake));
    }

    /// Takes a finished sync's outcome; when something came in, reopens the learner and
    /// refreshes the counts. Returns true when a sync finished.
    pub fn poll_sync(&mut self) -> bool {
        let Some(result) = self.sync.job.as_ref().and_then(SyncJob::poll) else {
            return false;
        };
        self.sync.job = None;
        let now = self.now();
        match result {
            Ok(o) => {
                self.sync.error = None;
                if o.files_merged > 0
                    && let Err(e) = self.reopen_learner(now)
                {
                    self.sync.error = Some(format!("{e:#}"));
                }
                self.sync.last = Some((now, o));
            }
            Err(e) => self.sync.error = Some(e),
        }
        true
    }

    fn reopen_learner(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let Some(dir) = self.data_dir.clone() else {
            return Ok(());
        };
        self.learner = Learner::open(&dir, now)?;
        self.learner.sync_library(&self.library, now)?;
        self.refresh_counts(now)?;
        self.forecasts_stale = true;
        Ok(())
    }

    /// Sets (and remembers) the sync folder, or turns sync off with None; its `decks/`
    /// folder becomes a deck source.
    pub fn set_sync_folder(&mut self, folder: Option<PathBuf>) -> anyhow::Result<()> {
        if let Some(f) = &folder {
            std::fs::create_dir_all(f).map_err(|e| {
                anyhow::anyhow!("cannot use {} as the sync folder: {e}", f.display())
            })?;
        }
        self.learner.set_sync_folder(folder.as_deref())?;
        self.use_sync_folder(folder);
        let now = self.now();
        self.reload(now)
    }

    /// Uses `folder` for this run (not remembered: `--sync-dir`), adding its `decks/`.
    pub fn use_sync_folder(&mut self, folder: Option<PathBuf>) {
        if let Some(old) = &self.sync.folder {
            let old = crate::deck::DeckSource::Path(crate::sync::decks_dir(old));
            self.sources.retain(|s| s != &old);
        }
        if let Some(f) = &folder {
            let decks = crate::sync::decks_dir(f);
            if decks.is_dir() {
                self.sources.push(crate::deck::DeckSource::Path(decks));
            }
        }
        self.sync.folder = folder;
        self.sync.last = None;
        self.sync.error = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line_says_when_and_how_many_devices_or_what_went_wrong() {
        let now = Utc::now();
        let mut s = SyncStatus::default();
        assert_eq!(s.line(now), None, "sync off");
        s.folder = Some("/x".into());
        let o = SyncOutcome {
            peers: vec![
                crate::sync::PeerInfo {
                    id: "a".into(),
                    name: "laptop".into(),
                },
                crate::sync::PeerInfo {
                    id: "b".into(),
                    name: "work".into(),
                },
            ],
            ..SyncOutcome::default()
        };
        s.last = Some((now - chrono::Duration::minutes(2), o.clone()));
        assert_eq!(s.line(now).as_deref(), Some("Synced 2 min ago · 3 devices"));
        let mut bad = o;
        bad.problems.push(crate::sync::Problem {
            device: "laptop-3".into(),
            file: "f".into(),
            message: "device laptop-3's file f is incomplete or damaged (checksum mismatch)".into(),
            retried: true,
        });
        s.last = Some((now, bad));
        assert!(
            s.line(now)
                .is_some_and(|l| l.contains("laptop-3") && l.ends_with("skipped"))
        );
        s.error = Some("disk full".into());
        assert_eq!(s.line(now).as_deref(), Some("Sync failed: disk full"));
    }
}
