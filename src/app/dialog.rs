//! Native file and folder dialogs (the `rfd` crate: the XDG desktop portal on Linux, the
//! system dialogs on Windows and macOS), always run on a worker thread so the window never
//! freezes: a request goes out, the answer comes back on a channel and is polled each frame.
//! Where no dialog can be shown (no portal running), the answer says so; the typed path and
//! drag-and-drop stay in any case. [`complete_folder`] completes typed folder names.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What to ask the learner for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogRequest {
    /// An existing file, optionally limited to some extensions (`("Deck packs", ["zip"])`).
    OpenFile {
        /// Window title.
        title: String,
        /// Filters: a name and the extensions it allows (without dots).
        filters: Vec<(String, Vec<String>)>,
    },
    /// An existing folder.
    OpenFolder {
        /// Window title.
        title: String,
    },
    /// A file to write, with a suggested name.
    SaveFile {
        /// Window title.
        title: String,
        /// Suggested file name.
        file_name: String,
    },
}

/// How a dialog ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome {
    /// The learner chose this path.
    Picked(PathBuf),
    /// The learner closed the dialog without choosing.
    Cancelled,
    /// No dialog could be shown; the sentence says what to do instead.
    Unavailable(String),
}

/// Who shows dialogs: the system, or a stand-in (tests, machines without a portal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogBackend {
    /// The platform's dialogs through `rfd`.
    Native,
    /// No dialog can be shown (as on a Linux machine without a desktop portal).
    Unavailable,
    /// Answers every request with this path at once (tests).
    Fixed(PathBuf),
}

/// The one line shown when no dialog can be shown.
pub const UNAVAILABLE: &str = "No file dialog is available on this desktop (no XDG desktop portal \
     running): type the path instead, or drop the file or folder on the window.";

/// A dialog running on a worker thread, tagged with what its answer is for.
pub struct PendingDialog<T> {
    tag: T,
    rx: Receiver<DialogOutcome>,
}

/// At most one dialog at a time, like a modal dialog; `T` says what the answer is for.
pub struct Dialogs<T> {
    /// Who shows the dialogs.
    pub backend: DialogBackend,
    pending: Option<PendingDialog<T>>,
}

impl<T> Dialogs<T> {
    /// No dialog open yet.
    pub fn new(backend: DialogBackend) -> Self {
        Self {
            backend,
            pending: None,
        }
    }

    /// True while a dialog is open (the UI disables the buttons that would open another).
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// Opens a dialog on a worker thread; `wake` is called when it closes so an idle window
    /// repaints. Ignored while another dialog is open.
    pub fn open(&mut self, tag: T, request: DialogRequest, wake: impl FnOnce() + Send + 'static) {
        if self.pending.is_some() {
            return;
        }
        let (tx, rx) = channel();
        let backend = self.backend.clone();
        std::thread::spawn(move || {
            // The receiver may be gone if the window closed meanwhile: nothing to tell then.
            let _ = tx.send(run(&backend, &request));
            wake();
        });
        self.pending = Some(PendingDialog { tag, rx });
    }

    /// The answer of the open dialog, once it has closed.
    pub fn poll(&mut self) -> Option<(T, DialogOutcome)> {
        let pending = self.pending.as_ref()?;
        let outcome = match pending.rx.try_recv() {
            Ok(o) => o,
            Err(TryRecvError::Empty) => return None,
            // The worker died without answering (a panic in the platform dialog).
            Err(TryRecvError::Disconnected) => DialogOutcome::Unavailable(UNAVAILABLE.into()),
        };
        self.pending.take().map(|p| (p.tag, outcome))
    }
}

fn run(backend: &DialogBackend, request: &DialogRequest) -> DialogOutcome {
    match backend {
        DialogBackend::Fixed(p) => DialogOutcome::Picked(p.clone()),
        DialogBackend::Unavailable => DialogOutcome::Unavailable(UNAVAILABLE.into()),
        DialogBackend::Native => native(request),
    }
}

/// True where a native dialog can plausibly be shown. On Linux rfd talks to the desktop
/// portal over the session bus, or falls back to `zenity`; with neither it returns at once.
pub fn native_available() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || on_path("zenity")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

fn native(request: &DialogRequest) -> DialogOutcome {
    if !native_available() {
        return DialogOutcome::Unavailable(UNAVAILABLE.into());
    }
    let started = Instant::now();
    let picked = match request {
        DialogRequest::OpenFile { title, filters } => {
            let mut d = rfd::FileDialog::new().set_title(title.as_str());
            for (name, exts) in filters {
                d = d.add_filter(name.as_str(), exts.as_slice());
            }
            d.pick_file()
        }
        DialogRequest::OpenFolder { title } => rfd::FileDialog::new()
            .set_title(title.as_str())
            .pick_folder(),
        DialogRequest::SaveFile { title, file_name } => rfd::FileDialog::new()
            .set_title(title.as_str())
            .set_file_name(file_name.as_str())
            .save_file(),
    };
    match picked {
        Some(p) => DialogOutcome::Picked(p),
        // rfd answers "nothing chosen" both when the learner cancels and when no portal
        // answered; nobody cancels a dialog within a quarter of a second.
        None if started.elapsed() < Duration::from_millis(250) => {
            DialogOutcome::Unavailable(UNAVAILABLE.into())
        }
        None => DialogOutcome::Cancelled,
    }
}

/// Folder names completing a typed path: the sub-folders of its parent whose names start
/// with the typed last part (hidden ones only when a dot was typed), sorted, at most `limit`.
/// Each completion ends with the path separator so the next level can be typed at once.
pub fn complete_folder(typed: &str, limit: usize) -> Vec<String> {
    let typed_path = Path::new(typed);
    let (parent, prefix) = if typed.is_empty() || typed.ends_with(std::path::MAIN_SEPARATOR) {
        (typed_path.to_path_buf(), String::new())
    } else {
        match (typed_path.parent(), typed_path.file_name()) {
            (Some(p), Some(name)) => (p.to_path_buf(), name.to_string_lossy().to_string()),
            _ => return Vec::new(),
        }
    };
    if parent.as_os_str().is_empty() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        // Bounded: a folder of a million entries must not stall the frame.
        .take(10_000)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let visible = !name.starts_with('.') || prefix.starts_with('.');
            (visible && name.starts_with(&prefix)).then(|| {
                let mut s = parent.join(&name).to_string_lossy().to_string();
                s.push(std::path::MAIN_SEPARATOR);
                s
            })
        })
        .collect();
    out.sort();
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T>(d: &mut Dialogs<T>) -> (T, DialogOutcome) {
        for _ in 0..200 {
            if let Some(r) = d.poll() {
                return r;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the dialog never answered");
    }

    #[test]
    fn answers_come_back_with_their_tag_and_wake_the_window() {
        let mut d = Dialogs::new(DialogBackend::Fixed(PathBuf::from("/tmp/x.zip")));
        let (woke_tx, woke_rx) = channel();
        d.open(
            7,
            DialogRequest::OpenFolder { title: "t".into() },
            move || {
                let _ = woke_tx.send(());
            },
        );
        assert!(d.is_open());
        assert_eq!(
            wait(&mut d),
            (7, DialogOutcome::Picked(PathBuf::from("/tmp/x.zip")))
        );
        assert!(woke_rx.recv_timeout(Duration::from_secs(2)).is_ok());
        assert!(!d.is_open());
        assert!(d.poll().is_none());
    }

    #[test]
    fn no_portal_is_reported_as_unavailable() {
        let mut d = Dialogs::new(DialogBackend::Unavailable);
        d.open(
            "add",
            DialogRequest::OpenFolder { title: "t".into() },
            || {},
        );
        // A second request while one is open is ignored.
        d.open(
            "other",
            DialogRequest::OpenFolder { title: "t".into() },
            || {},
        );
        let (tag, outcome) = wait(&mut d);
        assert_eq!(tag, "add");
        assert_eq!(outcome, DialogOutcome::Unavailable(UNAVAILABLE.into()));
    }

    #[test]
    fn completes_folder_names_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        for d in ["alpha", "almanac", "beta", ".hidden"] {
            std::fs::create_dir(dir.path().join(d)).expect("mkdir");
        }
        std::fs::write(dir.path().join("also.yaml"), "x").expect("write");
        let base = dir.path().to_string_lossy().to_string();
        let sep = std::path::MAIN_SEPARATOR;
        let got = complete_folder(&format!("{base}{sep}al"), 10);
        assert_eq!(
            got,
            vec![
                format!("{base}{sep}almanac{sep}"),
                format!("{base}{sep}alpha{sep}")
            ]
        );
        let all = complete_folder(&format!("{base}{sep}"), 10);
        assert_eq!(
            all.len(),
            3,
            "hidden folders and files are left out: {all:?}"
        );
        assert_eq!(complete_folder(&format!("{base}{sep}al"), 1).len(), 1);
        assert!(complete_folder(&format!("{base}{sep}nothing{sep}x"), 10).is_empty());
    }
}
