//! Diagrams (SVG, PNG, …) from untrusted decks: checked and decoded under bounds.
//!
//! Both `check` and the window's image loader go through [`inspect`] and [`rasterize`], so an
//! image `check` accepts is one the app can draw, and one it refuses becomes a placeholder,
//! never a panic, an abort or a read outside the deck. SVG `<image href>` and other external
//! references are never resolved: the renderer is given resolvers that refuse them all.

use resvg::tiny_skia;
use resvg::usvg::{self, roxmltree};
use std::sync::{Arc, OnceLock};

/// Longest side of a decoded image, in pixels (also the most an SVG is drawn at).
pub const MAX_IMAGE_SIDE: u32 = 4096;
/// Deepest element nesting of an SVG (usvg and resvg recurse once per level).
pub const MAX_SVG_DEPTH: usize = 64;
/// Most XML nodes in an SVG, counting what `<use>` copies.
pub const MAX_SVG_NODES: usize = 20_000;

/// Why an image cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    /// A raster image larger than [`MAX_IMAGE_SIDE`] on a side.
    #[error("image is {width}×{height} px; at most {MAX_IMAGE_SIDE} px on the long side are shown")]
    TooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// SVG elements nested deeper than [`MAX_SVG_DEPTH`].
    #[error("SVG nests elements {0} levels deep; at most {MAX_SVG_DEPTH} are drawn")]
    TooDeep(usize),
    /// More than [`MAX_SVG_NODES`] nodes.
    #[error("SVG has more than {MAX_SVG_NODES} elements (counting what `<use>` copies)")]
    TooManyNodes,
    /// A `<use>` whose target holds another `<use>` (copies of copies grow exponentially).
    #[error("SVG `<use>` refers to an element that holds another `<use>`")]
    NestedUse,
    /// Not decodable.
    #[error("image cannot be read: {0}")]
    Unreadable(String),
}

impl ImageProblem {
    /// What the author should do.
    pub fn hint(&self) -> &'static str {
        match self {
            ImageProblem::TooLarge { .. } => "scale the image down to at most 4096 px",
            ImageProblem::TooDeep(_) | ImageProblem::TooManyNodes | ImageProblem::NestedUse => {
                "simplify the diagram (flatten groups, fewer copies)"
            }
            ImageProblem::Unreadable(_) => "re-export the image as SVG or PNG",
        }
    }
}

/// What [`inspect`] learnt about an image that can be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageInfo {
    /// Natural width in pixels (SVG: its declared size).
    pub width: f32,
    /// Natural height in pixels.
    pub height: f32,
    /// SVG references to other files or URLs (never loaded), for a warning.
    pub external_refs: Vec<String>,
}

/// Decoded pixels, premultiplied RGBA for SVG and straight RGBA for raster images.
#[derive(Debug, Clone)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
    /// Whether `rgba` is premultiplied by alpha.
    pub premultiplied: bool,
}

/// True when `name` (a path or URI) ends in `.svg`.
pub fn is_svg(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("svg"))
}

/// Checks an image without decoding its pixels: raster header size, SVG nesting, node count and
/// declared size, and lists an SVG's external references.
pub fn inspect(name: &str, bytes: &[u8]) -> Result<ImageInfo, ImageProblem> {
    if is_svg(name) {
        // The size needs no text laid out: no fonts (loading and shaping them cost the
        // library load most of a second per process).
        let tree = parse_svg_with(bytes, Arc::new(usvg::fontdb::Database::new()))?;
        let (external_refs, _) = svg_structure(bytes)?;
        Ok(ImageInfo {
            width: tree.size().width(),
            height: tree.size().height(),
            external_refs,
        })
    } else {
        let (width, height) = raster_size(bytes)?;
        Ok(ImageInfo {
            width: width as f32,
            height: height as f32,
            external_refs: Vec::new(),
        })
    }
}

/// The size an SVG is wanted at (raster images are always decoded at their own size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Want {
    /// Its own size times this factor.
    Scale(f32),
    /// This width, keeping the aspect ratio.
    Width(u32),
    /// This height, keeping the aspect ratio.
    Height(u32),
    /// This box; `keep_aspect` fits inside it instead of stretching.
    Size {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Fit inside the box keeping the aspect ratio.
        keep_aspect: bool,
    },
}

impl Want {
    /// Width and height for an image whose own size is `w`×`h`.
    fn apply(self, w: f32, h: f32) -> (f32, f32) {
        let (w, h) = (finite_or(w, 1.0).max(1.0), finite_or(h, 1.0).max(1.0));
        match self {
            Want::Scale(s) => (w * s, h * s),
            Want::Width(x) => (x as f32, h * x as f32 / w),
            Want::Height(y) => (w * y as f32 / h, y as f32),
            Want::Size {
                width,
                height,
                keep_aspect: false,
            } => (width as f32, height as f32),
            Want::Size { width, height, .. } => {
                let s = (width as f32 / w).min(height as f32 / h);
                (w * s, h * s)
            }
        }
    }
}

/// Decodes an image. SVG is drawn at `want`, scaled down so the long side is at most
/// `max_side` (itself capped at [`MAX_IMAGE_SIDE`]). Raster images larger than that are
/// refused, as [`inspect`] does.
pub fn rasterize(
    name: &str,
    bytes: &[u8],
    want: Want,
    max_side: u32,
) -> Result<Raster, ImageProblem> {
    let max_side = max_side.clamp(1, MAX_IMAGE_SIDE);
    if is_svg(name) {
        let tree = parse_svg(bytes)?;
        let size = tree.size();
        let (w, h) = want.apply(size.width(), size.height());
        let (w, h) = fit(w, h, max_side);
        let mut pixmap = tiny_skia::Pixmap::new(w, h)
            .ok_or_else(|| ImageProblem::Unreadable("empty size".into()))?;
        let transform = tiny_skia::Transform::from_scale(
            w as f32 / size.width().max(f32::MIN_POSITIVE),
            h as f32 / size.height().max(f32::MIN_POSITIVE),
        );
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        Ok(Raster {
            width: w,
            height: h,
            rgba: pixmap.take(),
            premultiplied: true,
        })
    } else {
        let (width, height) = raster_size(bytes)?;
        if width.max(height) > max_side {
            return Err(ImageProblem::TooLarge { width, height });
        }
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| ImageProblem::Unreadable(e.to_string()))?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(max_side);
        limits.max_image_height = Some(max_side);
        limits.max_alloc = Some(u64::from(max_side) * u64::from(max_side) * 8);
        reader.limits(limits);
        let img = reader
            .decode()
            .map_err(|e| ImageProblem::Unreadable(e.to_string()))?
            .to_rgba8();
        Ok(Raster {
            width: img.width(),
            height: img.height(),
            rgba: img.into_raw(),
            premultiplied: false,
        })
    }
}

/// `w`×`h` rounded to whole pixels (at least 1), scaled down so the long side fits `max_side`.
fn fit(w: f32, h: f32, max_side: u32) -> (u32, u32) {
    let (w, h) = (finite_or(w, 1.0).max(1.0), finite_or(h, 1.0).max(1.0));
    let scale = (max_side as f32 / w.max(h)).min(1.0);
    let px = |v: f32| ((v * scale).round() as u32).clamp(1, max_side);
    (px(w), px(h))
}

fn finite_or(v: f32, default: f32) -> f32 {
    if v.is_finite() { v } else { default }
}

/// Header dimensions of a raster image, without decoding it.
fn raster_size(bytes: &[u8]) -> Result<(u32, u32), ImageProblem> {
    let (width, height) = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageProblem::Unreadable(e.to_string()))?
        .into_dimensions()
        .map_err(|e| ImageProblem::Unreadable(e.to_string()))?;
    if width.max(height) > MAX_IMAGE_SIDE {
        return Err(ImageProblem::TooLarge { width, height });
    }
    Ok((width, height))
}

/// Parses an SVG for drawing, after [`svg_structure`] bounded it. External references resolve
/// to nothing, whatever they name.
fn parse_svg(bytes: &[u8]) -> Result<usvg::Tree, ImageProblem> {
    parse_svg_with(bytes, fonts())
}

fn parse_svg_with(
    bytes: &[u8],
    fontdb: Arc<usvg::fontdb::Database>,
) -> Result<usvg::Tree, ImageProblem> {
    svg_structure(bytes)?;
    let mut opt = usvg::Options {
        fontdb,
        ..Default::default()
    };
    opt.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(|_, _, _| None),
        resolve_string: Box::new(|_, _| None),
    };
    usvg::Tree::from_data(bytes, &opt).map_err(|e| ImageProblem::Unreadable(e.to_string()))
}

/// System fonts, loaded once per process (scanning the font folders takes a while).
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            Arc::new(db)
        })
        .clone()
}

/// Walks the SVG's XML without recursion: nesting depth, node count (with `<use>` copies) and
/// the external references. Returns (external references, nodes).
fn svg_structure(bytes: &[u8]) -> Result<(Vec<String>, usize), ImageProblem> {
    let text = svg_text(bytes)?;
    // The XML parser recurses once per level: measure the nesting before it runs.
    let depth = tag_depth(&text);
    if depth > MAX_SVG_DEPTH {
        return Err(ImageProblem::TooDeep(depth));
    }
    // Entities can expand into elements the scan above does not see; diagrams need none.
    if text.contains("<!ENTITY") {
        return Err(ImageProblem::Unreadable(
            "SVG declares XML entities, which are not supported".into(),
        ));
    }
    let opt = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_SVG_NODES as u32,
    };
    let doc = roxmltree::Document::parse_with_options(&text, opt).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => ImageProblem::TooManyNodes,
        e => ImageProblem::Unreadable(e.to_string()),
    })?;
    let mut nodes = 0usize;
    let mut external = Vec::new();
    let mut ids = std::collections::HashMap::new();
    let mut uses = Vec::new();
    // Pre-order, so a node's parent has its depth already (node ids are in document order).
    let mut depths: Vec<usize> = Vec::new();
    for n in doc.root().descendants() {
        nodes += 1;
        let depth = n
            .parent()
            .and_then(|p| depths.get(p.id().get_usize()).copied())
            .map_or(0, |d| d + 1);
        let i = n.id().get_usize();
        if depths.len() <= i {
            depths.resize(i + 1, 0);
        }
        depths[i] = depth;
        if depth > MAX_SVG_DEPTH {
            return Err(ImageProblem::TooDeep(depth));
        }
        if !n.is_element() {
            continue;
        }
        if let Some(id) = n.attribute("id") {
            ids.insert(id, n);
        }
        for a in n.attributes() {
            if a.name() == "href" {
                let v = a.value().trim();
                if let Some(id) = v.strip_prefix('#') {
                    if n.tag_name().name() == "use" {
                        uses.push(id);
                    }
                } else if !v.starts_with("data:") && external.len() < 20 {
                    external.push(v.chars().take(120).collect());
                }
            } else if let Some(u) = outside_url(a.value()) {
                // `url(file.svg#x)` in styles is another way out; usvg ignores it, check says so.
                if external.len() < 20 {
                    external.push(u);
                }
            }
        }
    }
    for id in uses {
        let Some(target) = ids.get(id) else { continue };
        let mut copied = 0usize;
        for d in target.descendants() {
            if d.is_element() && d.tag_name().name() == "use" {
                return Err(ImageProblem::NestedUse);
            }
            copied += 1;
        }
        nodes = nodes.saturating_add(copied);
        if nodes > MAX_SVG_NODES {
            return Err(ImageProblem::TooManyNodes);
        }
    }
    Ok((external, nodes))
}

/// Deepest element nesting of an XML text, by a scan without recursion: start tags open a
/// level, end tags close one; comments, CDATA, processing instructions and declarations are
/// skipped, and quoted attribute values may hold `>`.
fn tag_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    let skip_to = |from: usize, end: &str| {
        text[from..]
            .find(end)
            .map_or(b.len(), |p| from + p + end.len())
    };
    while let Some(p) = text[i..].find('<') {
        i += p;
        let rest = &text[i..];
        if rest.starts_with("<!--") {
            i = skip_to(i + 4, "-->");
        } else if rest.starts_with("<![CDATA[") {
            i = skip_to(i + 9, "]]>");
        } else if rest.starts_with("<?") {
            i = skip_to(i + 2, "?>");
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            i = skip_to(i + 2, ">");
        } else if rest.starts_with("<!") {
            // A declaration; its internal subset `[ … ]` may hold `>`.
            let head = &rest[..rest.find('>').unwrap_or(rest.len())];
            i = skip_to(i + 2, if head.contains('[') { "]>" } else { ">" });
        } else {
            // A start tag: find its end outside quotes.
            let mut j = i + 1;
            let mut quote = 0u8;
            while j < b.len() {
                let c = b[j];
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'>' {
                    break;
                }
                j += 1;
            }
            if j >= b.len() || b[j - 1] != b'/' {
                depth += 1;
                max = max.max(depth);
            }
            i = j.saturating_add(1).min(b.len());
        }
    }
    max
}

/// The SVG as text (usvg also accepts gzip-compressed SVGZ: inflate it, bounded).
fn svg_text(bytes: &[u8]) -> Result<String, ImageProblem> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(ImageProblem::Unreadable(
            "compressed SVG (svgz) is not supported".into(),
        ));
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ImageProblem::Unreadable("SVG is not UTF-8 text".into()))
}

/// A `url(…)` in an attribute that points at another file rather than `#id` in this one.
fn outside_url(value: &str) -> Option<String> {
    let start = value.find("url(")? + 4;
    let rest = &value[start..];
    let inner = rest[..rest.find(')')?].trim().trim_matches(['"', '\'']);
    (!inner.starts_with('#') && !inner.is_empty()).then(|| inner.chars().take(120).collect())
}

#[cfg(test)]
pub(crate) mod tests;
