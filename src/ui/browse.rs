//! Browse: search every card, see its state and history, suspend / unsuspend / reset.

use super::Action;
use super::card_view::{self, CardRef};
use super::markdown::MarkdownView;
use crate::app::browse::{BrowseFilter, BrowseRow, SortBy, StateFilter, rows, search};
use crate::app::core::AppCore;
use crate::app::session::card_of;
use crate::deck::KINDS;

/// Browse screen state.
#[derive(Default)]
pub struct BrowseScreen {
    /// The search form.
    pub filter: BrowseFilter,
    /// Sort column.
    pub sort: SortBy,
    rows: Vec<BrowseRow>,
    hits: Vec<usize>,
    /// Filter and sort the hits were computed for; `None` forces a refresh.
    computed_for: Option<(BrowseFilter, SortBy)>,
    /// Selected row (index into rows).
    pub selected: Option<usize>,
    /// Domain ids and tags present in the rows, for the filter menus.
    domains: Vec<String>,
    tags: Vec<String>,
}

impl BrowseScreen {
    /// Forces the rows to be rebuilt (after answers, reloads, suspends).
    pub fn invalidate(&mut self) {
        self.rows.clear();
        self.computed_for = None;
    }

    /// Draws the screen.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        core: &mut AppCore,
        md: &mut MarkdownView,
        _actions: &mut Vec<Action>,
    ) {
        // Rows are built when the screen opens (the app invalidates them on entering Browse and
        // after reloads), not on every frame.
        if self.rows.is_empty() {
            match rows(core) {
                Ok(r) => {
                    self.rows = r;
                    self.domains = sorted_unique(
                        self.rows
                            .iter()
                            .map(|r| r.domain.clone())
                            .filter(|d| !d.is_empty()),
                    );
                    self.tags =
                        sorted_unique(self.rows.iter().flat_map(|r| r.tags.iter().cloned()));
                }
                Err(e) => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("Cannot read card states: {e:#}"),
                    );
                    return;
                }
            }
            self.computed_for = None;
        }
        self.form(ui, core);
        let wanted = (self.filter.clone(), self.sort);
        if self.computed_for.as_ref() != Some(&wanted) {
            self.hits = search(&self.rows, &self.filter, self.sort, core.now());
            self.computed_for = Some(wanted);
        }
        ui.label(
            egui::RichText::new(format!(
                "{} of {} items (each cloze gap is one)",
                self.hits.len(),
                self.rows.len()
            ))
            .weak(),
        );
        ui.separator();
        let mut changed = false;
        egui::Panel::right("browse-preview")
            .exact_size((ui.available_width() * 0.42).max(320.0))
            .show(ui, |ui| changed = self.preview(ui, core, md));
        egui::CentralPanel::default().show(ui, |ui| self.table(ui));
        if changed {
            self.invalidate();
            let _ = core.refresh_counts(core.now());
        }
    }

    fn form(&mut self, ui: &mut egui::Ui, core: &AppCore) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.text)
                    .hint_text("words in the card…")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
            combo(
                ui,
                "Deck",
                &mut self.filter.deck,
                &core
                    .library
                    .decks
                    .iter()
                    .map(|d| d.deck.id.clone())
                    .collect::<Vec<_>>(),
            );
            let mut kind = self.filter.kind.map(str::to_string);
            combo(
                ui,
                "Kind",
                &mut kind,
                &KINDS.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            );
            self.filter.kind = kind.and_then(|k| KINDS.iter().copied().find(|x| *x == k));
            combo(ui, "Domain", &mut self.filter.domain, &self.domains);
            combo(ui, "Tag", &mut self.filter.tag, &self.tags);
            let label = ui.label("State");
            egui::ComboBox::from_id_salt("browse-state")
                .selected_text(self.filter.state.label())
                .show_ui(ui, |ui| {
                    for s in StateFilter::ALL {
                        ui.selectable_value(&mut self.filter.state, s, s.label());
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }

    fn table(&mut self, ui: &mut egui::Ui) {
        use egui_extras::{Column, TableBuilder};
        let mut clicked_sort = None;
        let mut clicked_row = None;
        TableBuilder::new(ui)
            .auto_shrink(false)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::initial(140.0).at_least(60.0))
            .column(Column::remainder().at_least(160.0))
            .column(Column::initial(70.0))
            .column(Column::initial(110.0))
            .column(Column::initial(90.0))
            .column(Column::initial(70.0))
            .header(22.0, |mut h| {
                for (name, sort) in [
                    ("Deck", SortBy::Deck),
                    ("Prompt", SortBy::Prompt),
                    ("Kind", SortBy::Kind),
                    ("Domain", SortBy::Domain),
                    ("Due", SortBy::Due),
                    ("Lapses", SortBy::Lapses),
                ] {
                    h.col(|ui| {
                        let label = if self.sort == sort {
                            format!("{name} ⏷")
                        } else {
                            name.to_string()
                        };
                        if ui.button(label).clicked() {
                            clicked_sort = Some(sort);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(24.0, self.hits.len(), |mut row| {
                    let i = self.hits[row.index()];
                    let r = &self.rows[i];
                    row.set_selected(self.selected == Some(i));
                    let due = if r.suspended {
                        "suspended".to_string()
                    } else {
                        r.due
                            .map_or("new".to_string(), |d| d.format("%Y-%m-%d").to_string())
                    };
                    let prompt = if r.key.ord > 0 {
                        format!("[c{}] {}", r.key.ord, r.prompt)
                    } else {
                        r.prompt.clone()
                    };
                    let cells = [
                        r.deck_title.clone(),
                        prompt,
                        r.kind.to_string(),
                        r.domain.clone(),
                        due,
                        r.lapses.to_string(),
                    ];
                    // Each cell's text takes the click itself, so the row is selected
                    // wherever it is clicked.
                    let mut clicked = false;
                    for text in cells {
                        row.col(|ui| {
                            let label = egui::Label::new(text)
                                .truncate()
                                .sense(egui::Sense::click());
                            clicked |= ui.add(label).clicked();
                        });
                    }
                    if clicked || row.response().clicked() {
                        clicked_row = Some(i);
                    }
                });
            });
        if let Some(s) = clicked_sort {
            self.sort = s;
        }
        if clicked_row.is_some() {
            self.selected = clicked_row;
        }
        if clicked_sort.is_some() || clicked_row.is_some() {
            ui.ctx().request_repaint();
        }
    }

    /// Returns true if the learner changed the card's state.
    fn preview(&mut self, ui: &mut egui::Ui, core: &mut AppCore, md: &mut MarkdownView) -> bool {
        let Some(row) = self.selected.and_then(|i| self.rows.get(i)) else {
            ui.label("Select a card to preview it.");
            return false;
        };
        let key = row.key.clone();
        // A copy: the buttons below change the learner while the card is shown.
        let Some(card) = card_of(core, &key).cloned() else {
            return false;
        };
        let card = &card;
        let mut changed = false;
        let now = core.now();
        ui.horizontal(|ui| {
            let result = if row.suspended {
                ui.button("Unsuspend")
                    .clicked()
                    .then(|| core.learner.unsuspend(&key, now))
            } else {
                ui.button("Suspend")
                    .clicked()
                    .then(|| core.learner.suspend(&key, now))
            };
            let reset = ui
                .button("Reset")
                .on_hover_text("Forget progress: the card becomes new (its history is kept)")
                .clicked()
                .then(|| core.learner.reset(&key, now));
            for r in [result, reset].into_iter().flatten() {
                changed = true;
                if let Err(e) = r {
                    core.status = Some(format!("Could not save: {e:#}"));
                }
            }
            if row.leech {
                ui.colored_label(ui.visuals().warn_fg_color, "leech");
            }
            if row.edited {
                ui.colored_label(ui.visuals().warn_fg_color, "edited since last review");
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                let r = CardRef {
                    library: &core.library,
                    deck_id: &key.deck,
                    card,
                    ord: key.ord,
                };
                card_view::prompt(ui, md, r, true);
                if card.body.is_question() {
                    card_view::solution(ui, md, r);
                } else {
                    card_view::answer(ui, md, r);
                    card_view::explanation(ui, md, r);
                }
                ui.separator();
                ui.label(egui::RichText::new("History").strong());
                match core.learner.history(&key) {
                    Ok(h) if h.is_empty() => {
                        ui.label("Never studied.");
                    }
                    Ok(h) => {
                        egui::Grid::new("history").striped(true).show(ui, |ui| {
                            for e in h.iter().rev() {
                                ui.label(e.at.format("%Y-%m-%d %H:%M").to_string());
                                ui.label(format!("{:?}", e.rating));
                                ui.label(format!("{:?}", e.kind));
                                ui.label(format!("{:.1}s", f64::from(e.time_taken_ms) / 1000.0));
                                ui.end_row();
                            }
                        });
                    }
                    Err(e) => {
                        ui.label(format!("Cannot read history: {e:#}"));
                    }
                }
                if let Some(src) = &card.source {
                    ui.label(egui::RichText::new(format!("Source: {src}")).weak());
                }
            });
        changed
    }
}

fn sorted_unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = items.collect();
    v.sort();
    v.dedup();
    v
}

fn combo(ui: &mut egui::Ui, label: &str, value: &mut Option<String>, options: &[String]) {
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(("browse-combo", label.id))
        .selected_text(value.clone().unwrap_or_else(|| "all".into()))
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "all");
            for o in options {
                ui.selectable_value(value, Some(o.clone()), o.as_str());
            }
        })
        .response
        .labelled_by(label.id);
}
