//! `examdeck paper`: print the paper a seed draws, so a study group can check that everyone
//! sits the same one.
//!
//! Without learner data every item has weakness 1, so the paper depends only on the seed, the
//! exam and the decks loaded (see [`crate::exam::paper`] for why it is stable across
//! platforms and releases). The fingerprint is the first 12 hex digits of SHA-256 over the
//! paper's exam, questions and option orders: equal fingerprints, equal papers.

use super::Format;
use crate::deck::{DeckSource, Library, Severity};
use crate::exam::{Paper, PaperSpec, draw_paper, exam_pool};
use anyhow::Context;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `examdeck paper`.
#[derive(Debug, clap::Args)]
pub struct PaperArgs {
    /// Exam blueprint id.
    #[arg(long, default_value = "aws-scs-c03", value_name = "ID")]
    pub exam: String,
    /// Seed: the same seed and decks give the same paper.
    #[arg(long, value_name = "N")]
    pub seed: u64,
    /// Number of questions (default: the blueprint's).
    #[arg(long, value_name = "N")]
    pub questions: Option<usize>,
    /// Only questions of this domain (a domain id of the exam).
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// The paper as printed by `--format json`.
#[derive(Debug, Serialize)]
pub struct PaperOutput<'a> {
    /// Short hash identifying the paper (see the module docs).
    pub fingerprint: String,
    /// The paper.
    #[serde(flatten)]
    pub paper: &'a Paper,
}

/// The paper's fingerprint (see the module docs).
pub fn fingerprint(paper: &Paper) -> String {
    let mut h = Sha256::new();
    h.update(paper.exam.as_bytes());
    for q in &paper.questions {
        h.update([0]);
        h.update(q.key.to_string().as_bytes());
        for s in &q.shuffle {
            h.update((*s as u64).to_le_bytes());
        }
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Loads the decks from `sources`, draws the paper and writes it to `out`.
pub fn run(
    args: &PaperArgs,
    sources: &[DeckSource],
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let lib = Library::load(sources);
    let errors = lib
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        writeln!(
            err,
            "warning: {errors} problem(s) in the decks; the cards affected are left out \
             (run `examdeck check` for details)"
        )?;
    }
    let blueprint = lib.exam(&args.exam).with_context(|| {
        let known: Vec<&str> = lib.exams.iter().map(|e| e.id.as_str()).collect();
        format!(
            "no exam blueprint `{}` is loaded (loaded: {})",
            args.exam,
            known.join(", ")
        )
    })?;
    let pool = exam_pool(&lib, &args.exam)?;
    let spec = PaperSpec {
        questions: args.questions.unwrap_or(blueprint.questions as usize),
        domain: args.domain.clone(),
        seed: args.seed,
    };
    let paper = draw_paper(&pool, blueprint, &spec, &|_| 1.0)?;
    let fp = fingerprint(&paper);
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &PaperOutput {
                    fingerprint: fp,
                    paper: &paper,
                },
            )?;
            writeln!(out)?;
        }
        Format::Text => {
            writeln!(
                out,
                "paper {fp}: {} ({}), seed {}, {} questions{}",
                blueprint.id,
                blueprint.title,
                paper.seed,
                paper.questions.len(),
                paper
                    .domain
                    .as_ref()
                    .map(|d| format!(", domain {d}"))
                    .unwrap_or_default()
            )?;
            let width = paper
                .questions
                .iter()
                .map(|q| q.domain.len())
                .max()
                .unwrap_or(6);
            for (i, q) in paper.questions.iter().enumerate() {
                let order: Vec<String> = q.shuffle.iter().map(|s| s.to_string()).collect();
                writeln!(
                    out,
                    "{:>3}  {:<9}  {:<width$}  {}{}",
                    i + 1,
                    q.kind.as_str(),
                    q.domain,
                    q.key,
                    if order.is_empty() {
                        String::new()
                    } else {
                        format!("  [{}]", order.join(" "))
                    }
                )?;
            }
            let counts: Vec<String> = blueprint
                .domains
                .iter()
                .map(|d| {
                    let n = paper.questions.iter().filter(|q| q.domain == d.id).count();
                    format!("{} {n}", d.id)
                })
                .collect();
            writeln!(out, "per domain: {}", counts.join(", "))?;
            writeln!(
                out,
                "option order: [i j k] lists the card's options, steps or right sides in display order"
            )?;
        }
    }
    for s in &paper.shortfalls {
        writeln!(
            err,
            "note: domain `{}` has {} question(s) for a share of {}; the gap is filled from the other domains",
            s.domain, s.available, s.wanted
        )?;
    }
    for s in &paper.kind_shortfalls {
        writeln!(
            err,
            "note: the pool has {} `{}` question(s) for a share of {}; the gap is filled with other kinds",
            s.available, s.kind, s.wanted
        )?;
    }
    if paper.questions.len() < paper.requested {
        writeln!(
            err,
            "note: only {} of the {} questions asked for exist",
            paper.questions.len(),
            paper.requested
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
