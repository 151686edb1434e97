//! Importing an Anki package or CSV file from the window: read and convert it on a worker
//! thread (with progress), show a preview (decks, cards by kind, images, warnings, history),
//! wait for the learner's confirmation, write on a worker thread, then show a summary.
//! Window-free, so it is tested without drawing.

use super::core::AppCore;
use crate::deck::DeckSource;
use crate::import::{self, Options, Outcome, Plan, Preview, Progress};
use crate::learner::Learner;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

/// True for the files this flow handles (the rest go to `app::import`).
pub fn handles(path: &Path) -> bool {
    path.is_file() && import::is_importable(path)
}

/// Where an import is.
#[derive(Debug)]
pub enum Stage {
    /// Reading and converting the file.
    Reading(Progress),
    /// Waiting for the learner: the plan and its preview.
    Preview(Box<Plan>, Preview),
    /// Writing the decks (and the history).
    Writing(Progress),
    /// Finished: the summary to show.
    Done(String),
    /// Refused or failed: nothing was written.
    Failed(String),
}

enum Msg {
    Progress(Progress),
    Planned(Result<Plan, String>),
    Written(Result<Outcome, String>),
}

/// One import in the window.
pub struct ImportFlow {
    /// The file.
    pub path: PathBuf,
    /// Where it is.
    pub stage: Stage,
    /// Whether the review history is imported (on for a `.colpkg`).
    pub with_history: bool,
    /// True once the decks were written (the library needs a reload).
    pub wrote: bool,
    rx: Option<Receiver<Msg>>,
}

impl std::fmt::Debug for ImportFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportFlow")
            .field("path", &self.path)
            .field("stage", &self.stage)
            .finish()
    }
}

impl ImportFlow {
    /// Starts reading `path` on a worker thread; `wake` asks the window to repaint.
    pub fn start(path: PathBuf, wake: impl Fn() + Send + Sync + 'static) -> ImportFlow {
        let (tx, rx) = channel();
        let file = path.clone();
        std::thread::spawn(move || {
            // History is always read, so the preview can offer it; the checkbox decides.
            let opts = Options {
                with_history: Some(true),
                ..Options::default()
            };
            let mut last = std::time::Instant::now();
            let result = import::plan(&file, &opts, &mut |p| {
                if last.elapsed().as_millis() >= 50 {
                    last = std::time::Instant::now();
                    let _ = tx.send(Msg::Progress(p));
                    wake();
                }
            });
            let _ = tx.send(Msg::Planned(result.map_err(|e| e.to_string())));
            wake();
        });
        let colpkg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("colpkg"));
        ImportFlow {
            path,
            stage: Stage::Reading(Progress::new("opening", 0, 0)),
            with_history: colpkg,
            wrote: false,
            rx: Some(rx),
        }
    }

    /// A flow already at its preview (tests, and files read some other way).
    pub fn with_plan(plan: Plan) -> ImportFlow {
        let preview = plan.preview();
        ImportFlow {
            path: plan.source.clone(),
            with_history: plan.with_history,
            stage: Stage::Preview(Box::new(plan), preview),
            wrote: false,
            rx: None,
        }
    }

    /// Drains the worker's messages.
    pub fn poll(&mut self) {
        let Some(rx) = &self.rx else { return };
        let msgs: Vec<Msg> = rx.try_iter().collect();
        for msg in msgs {
            match msg {
                Msg::Progress(p) => match &mut self.stage {
                    Stage::Reading(q) | Stage::Writing(q) => *q = p,
                    _ => {}
                },
                Msg::Planned(Ok(plan)) => {
                    let preview = plan.preview();
                    self.stage = Stage::Preview(Box::new(plan), preview);
                }
                Msg::Planned(Err(e)) | Msg::Written(Err(e)) => self.stage = Stage::Failed(e),
                Msg::Written(Ok(outcome)) => {
                    self.wrote = true;
                    self.stage = Stage::Done(outcome.to_string());
                }
            }
        }
    }

    /// True while a worker runs.
    pub fn busy(&self) -> bool {
        matches!(self.stage, Stage::Reading(_) | Stage::Writing(_))
    }

    /// Writes the previewed plan into the learner's deck folder. With a data folder the
    /// work (and the history, through a second connection) runs on a worker thread;
    /// without one (tests) it runs here, on the app's learner.
    pub fn confirm(&mut self, core: &mut AppCore, wake: impl Fn() + Send + Sync + 'static) {
        let Stage::Preview(plan, _) = &mut self.stage else {
            return;
        };
        let Some(into) = core.user_decks.clone() else {
            self.stage = Stage::Failed("no deck folder: the app runs without a data folder".into());
            return;
        };
        let mut plan = std::mem::replace(plan.as_mut(), empty_plan());
        plan.with_history = self.with_history;
        let mut sources = core.sources.clone();
        if !sources.contains(&DeckSource::Path(into.clone())) {
            sources.push(DeckSource::Path(into.clone()));
        }
        let now = core.now();
        self.stage = Stage::Writing(Progress::new("writing decks", 0, 1));
        match core.data_dir.clone() {
            Some(data_dir) => {
                let (tx, rx) = channel();
                std::thread::spawn(move || {
                    let result = (|| -> Result<Outcome, String> {
                        let mut learner = if plan.with_history {
                            Some(Learner::open(&data_dir, now).map_err(|e| e.to_string())?)
                        } else {
                            None
                        };
                        let out = import::apply(
                            std::slice::from_ref(&plan),
                            &into,
                            &sources,
                            learner.as_mut(),
                            now,
                            &mut |p| {
                                let _ = tx.send(Msg::Progress(p));
                            },
                        )
                        .map_err(|e| e.to_string())?;
                        if let Some(l) = learner.as_mut() {
                            let _ = l.wait_for_backup();
                        }
                        Ok(out)
                    })();
                    let _ = tx.send(Msg::Written(result));
                    wake();
                });
                self.rx = Some(rx);
            }
            None => {
                let result = import::apply(
                    std::slice::from_ref(&plan),
                    &into,
                    &sources,
                    Some(&mut core.learner),
                    now,
                    &mut |_| {},
                );
                match result {
                    Ok(outcome) => {
                        self.wrote = true;
                        self.stage = Stage::Done(outcome.to_string());
                    }
                    Err(e) => self.stage = Stage::Failed(e.to_string()),
                }
            }
        }
    }
}

fn empty_plan() -> Plan {
    Plan {
        source: PathBuf::new(),
        folder: String::new(),
        decks: Vec::new(),
        media: Vec::new(),
        warnings: Vec::new(),
        with_history: false,
        history_in_package: 0,
        history: Default::default(),
    }
}
