//! The only image loader the window installs: `bytes://deck/…` URIs, whose bytes the
//! Markdown view took from the library's safe asset reader (`ctx.include_bytes`).
//!
//! egui_extras' loaders are not installed: its `file://` loader reads any path a card names and
//! its SVG loader follows `<image href>` anywhere on disk. Decoding goes through
//! [`crate::deck::diagram`] (bounded size, depth and node count, no external references) on a
//! background thread, so a hostile image costs the UI thread nothing; a refused one is shown
//! as egui's error placeholder with the reason as its tooltip.

use crate::deck::diagram::{self, Want};
use egui::load::{BytesPoll, ImageLoadResult, ImageLoader, ImagePoll, LoadError, SizeHint};
use egui::mutex::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// URIs this loader serves; [`crate::ui::markdown`] makes them.
pub const URI_PREFIX: &str = "bytes://deck/";

/// Installs the deck image loader (once per context).
pub fn install(ctx: &egui::Context) {
    if !ctx.is_loader_installed(DeckImageLoader::ID) {
        ctx.add_image_loader(Arc::new(DeckImageLoader::default()));
    }
}

#[derive(Clone)]
enum State {
    Pending,
    Ready(Arc<egui::ColorImage>),
    Failed(String),
}

struct Entry {
    state: State,
    last_used: u64,
}

type Cache = HashMap<String, HashMap<SizeHint, Entry>>;

/// Decodes deck images off the UI thread, under [`crate::deck::diagram`]'s bounds.
#[derive(Default)]
pub struct DeckImageLoader {
    cache: Arc<Mutex<Cache>>,
    pass: Mutex<u64>,
}

impl DeckImageLoader {
    /// Loader id for egui.
    pub const ID: &'static str = egui::generate_loader_id!(DeckImageLoader);
}

fn want(hint: SizeHint) -> Want {
    match hint {
        SizeHint::Scale(s) => Want::Scale(s.into_inner()),
        SizeHint::Width(w) => Want::Width(w),
        SizeHint::Height(h) => Want::Height(h),
        SizeHint::Size {
            width,
            height,
            maintain_aspect_ratio,
        } => Want::Size {
            width,
            height,
            keep_aspect: maintain_aspect_ratio,
        },
    }
}

impl ImageLoader for DeckImageLoader {
    fn id(&self) -> &str {
        Self::ID
    }

    fn load(&self, ctx: &egui::Context, uri: &str, size_hint: SizeHint) -> ImageLoadResult {
        if !uri.starts_with(URI_PREFIX) {
            return Err(LoadError::NotSupported);
        }
        let pass = *self.pass.lock();
        {
            let mut cache = self.cache.lock();
            if let Some(e) = cache.get_mut(uri).and_then(|b| b.get_mut(&size_hint)) {
                e.last_used = pass;
                return match e.state.clone() {
                    State::Pending => Ok(ImagePoll::Pending { size: None }),
                    State::Ready(image) => Ok(ImagePoll::Ready { image }),
                    State::Failed(why) => Err(LoadError::Loading(why)),
                };
            }
        }
        let bytes = match ctx.try_load_bytes(uri) {
            Ok(BytesPoll::Ready { bytes, .. }) => bytes,
            Ok(BytesPoll::Pending { size }) => return Ok(ImagePoll::Pending { size }),
            Err(e) => return Err(e),
        };
        self.cache.lock().entry(uri.to_owned()).or_default().insert(
            size_hint,
            Entry {
                state: State::Pending,
                last_used: pass,
            },
        );
        let max_side = ctx.input(|i| i.max_texture_side);
        let max_side = u32::try_from(max_side).unwrap_or(u32::MAX);
        let (cache, ctx2, key) = (self.cache.clone(), ctx.clone(), uri.to_owned());
        let spawned = std::thread::Builder::new()
            .name("deck image".into())
            .spawn(move || {
                let state = match diagram::rasterize(&key, &bytes, want(size_hint), max_side) {
                    Ok(r) => {
                        let size = [r.width as usize, r.height as usize];
                        State::Ready(Arc::new(if r.premultiplied {
                            egui::ColorImage::from_rgba_premultiplied(size, &r.rgba)
                        } else {
                            egui::ColorImage::from_rgba_unmultiplied(size, &r.rgba)
                        }))
                    }
                    Err(e) => State::Failed(e.to_string()),
                };
                if let Some(e) = cache
                    .lock()
                    .get_mut(&key)
                    .and_then(|b| b.get_mut(&size_hint))
                {
                    e.state = state;
                }
                ctx2.request_repaint();
            });
        if spawned.is_err() {
            return Err(LoadError::Loading("cannot start a decoding thread".into()));
        }
        Ok(ImagePoll::Pending { size: None })
    }

    fn forget(&self, uri: &str) {
        self.cache.lock().remove(uri);
    }

    fn forget_all(&self) {
        self.cache.lock().clear();
    }

    fn end_pass(&self, pass_index: u64) {
        *self.pass.lock() = pass_index;
        // An SVG in a resizable column is drawn at many sizes: keep only the ones in use.
        self.cache.lock().retain(|_, bucket| {
            if bucket.len() >= 2 {
                bucket.retain(|_, e| {
                    matches!(e.state, State::Pending) || pass_index <= e.last_used + 1
                });
            }
            !bucket.is_empty()
        });
    }

    fn byte_size(&self) -> usize {
        self.cache
            .lock()
            .values()
            .flat_map(|b| b.values())
            .map(|e| match &e.state {
                State::Ready(img) => img.pixels.len() * 4,
                State::Failed(why) => why.len(),
                State::Pending => 0,
            })
            .sum()
    }

    fn has_pending(&self) -> bool {
        self.cache
            .lock()
            .values()
            .flat_map(|b| b.values())
            .any(|e| matches!(e.state, State::Pending))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls `uri` until decoding finishes (it runs on a background thread).
    fn load(ctx: &egui::Context, uri: &str) -> Result<Arc<egui::ColorImage>, String> {
        for _ in 0..400 {
            match ctx.try_load_image(uri, SizeHint::default()) {
                Ok(ImagePoll::Ready { image }) => return Ok(image),
                Ok(ImagePoll::Pending { .. }) => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Err("still pending after 4 s".into())
    }

    #[test]
    fn bundled_diagrams_decode_and_hostile_images_become_errors() {
        let ctx = egui::Context::default();
        install(&ctx);
        let svg = crate::deck::library::BUNDLED
            .get_file("aws-security/diagrams/kms-envelope-encryption.svg")
            .expect("bundled diagram")
            .contents();
        ctx.include_bytes("bytes://deck/kms.svg", svg);
        let img = load(&ctx, "bytes://deck/kms.svg").expect("diagram decodes");
        assert!(img.size[0] > 100 && img.size[1] > 50, "{:?}", img.size);

        let wide = crate::deck::diagram::tests::png(17_000, 4);
        ctx.include_bytes("bytes://deck/wide.img", wide);
        let err = load(&ctx, "bytes://deck/wide.img").expect_err("refused");
        assert!(err.contains("17000×4"), "{err}");
    }

    #[test]
    fn no_loader_reads_files_or_urls() {
        let ctx = egui::Context::default();
        install(&ctx);
        let dir = tempfile::tempdir().expect("tempdir");
        let png = dir.path().join("secret.png");
        std::fs::write(&png, crate::deck::diagram::tests::png(4, 4)).expect("write");
        for uri in [
            format!("file://{}", png.display()),
            png.display().to_string(),
            "https://example.com/x.png".to_string(),
        ] {
            assert!(load(&ctx, &uri).is_err(), "{uri} loaded");
        }
    }
}
