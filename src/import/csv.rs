//! CSV/TSV → one deck: Anki's note export (header lines `#separator:`, `#html:`,
//! `#columns:`, `#guid column:`, `#notetype column:`, `#deck column:`, `#tags column:`),
//! Quizlet's `term<TAB>definition` export and a plain `prompt,answer[,tags]` file, read with
//! the `csv` crate. The deck id and title come from the file name (under `--deck-prefix`).

use super::anki::convert::{card_base, deck_id, slug};
use super::error::{ImportError, Result};
use super::html::HtmlConverter;
use super::yaml_out::{CardOut, DeckOut, Kind};
use super::{Options, Plan, folder_name};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Largest CSV file read.
pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;
/// Most rows read.
pub const MAX_ROWS: usize = 200_000;

/// What the `#` header lines said.
#[derive(Debug, Default)]
struct Header {
    separator: Option<u8>,
    html: bool,
    guid: Option<usize>,
    notetype: Option<usize>,
    deck: Option<usize>,
    tags: Option<usize>,
    lines: usize,
}

fn separator(name: &str) -> Option<u8> {
    match name.trim().to_ascii_lowercase().as_str() {
        "tab" | "\t" => Some(b'\t'),
        "comma" | "," => Some(b','),
        "semicolon" | ";" => Some(b';'),
        "space" | " " => Some(b' '),
        "pipe" | "|" => Some(b'|'),
        "colon" | ":" => Some(b':'),
        _ => None,
    }
}

fn header(text: &str) -> Header {
    let mut h = Header::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix('#') else {
            break;
        };
        h.lines += 1;
        let Some((key, value)) = rest.split_once(':') else {
            continue;
        };
        let column = || {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .map(|n| n - 1)
        };
        match key.trim() {
            "separator" => h.separator = separator(value),
            "html" => h.html = value.trim() == "true",
            "guid column" => h.guid = column(),
            "notetype column" => h.notetype = column(),
            "deck column" => h.deck = column(),
            "tags column" => h.tags = column(),
            _ => {}
        }
    }
    h
}

/// Reads a CSV/TSV file into a plan.
pub fn plan(path: &Path, opts: &Options) -> Result<Plan> {
    let meta = std::fs::metadata(path).map_err(ImportError::io(path))?;
    if meta.len() > MAX_CSV_BYTES {
        return Err(ImportError::refused(path, "the file is larger than 64 MiB"));
    }
    let bytes = std::fs::read(path).map_err(ImportError::io(path))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ImportError::refused(
            path,
            format!(
                "not UTF-8 text (byte {}); save it as UTF-8 and import again",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let h = header(text);
    let body: String = text.lines().skip(h.lines).collect::<Vec<_>>().join("\n");
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let sep = h.separator.unwrap_or(if ext == "csv" {
        b','
    } else if first.contains('\t') || !first.contains(',') {
        b'\t'
    } else {
        b','
    });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let default_deck = deck_id(opts.deck_prefix.as_deref(), &stem);
    let html = HtmlConverter::without_images();
    let mut warnings = Vec::new();
    let mut decks: BTreeMap<String, DeckOut> = BTreeMap::new();
    let mut used: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let meta_cols: Vec<usize> = [h.guid, h.notetype, h.deck, h.tags]
        .into_iter()
        .flatten()
        .collect();
    let mut media_refs = 0usize;
    for (row_no, record) in reader.records().enumerate() {
        let line = h.lines + row_no + 1;
        if row_no >= MAX_ROWS {
            return Err(ImportError::refused(
                path,
                format!("more than {MAX_ROWS} rows; split the file"),
            ));
        }
        let record = record.map_err(|e| ImportError::refused(path, format!("line {line}: {e}")))?;
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let content: Vec<&str> = record
            .iter()
            .enumerate()
            .filter(|(i, _)| !meta_cols.contains(i))
            .map(|(_, v)| v)
            .collect();
        if content.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        // A plain file may start with a header row naming its columns.
        if row_no == 0 && h.lines == 0 {
            let c0 = content[0].trim().to_ascii_lowercase();
            if ["prompt", "front", "term", "question"].contains(&c0.as_str()) {
                continue;
            }
        }
        let mut to_md = |s: &str| -> String {
            if h.html {
                let (md, found) = html.convert(s);
                for d in found.dropped {
                    warnings.push(format!("line {line}: dropped {d}"));
                }
                media_refs += found.images.len();
                md
            } else {
                s.trim().to_string()
            }
        };
        let notetype = get(h.notetype);
        let tags: Vec<String> = if h.tags.is_some() {
            get(h.tags).split_whitespace().map(str::to_string).collect()
        } else if h.lines == 0 {
            content
                .get(2)
                .map(|t| t.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let deck = match h.deck.map(|_| get(h.deck)).filter(|d| !d.is_empty()) {
            Some(d) => deck_id(opts.deck_prefix.as_deref(), d),
            None => default_deck.clone(),
        };
        let base = match h.guid.map(|_| get(h.guid)).filter(|g| !g.is_empty()) {
            Some(g) => card_base(g),
            None => slug(content[0]),
        };
        let mut cards = Vec::new();
        if notetype.to_ascii_lowercase().contains("cloze") {
            let text = to_md(content[0]);
            if crate::deck::cloze::parse(&text).map_or(true, |d| d.is_empty()) {
                warnings.push(format!(
                    "line {line}: a cloze note without a readable cloze; skipped"
                ));
                continue;
            }
            let extra = content.get(1).map(|s| to_md(s)).filter(|s| !s.is_empty());
            cards.push((base.clone(), Kind::Cloze, None, None, Some(text), extra));
        } else {
            let prompt = to_md(content[0]);
            let answer = content.get(1).map(|s| to_md(s)).unwrap_or_default();
            if prompt.is_empty() || answer.is_empty() {
                warnings.push(format!("line {line}: no answer column; skipped"));
                continue;
            }
            let reverse = notetype == "Basic (and reversed card)"
                || (notetype == "Basic (optional reversed card)"
                    && content.get(2).is_some_and(|v| !v.trim().is_empty()));
            if reverse {
                cards.push((
                    format!("{base}-2"),
                    Kind::Basic,
                    Some(answer.clone()),
                    Some(prompt.clone()),
                    None,
                    None,
                ));
            }
            cards.insert(
                0,
                (
                    base.clone(),
                    Kind::Basic,
                    Some(prompt),
                    Some(answer),
                    None,
                    None,
                ),
            );
        }
        let title_src = deck.clone();
        let d = decks.entry(deck.clone()).or_insert_with(|| DeckOut {
            examdeck: 1,
            id: title_src.clone(),
            title: if title_src == default_deck {
                stem.clone()
            } else {
                get(h.deck).replace("::", " › ")
            },
            description: Some(format!(
                "Imported from {}.",
                path.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default()
            )),
            cards: Vec::new(),
        });
        let used = used.entry(deck).or_default();
        for (id, kind, prompt, answer, text, explanation) in cards {
            let mut unique = id.clone();
            let mut n = 2;
            while !used.insert(unique.clone()) {
                unique = format!("{id}-{n}");
                n += 1;
            }
            d.cards.push(CardOut {
                id: unique,
                kind,
                prompt,
                answer,
                text,
                explanation,
                source: Some(format!("line {line} of {stem}")),
                tags: tags.clone(),
            });
        }
    }
    if media_refs > 0 {
        warnings.push(format!(
            "{media_refs} image(s) dropped: a CSV file carries no images; import the Anki package instead"
        ));
    }
    if decks.is_empty() {
        return Err(ImportError::refused(
            path,
            "no cards found; expected columns prompt, answer[, tags] (or Anki's note export)",
        ));
    }
    Ok(Plan {
        source: path.to_path_buf(),
        folder: folder_name(path),
        decks: decks.into_values().collect(),
        media: Vec::new(),
        warnings,
        with_history: false,
        history_in_package: 0,
        history: Default::default(),
    })
}
