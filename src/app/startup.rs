//! Start-up off the window's thread: the window shows at once while a worker opens the
//! learner's progress and reads the deck library, reporting how many files are read so far.
//! The window polls [`Startup`] every frame and switches to the app when the core is ready.

use super::core::{AppCore, OpenOptions};
use crate::deck::library::LoadProgress;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// What the window shows while starting.
pub enum StartupState {
    /// Still reading: files read and found so far (`files_total` is 0 until the folders are
    /// listed).
    Loading(LoadProgress),
    /// The core is ready (returned once).
    Ready(Box<AppCore>),
    /// Opening failed: what happened and what to do.
    Failed(String),
}

/// A start-up running on a worker thread.
pub struct Startup {
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    rx: Receiver<anyhow::Result<AppCore>>,
    failed: Option<String>,
    /// Where the progress lives, for the failure message.
    data_dir: Option<std::path::PathBuf>,
}

/// Reports load progress from any thread (the loader reads files on every core).
pub type ProgressFn<'a> = &'a (dyn Fn(LoadProgress) + Sync);

impl Startup {
    /// Opens `data_dir` with the bundled decks, the user's decks, `extra_decks` and the sync
    /// folder's decks (`sync_dir`, else the saved one) on a worker thread; `wake` is called
    /// after each progress report and when done (to repaint).
    pub fn open(
        data_dir: std::path::PathBuf,
        extra_decks: Vec<std::path::PathBuf>,
        sync_dir: Option<std::path::PathBuf>,
        now: chrono::DateTime<chrono::Utc>,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Startup {
        let dir = data_dir.clone();
        let mut s = Startup::spawn(
            move |progress| {
                let opts = OpenOptions {
                    sync: true,
                    sync_dir,
                    progress: Some(progress),
                    defer_counts: true,
                };
                AppCore::open_with(dir, &extra_decks, now, &opts)
            },
            wake,
        );
        s.data_dir = Some(data_dir);
        s
    }

    /// Runs `job` on a worker thread with a progress reporter (tests pass their own job).
    pub fn spawn(
        job: impl FnOnce(ProgressFn<'_>) -> anyhow::Result<AppCore> + Send + 'static,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Startup {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = channel();
        let (d, t) = (done.clone(), total.clone());
        std::thread::spawn(move || {
            let report = |p: LoadProgress| {
                d.store(p.files_done, Ordering::Relaxed);
                t.store(p.files_total, Ordering::Relaxed);
                wake();
            };
            // A panic in the loader must not leave the window waiting forever.
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&report)))
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the loader stopped unexpectedly")));
            // The window may have been closed meanwhile: nobody to tell then.
            let _ = tx.send(out);
            wake();
        });
        Startup {
            done,
            total,
            rx,
            failed: None,
            data_dir: None,
        }
    }

    /// The state now; `Ready` is returned once, with the core.
    pub fn poll(&mut self) -> StartupState {
        if let Some(e) = &self.failed {
            return StartupState::Failed(e.clone());
        }
        match self.rx.try_recv() {
            Ok(Ok(core)) => StartupState::Ready(Box::new(core)),
            Ok(Err(e)) => self.fail(format!("{e:#}")),
            Err(TryRecvError::Empty) => StartupState::Loading(LoadProgress {
                files_done: self.done.load(Ordering::Relaxed),
                files_total: self.total.load(Ordering::Relaxed),
            }),
            Err(TryRecvError::Disconnected) => self.fail("the loader stopped unexpectedly".into()),
        }
    }

    fn fail(&mut self, detail: String) -> StartupState {
        let place = self
            .data_dir
            .as_ref()
            .map(|d| format!(" in {}", d.display()))
            .unwrap_or_default();
        let text = format!(
            "examdeck could not open your progress{place}:\n\n{detail}\n\n\
             If the database is damaged, close this window and run `examdeck recover`; if it \
             is busy, another examdeck is probably open: close it and start again."
        );
        self.failed = Some(text.clone());
        StartupState::Failed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::DeckSource;

    fn wait(s: &mut Startup) -> StartupState {
        for _ in 0..500 {
            match s.poll() {
                StartupState::Loading(_) => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                other => return other,
            }
        }
        panic!("start-up did not finish");
    }

    #[test]
    fn reports_progress_then_the_core() {
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let mut s = Startup::spawn(
            move |progress| {
                progress(LoadProgress {
                    files_done: 23,
                    files_total: 50,
                });
                go_rx.recv().ok();
                AppCore::in_memory(vec![DeckSource::Bundled], chrono::Utc::now())
            },
            || {},
        );
        let mut seen = None;
        for _ in 0..500 {
            if let StartupState::Loading(p) = s.poll()
                && p.files_total == 50
            {
                seen = Some(p);
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let p = seen.expect("progress reported while loading");
        assert_eq!((p.files_done, p.files_total), (23, 50));
        go_tx.send(()).expect("worker waiting");
        match wait(&mut s) {
            StartupState::Ready(core) => assert!(!core.library.decks.is_empty()),
            _ => panic!("expected the core"),
        }
    }

    #[test]
    fn a_failure_says_what_to_do_and_stays() {
        let mut s = Startup::spawn(|_| Err(anyhow::anyhow!("database is locked")), || {});
        let StartupState::Failed(text) = wait(&mut s) else {
            panic!("expected a failure");
        };
        assert!(text.contains("database is locked"), "{text}");
        assert!(text.contains("examdeck recover"), "{text}");
        assert!(matches!(s.poll(), StartupState::Failed(_)), "stays failed");
    }

    #[test]
    fn a_panicking_loader_is_a_failure() {
        let mut s = Startup::spawn(|_| panic!("boom"), || {});
        assert!(matches!(wait(&mut s), StartupState::Failed(_)));
    }
}
