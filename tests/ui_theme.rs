//! Light and dark theme contrast of what Home and Study draw: every text colour in the frame's
//! shapes is measured against the panel fill of the theme (WCAG contrast ratio), so a colour
//! that vanishes on one theme fails here instead of only being seen by eye.

use chrono::{DateTime, TimeZone, Utc};
use egui::{Color32, Shape, Theme};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use examdeck::app::core::AppCore;
use examdeck::deck::DeckSource;
use examdeck::learner::StudyScope;
use examdeck::ui::{Action, ExamdeckApp, Screen};

/// WCAG 2 minimum for large text and interface parts; body text of egui's themes is far above.
const MIN_CONTRAST: f32 = 3.0;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn harness(theme: Theme) -> Harness<'static, ExamdeckApp> {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ui");
    let core = AppCore::in_memory(vec![DeckSource::Path(ui)], now()).expect("open in memory");
    let app = ExamdeckApp::new(core);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .with_theme(theme)
        .build_ui_state(|ui, app: &mut ExamdeckApp| app.frame(ui), app);
    // The app's own style, as the window sets it at start.
    examdeck::ui::theme::init_style(&h.ctx);
    h.run();
    h
}

fn linear(c: u8) -> f32 {
    let c = f32::from(c) / 255.0;
    if c <= 0.040_45 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn luminance(c: Color32) -> f32 {
    0.2126 * linear(c.r()) + 0.7152 * linear(c.g()) + 0.0722 * linear(c.b())
}

/// Contrast of `fg` (with its alpha, blended over `bg`) against `bg`.
fn contrast(fg: Color32, bg: Color32) -> f32 {
    let a = f32::from(fg.a()) / 255.0;
    // Colour32 is premultiplied: blending over an opaque background is fg + bg·(1−a).
    let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * (1.0 - a)).round().min(255.0) as u8;
    let shown = Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    );
    let (l1, l2) = (luminance(shown), luminance(bg));
    (l1.max(l2) + 0.05) / (l1.min(l2) + 0.05)
}

/// Every (colour, text) drawn in the last frame.
fn texts(h: &Harness<'static, ExamdeckApp>) -> Vec<(Color32, String)> {
    fn walk(shape: &Shape, out: &mut Vec<(Color32, String)>) {
        match shape {
            Shape::Vec(v) => v.iter().for_each(|s| walk(s, out)),
            Shape::Text(t) => {
                let job = &t.galley.job;
                for s in &job.sections {
                    let range = s.byte_range.start.0..s.byte_range.end.0;
                    let text = job.text.get(range).unwrap_or_default().trim().to_string();
                    if text.is_empty() {
                        continue;
                    }
                    let mut c = t.override_text_color.unwrap_or(s.format.color);
                    if c == Color32::PLACEHOLDER {
                        c = t.fallback_color;
                    }
                    out.push((c.gamma_multiply(t.opacity_factor), text));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for cs in &h.output().shapes {
        walk(&cs.shape, &mut out);
    }
    out
}

fn check(h: &Harness<'static, ExamdeckApp>, theme: Theme, screen: &str) {
    let bg = h.ctx.style_of(theme).visuals.panel_fill;
    let drawn = texts(h);
    assert!(
        drawn.len() > 10,
        "{screen}: too little text drawn to judge ({drawn:?})"
    );
    let poor: Vec<String> = drawn
        .iter()
        .filter(|(c, _)| contrast(*c, bg) < MIN_CONTRAST)
        .map(|(c, t)| format!("{t:?} {c:?} contrast {:.2}", contrast(*c, bg)))
        .collect();
    assert!(
        poor.is_empty(),
        "{screen} in {theme:?} theme: text below {MIN_CONTRAST}:1 against {bg:?}: {poor:#?}"
    );
}

#[test]
fn the_contrast_measure_tells_readable_from_unreadable() {
    assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
    assert!(contrast(Color32::from_gray(230), Color32::WHITE) < MIN_CONTRAST);
    // Half-transparent black over white is a mid grey.
    let half = Color32::from_black_alpha(128);
    assert!(contrast(half, Color32::WHITE) < contrast(Color32::BLACK, Color32::WHITE));
}

#[test]
fn home_is_readable_in_light_and_dark() {
    for theme in [Theme::Light, Theme::Dark] {
        let h = harness(theme);
        assert_eq!(h.state().screen, Screen::Home);
        h.get_by_label("Study now");
        check(&h, theme, "Home");
    }
}

#[test]
fn study_is_readable_in_light_and_dark() {
    for theme in [Theme::Light, Theme::Dark] {
        let mut h = harness(theme);
        h.state_mut().apply(Action::Study(StudyScope::All));
        h.run();
        assert_eq!(h.state().screen, Screen::Study);
        check(&h, theme, "Study (question)");
        // Reveal the answer or feedback too: its colours differ.
        h.key_press(egui::Key::Space);
        h.run();
        check(&h, theme, "Study (answer)");
    }
}
