//! The "Add decks…" banner under the navigation bar: the question whether an import may
//! replace the learner's own deck files, then the outcome, which stays until "Dismiss" (the
//! status line is rewritten by every reload and would hide it).

use super::Action;
use crate::app::import_flow::ImportFlow;

/// Draws the banner; "Replace" is applied after drawing ([`Action::ConfirmImport`]).
pub fn ui(ui: &mut egui::Ui, flow: &mut ImportFlow, actions: &mut Vec<Action>) {
    ui.add_space(4.0);
    if let Some(p) = &flow.pending {
        let mut cancel = false;
        ui.label(egui::RichText::new("Replace your own deck files?").strong());
        for c in &p.conflicts {
            ui.label(format!(
                "{} holds the deck {}, which the import replaces.",
                c.file.display(),
                c.deck
            ));
        }
        ui.label("Your files are moved to decks/.replaced/, not deleted.");
        ui.horizontal(|ui| {
            if ui.button("Replace").clicked() {
                actions.push(Action::ConfirmImport);
            }
            if ui.button("Cancel").clicked() {
                cancel = true;
            }
        });
        if cancel {
            flow.cancel();
        }
    } else if let Some(n) = &flow.notice {
        let mut dismiss = false;
        ui.horizontal_wrapped(|ui| {
            let color = if n.ok {
                ui.visuals().text_color()
            } else {
                ui.visuals().error_fg_color
            };
            ui.colored_label(color, &n.headline);
            if ui.button("Dismiss").clicked() {
                dismiss = true;
            }
        });
        for d in &n.details {
            ui.label(d);
        }
        if dismiss {
            flow.dismiss();
        }
    }
    ui.add_space(4.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::import_flow::ImportNotice;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn an_outcome_stays_until_dismissed() {
        let flow = ImportFlow {
            pending: None,
            notice: Some(ImportNotice {
                ok: false,
                headline: "Could not import big.zip: unpacks to more than 64 MiB".into(),
                details: Vec::new(),
                problems: Vec::new(),
            }),
        };
        let mut h = Harness::builder()
            .with_size(egui::vec2(900.0, 200.0))
            .build_ui_state(
                |u, flow: &mut ImportFlow| super::ui(u, flow, &mut Vec::new()),
                flow,
            );
        for _ in 0..5 {
            h.run();
        }
        h.get_by_label_contains("unpacks to more than 64 MiB");
        h.get_by_label("Dismiss").click();
        h.run();
        assert!(h.state().notice.is_none());
        assert!(h.query_by_label_contains("64 MiB").is_none());
    }
}
