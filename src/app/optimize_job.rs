//! Optimizing FSRS parameters off the UI thread, with progress: the learner hands out plain
//! data, a worker thread fits the parameters, the window polls and shows a progress bar.

use crate::learner::Learner;
use crate::schedule::optimize::{self, OptimizeError, OptimizeReport};
use std::sync::mpsc::{Receiver, channel};

enum Msg {
    Progress(f32),
    Done(Result<OptimizeReport, OptimizeError>),
}

/// A running optimization.
pub struct OptimizeJob {
    rx: Receiver<Msg>,
    /// Last progress reported, 0–1.
    pub progress: f32,
}

/// What polling found.
pub enum JobState {
    /// Still fitting.
    Running(f32),
    /// Finished: the report (its parameters already adopted when accepted), or why not.
    Finished(anyhow::Result<OptimizeReport>),
}

impl OptimizeJob {
    /// Starts fitting on a worker thread; `wake` is called on every progress step (to repaint).
    pub fn start(
        learner: &Learner,
        wake: impl Fn() + Send + 'static,
    ) -> anyhow::Result<OptimizeJob> {
        let (histories, params) = learner.optimizer_input()?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let progress_tx = tx.clone();
            let result = optimize::optimize(&histories, &params, &mut |p| {
                let _ = progress_tx.send(Msg::Progress(p));
                wake();
            });
            let _ = tx.send(Msg::Done(result));
            wake();
        });
        Ok(OptimizeJob { rx, progress: 0.0 })
    }

    /// Drains the worker's messages; on completion adopts accepted parameters.
    pub fn poll(&mut self, learner: &mut Learner) -> JobState {
        for msg in self.rx.try_iter() {
            match msg {
                Msg::Progress(p) => self.progress = p,
                Msg::Done(result) => {
                    return JobState::Finished(result.map_err(anyhow::Error::from).and_then(|r| {
                        learner.adopt_parameters(&r)?;
                        Ok(r)
                    }));
                }
            }
        }
        JobState::Running(self.progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{DeckSource, Library};

    #[test]
    fn fits_in_the_background_and_adopts_the_result() {
        let dir = tempfile::tempdir().expect("tempdir");
        let library = Library::load(&[DeckSource::Bundled]);
        let args = crate::cli::demo::DemoArgs {
            days: 40,
            per_day: 60,
            seed: 3,
            exam_in_days: 0,
        };
        crate::cli::demo::run(&args, dir.path(), &library, &mut Vec::new()).expect("history");
        let mut learner = Learner::open(dir.path(), chrono::Utc::now()).expect("open");
        let mut job = OptimizeJob::start(&learner, || {}).expect("start");
        let started = std::time::Instant::now();
        let report = loop {
            match job.poll(&mut learner) {
                JobState::Finished(r) => break r.expect("optimized"),
                JobState::Running(_) => {
                    assert!(
                        started.elapsed().as_secs() < 120,
                        "optimizer did not finish"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            }
        };
        assert!(report.train_items > 0 && report.test_items > 0);
        assert!(report.new_log_loss.is_finite() && report.current_log_loss.is_finite());
        assert!(job.progress > 0.0, "progress was reported");
        if report.accepted {
            assert_eq!(learner.settings().fsrs_parameters, report.parameters);
        }
    }
}
