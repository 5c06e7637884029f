//! The command-line edge: `check`, `analyze` and `lsp`, over the same core as
//! the language server. Every offset it prints is in Unicode code points.

mod analyze;
mod check;
mod render;
mod targets;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "marginalia", version, about = "Language server and checker for annotated news-article corpora")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable, rustc-style code frames.
    Text,
    /// One JSON object a line.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check articles, knowledge base and configuration; exit 1 on errors.
    Check {
        /// Corpus folders or files (default: ./corpus).
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Also fail on warnings.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
    },
    /// Print the full analysis of text files: entities, agreements, quotes, diagnostics.
    Analyze {
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Run the language server over stdio.
    Lsp,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths, format, deny } => check::run(&paths, format, deny.is_some()),
        Command::Analyze { files, format } => analyze::run(&files, format),
        Command::Lsp => crate::lsp::run_stdio(),
    }
}
