//! Mock exams: set up an attempt, sit it with a navigator and a timer, then read the report.
//! Also the history of attempts per domain and the forecast's calibration. One file per
//! job: [`setup`] (the form and the history beside it), [`sitting`] (question, navigator,
//! submit), [`report`] (the results) and [`history`] (past attempts and the forecast).

mod history;
mod report;
mod setup;
mod sitting;

use super::Action;
use super::markdown::MarkdownView;
use crate::app::core::AppCore;
use crate::app::mock::{MockSession, MockSetup};
use crate::exam::Mode;

/// Mock exam screen state.
pub struct ExamScreen {
    /// The setup form.
    pub setup: MockSetup,
    /// Full-length paper (else `setup.questions`).
    pub full_length: bool,
    /// The attempt being sat or reviewed.
    pub session: Option<MockSession>,
    /// Submit was pressed once: ask for confirmation.
    pub confirming: bool,
    /// Last error.
    pub error: Option<String>,
    /// Offer retired exams in the picker too.
    pub show_retired: bool,
}

impl Default for ExamScreen {
    fn default() -> Self {
        Self {
            setup: MockSetup {
                exam: "aws-scs-c03".into(),
                mode: Mode::Exam,
                questions: 20,
                domain: None,
                // A fresh paper each time unless the learner types a group's number.
                seed: u64::from(rand::random::<u16>()),
            },
            full_length: true,
            session: None,
            confirming: false,
            error: None,
            show_retired: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ExamCmd {
    Start,
    Goto(usize),
    Next,
    Prev,
    Flag,
    AskSubmit,
    Submit,
    CancelSubmit,
    Close,
    Pick(usize),
    MoveStep(i32),
}

impl ExamScreen {
    /// Resumes an attempt left open by an earlier run of the app.
    pub fn resume(&mut self, core: &mut AppCore) {
        match MockSession::resume(core) {
            Ok(s) => self.session = s,
            Err(e) => self.error = Some(format!("Could not resume the mock exam: {e:#}")),
        }
    }

    /// Draws the screen.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        core: &mut AppCore,
        md: &mut MarkdownView,
        actions: &mut Vec<Action>,
    ) {
        let mut cmds = Vec::new();
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        match &mut self.session {
            None => self.setup_ui(ui, core, &mut cmds),
            Some(s) if s.report.is_some() => report::report_ui(ui, core, s, md, actions, &mut cmds),
            Some(s) => {
                if let Err(e) = s.tick(core) {
                    self.error = Some(format!("{e:#}"));
                }
                if s.report.is_none() {
                    sitting::sitting_ui(ui, core, s, md, self.confirming, &mut cmds);
                    // Keep the timer moving without burning CPU: one repaint a second.
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_secs(1));
                }
            }
        }
        if !cmds.is_empty() {
            ui.ctx().request_repaint();
        }
        for cmd in cmds {
            if let Err(e) = self.apply(cmd, core) {
                self.error = Some(format!("{e:#}"));
            }
        }
    }

    fn apply(&mut self, cmd: ExamCmd, core: &mut AppCore) -> anyhow::Result<()> {
        if cmd == ExamCmd::Start {
            let mut setup = self.setup.clone();
            if self.full_length {
                setup.questions = core
                    .library
                    .exam(&setup.exam)
                    .map_or(65, |e| e.questions as usize);
            }
            self.session = Some(MockSession::start(core, &setup)?);
            self.confirming = false;
            self.error = None;
            return Ok(());
        }
        if cmd == ExamCmd::Close {
            self.session = None;
            self.setup.seed = u64::from(rand::random::<u16>());
            return Ok(());
        }
        let Some(s) = &mut self.session else {
            return Ok(());
        };
        match cmd {
            ExamCmd::Goto(i) => s.goto(core, i)?,
            ExamCmd::Next => {
                let i = (s.attempt.current + 1).min(s.attempt.len().saturating_sub(1));
                s.goto(core, i)?;
            }
            ExamCmd::Prev => s.goto(core, s.attempt.current.saturating_sub(1))?,
            ExamCmd::Flag => s.toggle_flag(core)?,
            ExamCmd::AskSubmit => {
                s.commit_input(core)?;
                self.confirming = true;
            }
            ExamCmd::Submit => {
                s.submit(core)?;
                self.confirming = false;
            }
            ExamCmd::CancelSubmit => self.confirming = false,
            ExamCmd::Pick(p) => {
                if let Some(input) = s.inputs.get_mut(s.attempt.current) {
                    input.pick_position(p);
                }
            }
            ExamCmd::MoveStep(d) => {
                if let Some(input) = s.inputs.get_mut(s.attempt.current) {
                    input.move_cursor_step(d);
                }
            }
            ExamCmd::Start | ExamCmd::Close => {}
        }
        // Practice mode explains each answer as soon as it is complete.
        if s.attempt.mode == Mode::Practice && matches!(cmd, ExamCmd::Pick(_)) {
            s.commit_input(core)?;
        }
        Ok(())
    }
}

fn fmt_ms(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
