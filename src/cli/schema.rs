//! `examdeck schema`: prints the JSON Schema of deck format v1 for an editor.

use std::io::Write;
use std::process::ExitCode;

/// Arguments of `examdeck schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Print the schema of exam blueprints (`*.exam.yaml`) instead of decks.
    #[arg(long)]
    pub blueprint: bool,
}

/// Writes the schema to `out`.
pub fn run(args: &SchemaArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let text = if args.blueprint {
        crate::deck::schema::EXAM_SCHEMA
    } else {
        crate::deck::schema::DECK_SCHEMA
    };
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
