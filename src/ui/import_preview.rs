//! The import window for Anki packages and CSV files: progress while reading, the preview
//! (decks with cards by kind, images, warnings, history) with Import / Cancel, progress while
//! writing, then the summary.

use crate::app::import_preview::{ImportFlow, Stage};

/// What the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowAction {
    /// Write the previewed decks.
    Confirm,
    /// Close the window (cancel before writing, or dismiss the summary).
    Close,
}

/// Draws the flow's current stage.
pub fn ui(flow: &mut ImportFlow, ui: &mut egui::Ui) -> Option<FlowAction> {
    let mut action = None;
    ui.label(egui::RichText::new(flow.path.display().to_string()).weak());
    ui.separator();
    match &flow.stage {
        Stage::Reading(p) | Stage::Writing(p) => {
            ui.label(format!("{}…", capitalise(p.stage)));
            ui.add(egui::ProgressBar::new(p.fraction()).show_percentage());
        }
        Stage::Failed(e) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not imported: {e}"));
            ui.label("Nothing was written.");
            if ui.button("Close").clicked() {
                action = Some(FlowAction::Close);
            }
        }
        Stage::Done(summary) => {
            ui.label(summary);
            if ui.button("Close").clicked() {
                action = Some(FlowAction::Close);
            }
        }
        Stage::Preview(_, preview) => {
            let preview = preview.clone();
            preview_ui(ui, &preview, &mut flow.with_history);
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button("Import").clicked() {
                    action = Some(FlowAction::Confirm);
                }
                if ui.button("Cancel").clicked() {
                    action = Some(FlowAction::Close);
                }
            });
        }
    }
    action
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn preview_ui(ui: &mut egui::Ui, p: &crate::import::Preview, with_history: &mut bool) {
    ui.label(format!(
        "{} deck(s) into the folder \"{}\" of your decks:",
        p.decks.len(),
        p.folder
    ));
    egui::Grid::new("import-decks")
        .striped(true)
        .show(ui, |ui| {
            ui.strong("deck");
            ui.strong("title");
            ui.strong("cards");
            ui.strong("review items");
            ui.end_row();
            for d in &p.decks {
                ui.monospace(&d.id);
                ui.label(&d.title);
                let kinds: Vec<String> = d.cards.iter().map(|(k, n)| format!("{n} {k}")).collect();
                ui.label(kinds.join(", "));
                ui.label(d.items.to_string());
                ui.end_row();
            }
        });
    ui.label(format!("Images: {}", p.media));
    if p.history_in_package > 0 {
        ui.checkbox(
            with_history,
            format!(
                "Import the review history ({} answers; {} manual reschedules skipped)",
                p.history_answers, p.history_skipped
            ),
        );
    } else {
        ui.label("No review history in this file.");
    }
    if !p.warnings.is_empty() {
        egui::CollapsingHeader::new(format!("{} warning(s)", p.warnings.len()))
            .id_salt("import-warnings")
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(160.0)
                    .show(ui, |ui| {
                        for w in &p.warnings {
                            ui.colored_label(ui.visuals().warn_fg_color, w);
                        }
                    });
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::core::AppCore;
    use crate::deck::DeckSource;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn preview_then_confirm_writes_the_decks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/anki/mine.colpkg");
        let plan = crate::import::plan(&fixture, &crate::import::Options::default(), &mut |_| {})
            .expect("plan");
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .expect("date")
            .with_timezone(&chrono::Utc);
        let mut core = AppCore::in_memory(vec![DeckSource::Bundled], now).expect("core");
        core.user_decks = Some(dir.path().to_path_buf());
        let flow = ImportFlow::with_plan(plan);
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1024.0, 800.0))
            .build_ui_state(
                |ui, (flow, core): &mut (ImportFlow, AppCore)| {
                    if ui_with_core(flow, core, ui) == Some(FlowAction::Close) {
                        flow.stage = Stage::Failed("closed".into());
                    }
                },
                (flow, core),
            );
        harness.run();
        harness.get_by_label("security/crypto/kms");
        harness.get_by_label("2 basic, 1 cloze");
        harness.get_by_label_contains("Import the review history (7 answers");
        harness.get_by_label("Import").click();
        harness.run();
        let (flow, core) = harness.state();
        let Stage::Done(summary) = &flow.stage else {
            panic!("not done: {:?}", flow.stage)
        };
        assert!(
            summary.contains("7 answers of history imported"),
            "{summary}"
        );
        assert!(dir.path().join("mine/security.yaml").is_file());
        assert_eq!(
            core.learner
                .store()
                .read()
                .count_imported(crate::store::imported::ANKI_UID_PREFIX)
                .expect("count"),
            7
        );
    }

    fn ui_with_core(
        flow: &mut ImportFlow,
        core: &mut AppCore,
        ui: &mut egui::Ui,
    ) -> Option<FlowAction> {
        let a = super::ui(flow, ui);
        if a == Some(FlowAction::Confirm) {
            flow.confirm(core, || {});
        }
        a
    }
}
