//! Past attempts at an exam per domain, and the forecast made before each beside its score.

use crate::app::core::AppCore;
use egui_plot::{Legend, Line, Plot, PlotPoints};

pub(super) fn history_ui(ui: &mut egui::Ui, core: &AppCore, exam: &str) {
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
