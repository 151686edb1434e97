//! Stats: a year of reviews as a calendar heatmap, the 30-day due forecast, retention by deck
//! and by exam domain, cards by phase and time studied.

use crate::app::core::AppCore;
use crate::learner::Stats;
use chrono::{Datelike, Duration, NaiveDate};
use egui_plot::{Bar, BarChart, Plot};

/// Stats screen; the figures are computed when the screen is opened or refreshed.
#[derive(Default)]
pub struct StatsScreen {
    stats: Option<Stats>,
    error: Option<String>,
}

impl StatsScreen {
    /// Forgets the computed figures so the next frame recomputes them.
    pub fn invalidate(&mut self) {
        self.stats = None;
        self.error = None;
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, core: &AppCore) {
        if self.stats.is_none() && self.error.is_none() {
            match core.learner.stats(&core.library, core.now()) {
                Ok(s) => self.stats = Some(s),
                Err(e) => self.error = Some(format!("{e:#}")),
            }
        }
        ui.horizontal(|ui| {
            ui.heading("Statistics");
            if ui.button("Refresh").clicked() {
                self.stats = None;
                self.error = None;
            }
        });
        if let Some(e) = &self.error {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Cannot compute statistics: {e}"),
            );
            return;
        }
        let Some(s) = &self.stats else { return };
        let today = core.now().date_naive();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                let total_reviews: u32 = s.reviews_per_day.iter().map(|d| d.reviews).sum();
                let minutes = s.total_time_ms / 60_000;
                ui.label(format!(
                    "{total_reviews} reviews in the last year · {} h {} min studied in all",
                    minutes / 60,
                    minutes % 60
                ));
                ui.add_space(6.0);
                ui.label(egui::RichText::new("Reviews per day").strong());
                heatmap(ui, s, today);
                ui.add_space(10.0);
                ui.label(egui::RichText::new("Due in the next 30 days").strong());
                let bars: Vec<Bar> = s
                    .forecast
                    .iter()
                    .enumerate()
                    .map(|(i, n)| Bar::new(i as f64, f64::from(*n)).width(0.8))
                    .collect();
                Plot::new("forecast")
                    .height(160.0)
                    .allow_zoom(false)
                    .allow_drag(false)
                    .allow_scroll(false)
                    .x_axis_label("days from today")
                    .y_axis_label("cards")
                    .show(ui, |p| {
                        p.bar_chart(BarChart::new("due", bars).color(super::theme::DUE))
                    });
                ui.add_space(10.0);
                ui.columns(2, |cols| {
                    cols[0].label(egui::RichText::new("Retention by deck").strong());
                    retention_grid(
                        &mut cols[0],
                        "ret-deck",
                        s.retention_by_deck.iter().map(|r| {
                            let name = core
                                .library
                                .deck(&r.key)
                                .map_or(r.key.as_str(), |d| d.deck.title.as_str());
                            (name, r.passed, r.answers)
                        }),
                    );
                    cols[1].label(egui::RichText::new("Retention by exam domain").strong());
                    retention_grid(
                        &mut cols[1],
                        "ret-domain",
                        s.retention_by_domain
                            .iter()
                            .map(|r| (domain_title(core, &r.key), r.passed, r.answers)),
                    );
                });
                ui.add_space(10.0);
                ui.label(egui::RichText::new("Cards by phase").strong());
                let p = &s.phases;
                ui.label(format!(
                    "new {} · learning {} · review {} · relearning {} · suspended {}",
                    p.new, p.learning, p.review, p.relearning, p.suspended
                ));
            });
    }
}

/// "exam/domain" → the domain's title from its blueprint (the key itself if unknown).
fn domain_title<'a>(core: &'a AppCore, key: &'a str) -> &'a str {
    key.split_once('/')
        .and_then(|(e, d)| core.library.exam(e)?.domains.iter().find(|x| x.id == d))
        .map_or(key, |d| d.title.as_str())
}

fn retention_grid<'a>(
    ui: &mut egui::Ui,
    id: &str,
    rows: impl Iterator<Item = (&'a str, u32, u32)>,
) {
    egui::Grid::new(id).striped(true).show(ui, |ui| {
        let mut any = false;
        for (name, correct, reviews) in rows {
            any = true;
            ui.label(name);
            let frac = if reviews == 0 {
                0.0
            } else {
                correct as f32 / reviews as f32
            };
            ui.add(
                egui::ProgressBar::new(frac)
                    .desired_width(140.0)
                    .text(format!("{:.0}% of {reviews}", frac * 100.0)),
            );
            ui.end_row();
        }
        if !any {
            ui.label(egui::RichText::new("No reviews yet.").weak());
        }
    });
}

/// A year of days as 53 week columns × 7 weekday rows, darker for more reviews, with month
/// names above and weekday names on the left; hovering a day shows its count.
fn heatmap(ui: &mut egui::Ui, s: &Stats, today: NaiveDate) {
    let cell = 11.0;
    let gap = 2.0;
    let step = cell + gap;
    // Room for "Mon"/"Wed"/"Fri" on the left and the month names on top.
    let (left, top) = (30.0, 16.0);
    let (outer, _) = ui.allocate_exact_size(
        egui::vec2(left + 53.0 * step, top + 7.0 * step),
        egui::Sense::hover(),
    );
    let rect = egui::Rect::from_min_max(outer.min + egui::vec2(left, top), outer.max);
    let painter = ui.painter_at(outer);
    let max = s
        .reviews_per_day
        .iter()
        .map(|d| d.reviews)
        .max()
        .unwrap_or(0)
        .max(1);
    let start = today - Duration::days(52 * 7 + i64::from(today.weekday().num_days_from_monday()));
    let base = ui.visuals().faint_bg_color;
    let accent = super::theme::DUE;
    let text = ui.visuals().weak_text_color();
    let font = egui::FontId::proportional(10.0);
    for (row, name) in [(0.0, "Mon"), (2.0, "Wed"), (4.0, "Fri")] {
        painter.text(
            egui::pos2(outer.min.x, rect.min.y + row * step + cell / 2.0),
            egui::Align2::LEFT_CENTER,
            name,
            font.clone(),
            text,
        );
    }
    let counts: std::collections::HashMap<NaiveDate, u32> = s
        .reviews_per_day
        .iter()
        .map(|d| (d.date, d.reviews))
        .collect();
    let mut day = start;
    while day <= today {
        let offset = (day - start).num_days();
        let (col, row) = ((offset / 7) as f32, (offset % 7) as f32);
        let min = rect.min + egui::vec2(col * step, row * step);
        // A month's name above the week holding its first day.
        if day.day() == 1 {
            painter.text(
                egui::pos2(min.x, outer.min.y),
                egui::Align2::LEFT_TOP,
                day.format("%b").to_string(),
                font.clone(),
                text,
            );
        }
        let n = counts.get(&day).copied().unwrap_or(0);
        let color = if n == 0 {
            base
        } else {
            base.lerp_to_gamma(accent, 0.25 + 0.75 * n as f32 / max as f32)
        };
        painter.rect_filled(
            egui::Rect::from_min_size(min, egui::vec2(cell, cell)),
            2.0,
            color,
        );
        day += Duration::days(1);
    }
    if let Some(pos) = ui.ctx().pointer_hover_pos()
        && rect.contains(pos)
    {
        let col = ((pos.x - rect.min.x) / step) as i64;
        let row = ((pos.y - rect.min.y) / step) as i64;
        let d = start + Duration::days(col * 7 + row.min(6));
        if d <= today {
            let n = counts.get(&d).copied().unwrap_or(0);
            let label = match n {
                0 => "no reviews".to_string(),
                1 => "1 review".to_string(),
                n => format!("{n} reviews"),
            };
            egui::Tooltip::always_open(
                ui.ctx().clone(),
                ui.layer_id(),
                ui.scope_id().with("heat-tip"),
                pos,
            )
            .show(|ui| ui.label(format!("{}: {label}", d.format("%a %-d %b %Y"))));
        }
    }
}
