//! `examdeck pack DECK_ID… -o FILE.zip`: write a deck pack a study group can pass around.

use super::Cli;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `examdeck pack`.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// Ids of the decks to pack (`examdeck check --format json` lists them).
    #[arg(required = true, value_name = "DECK_ID")]
    pub deck_ids: Vec<String>,
    /// The zip to write.
    #[arg(short = 'o', long = "output", value_name = "FILE.zip")]
    pub output: PathBuf,
}

/// Writes the pack and says what is in it.
pub fn run(cli: &Cli, args: &PackArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let library = crate::deck::Library::load(&super::app_sources_if_any(cli));
    let m = crate::pack::write_pack(&library, &args.deck_ids, &args.output)?;
    writeln!(
        out,
        "wrote {}: \"{}\", {} deck(s), {} exam blueprint(s), {} file(s)",
        args.output.display(),
        m.title,
        m.decks.len(),
        m.exams.len(),
        m.files.len()
    )?;
    for d in &m.decks {
        writeln!(out, "  {} ({} cards) sha256 {}", d.id, d.cards, d.sha256)?;
    }
    Ok(ExitCode::SUCCESS)
}
