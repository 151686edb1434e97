//! Card Markdown on screen: egui_commonmark, with images served only from the deck library.
//!
//! Image URLs are rewritten to `bytes://deck/<hash>.<ext>` and their bytes are handed to
//! egui by the library's safe asset reader; the only image loader installed
//! ([`super::image_loader`]) serves those URIs and nothing else, so a deck can never make the
//! app read outside its folder or fetch from the network. A refused or missing image becomes
//! its alt text marked "(image not loaded)".

use crate::deck::Library;
use crate::deck::markdown::rewrite_images;
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};
use std::collections::HashMap;

/// Renders Markdown of cards; keeps the parsed-image cache between frames.
#[derive(Default)]
pub struct MarkdownView {
    cache: CommonMarkCache,
    /// (deck id, source text) ⏵ text with image URLs rewritten.
    rewritten: HashMap<(String, String), String>,
}

impl MarkdownView {
    /// Shows `text` from deck `deck_id`, images scaled to the available width.
    pub fn show(&mut self, ui: &mut egui::Ui, library: &Library, deck_id: &str, text: &str) {
        let key = (deck_id.to_string(), text.to_string());
        if !self.rewritten.contains_key(&key) {
            let ctx = ui.ctx().clone();
            super::image_loader::install(&ctx);
            let out = rewrite_images(text, |url| {
                let bytes = library.read_asset(deck_id, url).ok()?;
                // The content's hash is part of the URI, so an image edited on disk is shown
                // anew after a reload instead of egui's cached texture of the old file. Only
                // the extension of the author's path is kept: the URI needs no escaping.
                let version = {
                    use std::hash::{Hash, Hasher};
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    (deck_id, url, &bytes).hash(&mut h);
                    h.finish()
                };
                let ext = if crate::deck::diagram::is_svg(url) {
                    "svg"
                } else {
                    "img"
                };
                let uri = format!("{}{version:016x}.{ext}", super::image_loader::URI_PREFIX);
                ctx.include_bytes(uri.clone(), bytes);
                Some(uri)
            });
            // Bound the memo: a long session browsing thousands of cards should not grow forever.
            if self.rewritten.len() > 2_000 {
                self.rewritten.clear();
            }
            self.rewritten.insert(key.clone(), out);
        }
        let shown = self.rewritten.get(&key).map_or(text, String::as_str);
        let width = ui.available_width().max(100.0) as usize;
        CommonMarkViewer::new()
            .max_image_width(Some(width))
            .explicit_image_uri_scheme(true)
            .show(ui, &mut self.cache, shown);
    }

    /// Forgets rewritten texts (after a deck reload, when image files may have changed).
    pub fn clear(&mut self) {
        self.rewritten.clear();
    }
}
