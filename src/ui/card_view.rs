//! Drawing one card: its prompt, the question's options, and after answering the feedback
//! with every option's `why` and the explanation. Shared by study, browse and mock exams.

use super::markdown::MarkdownView;
use crate::app::question::QuestionInput;
use crate::deck::{Card, CardBody, Library, cloze};

/// Letters shown before options; keys A–I and 1–9 pick them.
pub const LETTERS: [&str; 9] = ["A", "B", "C", "D", "E", "F", "G", "H", "I"];

/// Keys 1–9, picking options by number.
pub const DIGIT_KEYS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

/// Keys A–I, picking options by letter.
pub const LETTER_KEYS: [egui::Key; 9] = [
    egui::Key::A,
    egui::Key::B,
    egui::Key::C,
    egui::Key::D,
    egui::Key::E,
    egui::Key::F,
    egui::Key::G,
    egui::Key::H,
    egui::Key::I,
];

/// The option a key press picks this frame (1–9 or A–I), as a display position.
pub fn picked_option(input: &egui::InputState) -> Option<usize> {
    DIGIT_KEYS
        .iter()
        .position(|k| input.key_pressed(*k))
        .or_else(|| LETTER_KEYS.iter().position(|k| input.key_pressed(*k)))
}

/// Which card, from which deck, and which cloze item.
#[derive(Clone, Copy)]
pub struct CardRef<'a> {
    /// The library (for images).
    pub library: &'a Library,
    /// The card's deck id.
    pub deck_id: &'a str,
    /// The card.
    pub card: &'a Card,
    /// Cloze number, 0 for other kinds.
    pub ord: u16,
}

/// Shows the prompt (for cloze: the text with this item's gap hidden unless `revealed`).
pub fn prompt(ui: &mut egui::Ui, md: &mut MarkdownView, r: CardRef, revealed: bool) {
    let text = match r.card.body {
        CardBody::Cloze { .. } => cloze::render(&r.card.prompt, r.ord, revealed),
        _ => r.card.prompt.clone(),
    };
    md.show(ui, r.library, r.deck_id, &text);
}

/// Shows a flashcard's answer side (basic: the answer; cloze: nothing more, the gap is filled).
pub fn answer(ui: &mut egui::Ui, md: &mut MarkdownView, r: CardRef) {
    if let CardBody::Basic { answer } = &r.card.body {
        ui.separator();
        md.show(ui, r.library, r.deck_id, answer);
    }
}

/// Shows the explanation, if any.
pub fn explanation(ui: &mut egui::Ui, md: &mut MarkdownView, r: CardRef) {
    if let Some(e) = &r.card.explanation {
        ui.separator();
        ui.label(egui::RichText::new("Explanation").strong());
        md.show(ui, r.library, r.deck_id, e);
    }
}

/// Lays out a card the way it reads best: a centred column at most ~70 characters wide, with
/// text a size larger than the chrome around it (it scales further with the zoom).
pub fn column<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let width = ui.available_width().min(860.0);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            for (style, font) in ui.style_mut().text_styles.iter_mut() {
                if matches!(
                    style,
                    egui::TextStyle::Body | egui::TextStyle::Button | egui::TextStyle::Monospace
                ) {
                    font.size *= 1.2;
                }
            }
            add(ui)
        })
        .inner
    })
    .inner
}

/// Plain text of a short Markdown snippet, for option labels.
pub fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "").trim().to_string()
}

/// The options of a question, editable unless `locked`. Returns true if the input changed.
pub fn options(ui: &mut egui::Ui, card: &Card, input: &mut QuestionInput, locked: bool) -> bool {
    let before = input.clone();
    ui.add_enabled_ui(!locked, |ui| match (&card.body, &mut *input) {
        (
            CardBody::Single { choices } | CardBody::Multiple { choices, .. },
            QuestionInput::Choices {
                order,
                selected,
                select,
            },
        ) => {
            if *select > 1 {
                ui.label(egui::RichText::new(format!("Choose {select}.")).italics());
            }
            let mut clicked = None;
            for (pos, &ci) in order.iter().enumerate() {
                let label = format!(
                    "{}. {}",
                    LETTERS.get(pos).unwrap_or(&"?"),
                    plain(&choices[ci].text)
                );
                let resp = if *select == 1 {
                    ui.radio(selected[ci], label)
                } else {
                    ui.checkbox(&mut selected[ci].clone(), label)
                };
                if resp.clicked() {
                    clicked = Some(pos);
                }
            }
            if let Some(pos) = clicked {
                input.pick_position(pos);
            }
        }
        (CardBody::TrueFalse { .. }, QuestionInput::TrueFalse(v)) => {
            let mut pick = None;
            ui.horizontal(|ui| {
                if ui.radio(*v == Some(true), "A. True").clicked() {
                    pick = Some(0);
                }
                if ui.radio(*v == Some(false), "B. False").clicked() {
                    pick = Some(1);
                }
            });
            if let Some(p) = pick {
                input.pick_position(p);
            }
        }
        (
            CardBody::Order { steps },
            QuestionInput::Order {
                arrangement,
                cursor,
                ..
            },
        ) => {
            ui.label(egui::RichText::new("Drag the steps, or select one and press ⏶/⏷.").weak());
            let mut action = None;
            for (pos, &si) in arrangement.iter().enumerate() {
                ui.horizontal(|ui| {
                    if ui.small_button("⏶").on_hover_text("Move up").clicked() {
                        action = Some((pos, pos.saturating_sub(1)));
                    }
                    if ui.small_button("⏷").on_hover_text("Move down").clicked() {
                        action = Some((pos, (pos + 1).min(arrangement.len() - 1)));
                    }
                    let text = format!("{}. {}", pos + 1, plain(&steps[si]));
                    let resp = ui.add(
                        egui::Button::selectable(*cursor == pos, text)
                            .sense(egui::Sense::click_and_drag()),
                    );
                    if resp.clicked() {
                        action = Some((pos, pos));
                    }
                    if let Some(payload) = resp.dnd_hover_payload::<usize>()
                        && resp.dnd_release_payload::<usize>().is_some()
                    {
                        action = Some((*payload, pos));
                    }
                    resp.dnd_set_drag_payload(pos);
                });
            }
            if let Some((from, to)) = action {
                input.move_step(from, to);
            }
        }
        (
            CardBody::Match { pairs },
            QuestionInput::Match {
                right_order,
                picks,
                active_left,
            },
        ) => {
            ui.label(egui::RichText::new("Pick a left item, then its match.").weak());
            let mut select_left = None;
            let mut pair_with = None;
            egui::Grid::new(("match", &card.id))
                .num_columns(2)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    for (li, p) in pairs.iter().enumerate() {
                        let chosen = picks[li]
                            .map(|r| plain(&pairs[r].right))
                            .unwrap_or_else(|| "—".into());
                        let text = format!("{}. {}  ⏵  {}", li + 1, plain(&p.left), chosen);
                        if ui
                            .selectable_label(*active_left == Some(li), text)
                            .clicked()
                        {
                            select_left = Some(li);
                        }
                        if let Some(&ri) = right_order.get(li) {
                            let used = picks.contains(&Some(ri));
                            let label = format!(
                                "{}. {}",
                                LETTERS.get(li).unwrap_or(&"?"),
                                plain(&pairs[ri].right)
                            );
                            if ui.add(egui::Button::selectable(used, label)).clicked() {
                                pair_with = Some(li);
                            }
                        }
                        ui.end_row();
                    }
                });
            if let Some(li) = select_left {
                input.pick_position(li);
            }
            if let Some(pos) = pair_with
                && let QuestionInput::Match {
                    active_left: Some(left),
                    ..
                } = input
            {
                let left = *left;
                input.pair(left, pos);
            }
        }
        _ => {}
    });
    *input != before
}

/// The answer key of a question, with every option's `why` (browsing, not answering).
pub fn solution(ui: &mut egui::Ui, md: &mut MarkdownView, r: CardRef) {
    let good = egui::Color32::from_rgb(0x2e, 0xa0, 0x43);
    match &r.card.body {
        CardBody::Single { choices } | CardBody::Multiple { choices, .. } => {
            for (i, c) in choices.iter().enumerate() {
                let text = format!("{}. {}", LETTERS.get(i).unwrap_or(&"?"), plain(&c.text));
                let label = if c.correct {
                    egui::RichText::new(format!("✔ {text}"))
                        .color(good)
                        .strong()
                } else {
                    egui::RichText::new(text)
                };
                ui.label(label);
                if let Some(why) = &c.why {
                    ui.indent(("why", i), |ui| md.show(ui, r.library, r.deck_id, why));
                }
            }
        }
        CardBody::TrueFalse { answer } => {
            ui.label(
                egui::RichText::new(if *answer { "✔ True" } else { "✔ False" })
                    .color(good)
                    .strong(),
            );
        }
        CardBody::Order { steps } => {
            for (i, s) in steps.iter().enumerate() {
                ui.label(format!("{}. {}", i + 1, plain(s)));
            }
        }
        CardBody::Match { pairs } => {
            for p in pairs {
                ui.label(format!("{} — {}", plain(&p.left), plain(&p.right)));
            }
        }
        CardBody::Basic { .. } | CardBody::Cloze { .. } => {}
    }
    explanation(ui, md, r);
}

/// After answering: what was right, what the learner chose, and every option's `why`.
pub fn feedback(ui: &mut egui::Ui, md: &mut MarkdownView, r: CardRef, input: &QuestionInput) {
    let ok = ui.visuals().widgets.noninteractive.fg_stroke.color;
    let good = egui::Color32::from_rgb(0x2e, 0xa0, 0x43);
    let bad = ui.visuals().error_fg_color;
    match (&r.card.body, input) {
        (
            CardBody::Single { choices } | CardBody::Multiple { choices, .. },
            QuestionInput::Choices {
                order, selected, ..
            },
        ) => {
            for (pos, &ci) in order.iter().enumerate() {
                let c = &choices[ci];
                let (mark, color) = match (c.correct, selected[ci]) {
                    (true, true) => ("✔ your answer, correct", good),
                    (true, false) => ("✔ correct answer", good),
                    (false, true) => ("✖ your answer, wrong", bad),
                    (false, false) => ("", ok),
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        egui::RichText::new(format!("{}.", LETTERS.get(pos).unwrap_or(&"?")))
                            .strong()
                            .color(color),
                    );
                    ui.label(egui::RichText::new(plain(&c.text)).color(color));
                    if !mark.is_empty() {
                        ui.label(egui::RichText::new(mark).small().color(color));
                    }
                });
                if let Some(why) = &c.why {
                    ui.indent(("why", ci), |ui| md.show(ui, r.library, r.deck_id, why));
                }
            }
        }
        (CardBody::TrueFalse { answer }, QuestionInput::TrueFalse(v)) => {
            let right = if *answer { "True" } else { "False" };
            let yours = v.map_or("no answer", |b| if b { "True" } else { "False" });
            let color = if *v == Some(*answer) { good } else { bad };
            ui.label(
                egui::RichText::new(format!("The statement is {right}. Your answer: {yours}."))
                    .color(color),
            );
        }
        (CardBody::Order { steps }, QuestionInput::Order { arrangement, .. }) => {
            ui.label(egui::RichText::new("Correct order").strong());
            for (i, s) in steps.iter().enumerate() {
                let color = if arrangement.get(i) == Some(&i) {
                    good
                } else {
                    bad
                };
                let yours = arrangement
                    .iter()
                    .position(|&x| x == i)
                    .map_or(0, |p| p + 1);
                ui.label(
                    egui::RichText::new(format!(
                        "{}. {}   (you put it at {yours})",
                        i + 1,
                        plain(s)
                    ))
                    .color(color),
                );
            }
        }
        (CardBody::Match { pairs }, QuestionInput::Match { picks, .. }) => {
            ui.label(egui::RichText::new("Correct pairs").strong());
            for (i, p) in pairs.iter().enumerate() {
                let color = if picks[i] == Some(i) { good } else { bad };
                let yours = picks[i]
                    .map(|r| plain(&pairs[r].right))
                    .unwrap_or_else(|| "nothing".into());
                ui.label(
                    egui::RichText::new(format!(
                        "{} ⏵ {}   (you: {yours})",
                        plain(&p.left),
                        plain(&p.right)
                    ))
                    .color(color),
                );
            }
        }
        _ => {}
    }
    explanation(ui, md, r);
}
