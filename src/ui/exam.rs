//! Mock exams: set up an attempt, sit it with a navigator and a timer, then read the report.
//! Also the history of attempts per domain and the forecast's calibration.

use super::card_view::{self, CardRef};
use super::markdown::MarkdownView;
use super::{Action, Screen};
use crate::app::core::AppCore;
use crate::app::exams;
use crate::app::mock::{MockSession, MockSetup};
use crate::app::session::card_of;
use crate::exam::Mode;
use crate::learner::StudyScope;
use egui_plot::{Legend, Line, Plot, PlotPoints};

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
            Some(s) if s.report.is_some() => report_ui(ui, core, s, md, actions, &mut cmds),
            Some(s) => {
                if let Err(e) = s.tick(core) {
                    self.error = Some(format!("{e:#}"));
                }
                if s.report.is_none() {
                    sitting_ui(ui, core, s, md, self.confirming, &mut cmds);
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

    fn setup_ui(&mut self, ui: &mut egui::Ui, core: &AppCore, cmds: &mut Vec<ExamCmd>) {
        ui.heading("Mock exam");
        if core.library.exams.is_empty() {
            ui.label("No exam blueprint is loaded, so there is no exam to sit.");
            return;
        }
        let today = core.now().date_naive();
        let offered = exams::pickable(&core.library, today, self.show_retired);
        // A retired (or unknown) exam is not kept selected behind the learner's back.
        if !offered.iter().any(|e| e.id == self.setup.exam)
            && let Some(first) = offered.first()
        {
            self.setup.exam = first.id.clone();
            self.setup.domain = None;
        }
        egui::Grid::new("exam-setup").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
            let l = ui.label("Exam");
            ui.horizontal(|ui| {
                let selected = core
                    .library
                    .exam(&self.setup.exam)
                    .map_or_else(|| self.setup.exam.clone(), |e| exams::display_title(e, today));
                egui::ComboBox::from_id_salt("exam-pick")
                    .selected_text(selected)
                    .show_ui(ui, |ui| {
                        for e in &offered {
                            ui.selectable_value(&mut self.setup.exam, e.id.clone(), exams::display_title(e, today));
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.checkbox(&mut self.show_retired, "show retired exams");
            });
            ui.end_row();
            ui.label("Mode");
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.setup.mode, Mode::Exam, "Exam: timed, answers at the end");
                ui.radio_value(&mut self.setup.mode, Mode::Practice, "Practice: untimed, explained as you go");
            });
            ui.end_row();
            ui.label("Length");
            ui.horizontal(|ui| {
                ui.checkbox(&mut self.full_length, "Full length");
                ui.add_enabled(
                    !self.full_length,
                    egui::DragValue::new(&mut self.setup.questions).range(1..=200).suffix(" questions"),
                )
                .on_hover_text("Number of questions");
            });
            ui.end_row();
            let l = ui.label("Domain");
            let domains: Vec<(String, String)> = core
                .library
                .exam(&self.setup.exam)
                .map(|e| e.domains.iter().map(|d| (d.id.clone(), d.title.clone())).collect())
                .unwrap_or_default();
            let domain_text = match &self.setup.domain {
                None => "all, by weight".to_string(),
                Some(id) => domains.iter().find(|(d, _)| d == id).map_or_else(|| id.clone(), |(_, t)| t.clone()),
            };
            egui::ComboBox::from_id_salt("exam-domain")
                .selected_text(domain_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.setup.domain, None, "all, by weight");
                    for (id, title) in domains {
                        ui.selectable_value(&mut self.setup.domain, Some(id), title);
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Paper number (seed)");
            ui.add(egui::DragValue::new(&mut self.setup.seed))
                .labelled_by(l.id)
                .on_hover_text("The same number gives the same paper, so a study group can sit the same exam.");
            ui.end_row();
        });
        if let Some(bp) = core.library.exam(&self.setup.exam) {
            ui.label(
                egui::RichText::new(format!(
                    "The real exam: {} questions in {} minutes, pass mark {} on a {}–{} scale.",
                    bp.questions, bp.minutes, bp.passing_score, bp.scale_min, bp.scale_max
                ))
                .weak(),
            );
        }
        if ui
            .add(
                egui::Button::new(egui::RichText::new("Start mock exam").strong())
                    .min_size(egui::vec2(200.0, 36.0)),
            )
            .clicked()
        {
            cmds.push(ExamCmd::Start);
        }
        ui.separator();
        history_ui(ui, core, &self.setup.exam);
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

fn sitting_ui(
    ui: &mut egui::Ui,
    core: &AppCore,
    s: &mut MockSession,
    md: &mut MarkdownView,
    confirming: bool,
    cmds: &mut Vec<ExamCmd>,
) {
    let now = core.now();
    let n = s.attempt.len();
    let i = s.attempt.current;
    ui.horizontal(|ui| {
        ui.heading(format!("Question {} of {n}", i + 1));
        if let Some(left) = s.attempt.remaining(now) {
            let ms = left.as_millis() as u64;
            let text = egui::RichText::new(format!("Time left {}", fmt_ms(ms))).strong();
            ui.label(if ms < 5 * 60 * 1000 {
                text.color(ui.visuals().warn_fg_color)
            } else {
                text
            });
        } else {
            ui.label(format!("Time {}", fmt_ms(s.attempt.elapsed_ms_at(now))));
        }
        let answered = s.attempt.answers.iter().filter(|a| a.is_some()).count();
        ui.label(format!(
            "{answered} answered · {} flagged",
            s.attempt.flagged().len()
        ));
    });
    navigator(ui, s, cmds);
    ui.separator();
    if confirming {
        confirm_ui(ui, s, cmds);
        return;
    }
    let q = &s.attempt.paper.questions[i];
    let Some(card) = card_of(core, &q.key) else {
        ui.label("This question's card is no longer in its deck; it counts as unanswered.");
        return;
    };
    let revealed = s.attempt.revealed(i);
    let r = CardRef {
        library: &core.library,
        deck_id: &q.key.deck,
        card,
        ord: 0,
    };
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .max_height((ui.available_height() - 56.0).max(120.0))
        .show(ui, |ui| {
            card_view::column(ui, |ui| {
                card_view::prompt(ui, md, r, false);
                ui.add_space(8.0);
                if let Some(input) = s.inputs.get_mut(i) {
                    card_view::options(ui, card, input, revealed);
                    if revealed {
                        card_view::feedback(ui, md, r, input);
                    }
                }
            })
        });
    ui.separator();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(i > 0, egui::Button::new("⏴ Previous"))
            .clicked()
        {
            cmds.push(ExamCmd::Prev);
        }
        if ui
            .add_enabled(i + 1 < n, egui::Button::new("Next ⏵"))
            .clicked()
        {
            cmds.push(ExamCmd::Next);
        }
        let flagged = s.attempt.flagged.get(i).copied().unwrap_or(false);
        if ui
            .button(if flagged { "Unflag" } else { "Flag for review" })
            .clicked()
        {
            cmds.push(ExamCmd::Flag);
        }
        if ui.button("Submit exam…").clicked() {
            cmds.push(ExamCmd::AskSubmit);
        }
    });
    ui.input(|inp| {
        if inp.modifiers.command || inp.modifiers.alt {
            return;
        }
        if inp.key_pressed(egui::Key::ArrowRight) || inp.key_pressed(egui::Key::Enter) {
            cmds.push(ExamCmd::Next);
        }
        if inp.key_pressed(egui::Key::ArrowLeft) {
            cmds.push(ExamCmd::Prev);
        }
        if inp.key_pressed(egui::Key::ArrowUp) {
            cmds.push(ExamCmd::MoveStep(-1));
        }
        if inp.key_pressed(egui::Key::ArrowDown) {
            cmds.push(ExamCmd::MoveStep(1));
        }
        if !revealed && let Some(p) = card_view::picked_option(inp) {
            cmds.push(ExamCmd::Pick(p));
        }
    });
}

fn navigator(ui: &mut egui::Ui, s: &MockSession, cmds: &mut Vec<ExamCmd>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(3.0, 3.0);
        for (i, st) in s.attempt.navigator().iter().enumerate() {
            let mut text = egui::RichText::new(format!("{}", i + 1)).monospace();
            if st.flagged {
                text = text.color(ui.visuals().warn_fg_color).strong();
            }
            let fill = if st.answered {
                ui.visuals().selection.bg_fill.gamma_multiply(0.5)
            } else {
                ui.visuals().extreme_bg_color
            };
            let b = egui::Button::new(text)
                .fill(fill)
                .selected(st.current)
                .min_size(egui::vec2(30.0, 24.0));
            let tip = match (st.answered, st.flagged) {
                (true, true) => "answered, flagged",
                (true, false) => "answered",
                (false, true) => "unanswered, flagged",
                (false, false) => "unanswered",
            };
            if ui.add(b).on_hover_text(tip).clicked() {
                cmds.push(ExamCmd::Goto(i));
            }
        }
    });
}

fn confirm_ui(ui: &mut egui::Ui, s: &MockSession, cmds: &mut Vec<ExamCmd>) {
    ui.heading("Submit the exam?");
    let list = |v: Vec<usize>| {
        v.iter()
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unanswered = s.attempt.unanswered();
    let flagged = s.attempt.flagged();
    if unanswered.is_empty() {
        ui.label("Every question is answered.");
    } else {
        ui.label(format!(
            "{} unanswered (they count as wrong): {}",
            unanswered.len(),
            list(unanswered)
        ));
    }
    if !flagged.is_empty() {
        ui.label(format!(
            "{} flagged for review: {}",
            flagged.len(),
            list(flagged)
        ));
    }
    ui.horizontal(|ui| {
        if ui.button("Submit now").clicked() {
            cmds.push(ExamCmd::Submit);
        }
        if ui.button("Keep working").clicked() {
            cmds.push(ExamCmd::CancelSubmit);
        }
    });
}

fn report_ui(
    ui: &mut egui::Ui,
    core: &AppCore,
    s: &mut MockSession,
    md: &mut MarkdownView,
    actions: &mut Vec<Action>,
    cmds: &mut Vec<ExamCmd>,
) {
    let Some(report) = s.report.clone() else {
        return;
    };
    egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        ui.heading("Mock exam report");
        ui.label(egui::RichText::new(exams::exam_title(&core.library, &s.attempt.paper.exam)).strong());
        let verdict = if report.passed { "PASS" } else { "FAIL" };
        let color = if report.passed { super::theme::DUE } else { ui.visuals().error_fg_color };
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(verdict).size(28.0).strong().color(color));
            ui.label(
                egui::RichText::new(format!(
                    "{} / {} correct ({:.0} %) · estimated scaled score {} (pass {})",
                    report.raw_correct, report.total, report.percent, report.scaled, report.scale.pass
                ))
                .size(17.0),
            );
        });
        ui.label(
            egui::RichText::new(
                "The scaled score is an estimate: the vendor's equating is not public. examdeck maps the \
                 percentage correct piecewise-linearly: 0 % to the scale's minimum, 72 % (the commonly \
                 estimated cut) to the pass mark, 100 % to the maximum.",
            )
            .weak(),
        );
        if let Some(f) = &s.forecast_before {
            ui.label(format!(
                "Forecast before this attempt: {:.0} % ({:.0}–{:.0} %), actual {:.0} %.",
                f.expected_percent, f.low, f.high, report.percent
            ));
        }
        if let Some(t) = report.time_ms {
            ui.label(format!(
                "Time: {} in all, {} per question on average.",
                fmt_ms(t),
                fmt_ms(t / report.total.max(1) as u64)
            ));
        }
        ui.add_space(6.0);
        egui::Grid::new("report-domains").striped(true).show(ui, |ui| {
            for d in &report.per_domain {
                ui.label(&d.title);
                ui.add(
                    egui::ProgressBar::new((d.percent / 100.0) as f32)
                        .desired_width(220.0)
                        .text(format!("{}/{} ({:.0} %)", d.correct, d.total, d.percent)),
                );
                ui.end_row();
            }
        });
        ui.horizontal(|ui| {
            let mistakes = s.mistakes();
            if ui
                .add_enabled(!mistakes.is_empty(), egui::Button::new(format!("Study my mistakes ({})", mistakes.len())))
                .clicked()
            {
                actions.push(Action::Study(StudyScope::Items(mistakes)));
            }
            if ui.button("New mock exam").clicked() {
                cmds.push(ExamCmd::Close);
            }
            if ui.button("Home").clicked() {
                actions.push(Action::Go(Screen::Home));
            }
        });
        ui.separator();
        ui.heading("Review");
        for (i, q) in report.per_question.iter().enumerate() {
            let Some(card) = card_of(core, &q.key) else { continue };
            let mark = if q.correct { "✔" } else if q.answered { "✖" } else { "—" };
            let title = format!(
                "{mark} {}. {}   ({}, {})",
                i + 1,
                card_view::plain(card.prompt.lines().next().unwrap_or_default()),
                q.domain,
                q.time_ms.map(fmt_ms).unwrap_or_default()
            );
            egui::CollapsingHeader::new(title).id_salt(("review", i)).show(ui, |ui| {
                let r = CardRef { library: &core.library, deck_id: &q.key.deck, card, ord: 0 };
                card_view::prompt(ui, md, r, false);
                if let Some(input) = s.inputs.get(i) {
                    card_view::feedback(ui, md, r, input);
                }
            });
        }
    });
}

fn history_ui(ui: &mut egui::Ui, core: &AppCore, exam: &str) {
    ui.heading("Your attempts");
    let history = match core.learner.attempt_history(exam) {
        Ok(h) => h,
        Err(e) => {
            ui.label(format!("Cannot read attempts: {e:#}"));
            return;
        }
    };
    if history.is_empty() {
        ui.label("No finished attempt yet. Your scores per domain will be charted here.");
        return;
    }
    let mut domains: Vec<String> = history
        .iter()
        .flat_map(|h| h.per_domain.iter().map(|(d, _)| d.clone()))
        .collect();
    domains.sort();
    domains.dedup();
    Plot::new("attempt-history")
        .height(200.0)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(100.0)
        .x_axis_label("attempt")
        .y_axis_label("% correct")
        .show(ui, |p| {
            let total: PlotPoints = history
                .iter()
                .enumerate()
                .map(|(i, h)| [i as f64 + 1.0, h.percent])
                .collect();
            p.line(Line::new("overall", total).width(2.5));
            for d in &domains {
                let pts: PlotPoints = history
                    .iter()
                    .enumerate()
                    .filter_map(|(i, h)| {
                        h.per_domain
                            .iter()
                            .find(|(x, _)| x == d)
                            .map(|(_, v)| [i as f64 + 1.0, *v])
                    })
                    .collect();
                let name = core
                    .library
                    .exam(exam)
                    .and_then(|e| e.domains.iter().find(|x| &x.id == d))
                    .map_or_else(|| d.clone(), |x| x.title.clone());
                p.line(Line::new(name, pts));
            }
        });
    ui.label(
        egui::RichText::new(
            "Calibration: the forecast made just before each attempt, and the score",
        )
        .strong(),
    );
    egui::Grid::new("calibration").striped(true).show(ui, |ui| {
        for h in ["When", "Forecast", "Band", "Actual", "Scaled"] {
            ui.label(egui::RichText::new(h).weak());
        }
        ui.end_row();
        for h in history.iter().rev().take(10) {
            ui.label(h.finished_at.format("%Y-%m-%d %H:%M").to_string());
            match &h.forecast {
                Some(f) => {
                    ui.label(format!("{:.0} %", f.expected_percent));
                    ui.label(format!("{:.0}–{:.0} %", f.low, f.high));
                }
                None => {
                    ui.label("—");
                    ui.label("—");
                }
            }
            ui.label(format!("{:.0} %", h.percent));
            ui.label(format!(
                "{}{}",
                h.scaled,
                if h.passed { " pass" } else { "" }
            ));
            ui.end_row();
        }
    });
}
