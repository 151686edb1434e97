//! Colours, spacing and the theme preference.

use crate::app::prefs::ThemePref;

/// Sets examdeck's calmer spacing and slightly larger text; call once at start.
pub fn init_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
        for (_, font) in style.text_styles.iter_mut() {
            font.size *= 1.08;
        }
    });
    // egui fades weak text to 60 % of the body colour: 2.9:1 on the light panel and 2.7:1 on
    // the dark one, below what a hint needs. Solid greys keep it visibly secondary at 5.6:1
    // and 4:1 (`tests/ui_theme.rs` measures every text drawn on Home and Study).
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.weak_text_color = Some(egui::Color32::from_gray(100));
    });
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.weak_text_color = Some(egui::Color32::from_gray(120));
    });
}

/// Applies the theme preference.
pub fn apply(ctx: &egui::Context, pref: ThemePref) {
    ctx.set_theme(match pref {
        ThemePref::System => egui::ThemePreference::System,
        ThemePref::Light => egui::ThemePreference::Light,
        ThemePref::Dark => egui::ThemePreference::Dark,
    });
}

/// Accent for "new" counts.
pub const NEW: egui::Color32 = egui::Color32::from_rgb(0x3b, 0x82, 0xf6);
/// Accent for "learning" counts.
pub const LEARNING: egui::Color32 = egui::Color32::from_rgb(0xe1, 0x6a, 0x1d);
/// Accent for "due" counts.
pub const DUE: egui::Color32 = egui::Color32::from_rgb(0x16, 0xa3, 0x4a);
