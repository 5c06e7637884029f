//! The command-line edge: `check`, `analyze`, `export`, `import`, `ingest`, `kb import`, `agreement`
//! and `lsp`, over the same core as the language server. Every offset it prints
//! or stores is in Unicode code points.

mod agreement;
mod analyze;
mod check;
mod curate;
mod export;
mod import;
mod ingest;
mod kb;
mod render;
mod status;
mod suggest;
mod targets;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// The command line: `marginalia COMMAND ...`.
#[derive(Debug, Parser)]
#[command(name = "marginalia", version, about = "Language server and checker for annotated news-article corpora")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How diagnostics and reports are printed (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable, rustc-style code frames.
    Text,
    /// One JSON object a line.
    Json,
}

/// What else fails `check` (`--deny warnings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings fail it too.
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
        /// Text files, or folders (a corpus folder gives its articles, another folder its `*.txt` files).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Run the language server over stdio.
    Lsp,
    /// Write the annotations of a corpus (or of some articles) in another tool's format.
    Export {
        /// Corpus folders or article files (default: ./corpus).
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum)]
        format: export::ExportFormat,
        /// Output folder (default: ./export-FORMAT).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Which annotations: accepted only, or accepted and suggested.
        #[arg(long, value_enum, default_value_t = export::StatusChoice::Accepted)]
        status: export::StatusChoice,
        /// Only this annotator's annotations.
        #[arg(long)]
        annotator: Option<String>,
    },
    /// Read brat or JSONL annotations into the corpus's sidecars, merging with what is there.
    Import {
        /// brat .ann files, JSONL files, or folders holding them.
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum)]
        format: import::ImportFormat,
        /// Annotator of everything imported (default: from the brat file name or the JSONL).
        #[arg(long)]
        annotator: Option<String>,
        /// The corpus to import into (default: the one holding PATH, else the current folder's, else ./corpus).
        #[arg(long)]
        corpus: Option<std::path::PathBuf>,
        /// Report what would change without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Progress at a glance: per annotator and document, untouched documents, conflicts, agreement.
    Status {
        /// Corpus folders or article files (default: ./corpus).
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = status::StatusFormat::Text)]
        format: status::StatusFormat,
        /// Write the report to FILE instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Settle what annotators agree on: curated records for every span all of
    /// them annotated alike, and the conflicts left, per document and label.
    Curate {
        /// Corpus folders or article files (default: ./corpus).
        paths: Vec<std::path::PathBuf>,
        /// The annotators compared, A,B[,C].
        #[arg(long, value_delimiter = ',', required = true)]
        annotators: Vec<String>,
        /// Write the curated records as accepted (else as suggestions for the curator to confirm).
        #[arg(long)]
        accept_agreed: bool,
        /// Report what would be written, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Knowledge-base tools.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Bring articles in: JSON lines, CSV or folders of text files into ID.txt files with a date header.
    Ingest {
        /// JSON lines (.jsonl, .ndjson, .json), CSV (.csv, .tsv), plain text files or folders of them.
        #[arg(required = true)]
        inputs: Vec<std::path::PathBuf>,
        /// The corpus to write into (default: the current folder's, else ./corpus).
        #[arg(long)]
        corpus: Option<std::path::PathBuf>,
        /// The field holding the article text.
        #[arg(long, default_value = "text")]
        text_field: String,
        /// The field holding the publication date (YYYY-MM-DD or a timestamp).
        #[arg(long, default_value = "date")]
        date_field: String,
        /// The field holding the article's id (its file name, made safe).
        #[arg(long, default_value = "id")]
        id_field: String,
        /// The field holding the title (optional in records).
        #[arg(long, default_value = "title")]
        title_field: String,
    },
    /// Inter-annotator agreement between two annotators: span F1, Cohen's kappa, Krippendorff's alpha.
    Agreement {
        /// Corpus folders or article files (default: ./corpus).
        paths: Vec<std::path::PathBuf>,
        /// The two annotators, A,B (A is the reference).
        #[arg(long, value_delimiter = ',', required = true)]
        annotators: Vec<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
}

#[derive(Debug, Subcommand)]
enum KbCommand {
    /// Import entries from another knowledge base into a KB file of the corpus.
    Import {
        #[command(subcommand)]
        source: KbImportSource,
    },
    /// Suggest entries for the names the KB lacks, clustered, cleaned and ranked, as a draft KB file for review.
    Suggest {
        /// The corpus (default: the current folder's, else ./corpus).
        corpus: Option<std::path::PathBuf>,
        /// The draft to write (default: kb/suggested.json in the corpus); only a draft is ever replaced.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Leave out names mentioned fewer times than this.
        #[arg(long, default_value_t = 2)]
        min_mentions: usize,
    },
}

#[derive(Debug, Subcommand)]
enum KbImportSource {
    /// Wikidata entity JSON: a dump (plain, .gz or .bz2, streamed), a Special:EntityData file, or JSON lines of entities.
    Wikidata {
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// The corpus to import into; only entities its articles name are kept (default: the current folder's, unfiltered).
        #[arg(long)]
        corpus: Option<std::path::PathBuf>,
        /// The KB file to write (default: kb/wikidata.json in the corpus).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Languages of names, aliases and descriptions, in order of preference.
        #[arg(long, value_delimiter = ',', default_value = "en,de,ru,uk,fr")]
        languages: Vec<String>,
    },
}

/// Runs the command line; `marginalia lsp` runs `language_server` (the binary
/// passes the LSP edge in, so that neither edge imports the other).
pub fn run(language_server: fn() -> ExitCode) -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths, format, deny } => check::run(&paths, format, deny.is_some()),
        Command::Analyze { files, format } => analyze::run(&files, format),
        Command::Lsp => language_server(),
        Command::Export { paths, format, out, status, annotator } => export::run(&paths, format, out, status, annotator.as_deref()),
        Command::Import { paths, format, annotator, corpus, dry_run } => {
            import::run(&paths, import::ImportOptions { format, annotator: annotator.as_deref(), corpus: corpus.as_deref(), dry_run })
        }
        Command::Kb { command: KbCommand::Import { source: KbImportSource::Wikidata { files, corpus, out, languages } } } => {
            kb::run_wikidata(kb::WikidataImport { files: &files, corpus: corpus.as_deref(), out: out.as_deref(), languages: &languages })
        }
        Command::Ingest { inputs, corpus, text_field, date_field, id_field, title_field } => ingest::run(ingest::IngestOptions {
            inputs: &inputs,
            corpus: corpus.as_deref(),
            fields: crate::interchange::articles::FieldNames { text: text_field, date: date_field, id: id_field, title: title_field },
        }),
        Command::Kb { command: KbCommand::Suggest { corpus, out, min_mentions } } => {
            suggest::run(suggest::SuggestOptions { corpus: corpus.as_deref(), out: out.as_deref(), min_mentions })
        }
        Command::Agreement { paths, annotators, format } => agreement::run(&paths, &annotators, format),
        Command::Status { paths, format, out } => status::run(&paths, format, out),
        Command::Curate { paths, annotators, accept_agreed, dry_run } => {
            curate::run(&paths, curate::CurateOptions { annotators: &annotators, accept_agreed, dry_run })
        }
    }
}

/// The corpus a command works on: `--corpus DIR` (the `marginalia.toml` there or
/// above; an error naming DIR when there is none), else the one holding the
/// current folder, else `./corpus`; `None` when there is none.
fn corpus_root(explicit: Option<&std::path::Path>) -> Result<Option<std::path::PathBuf>, String> {
    use crate::workspace::{CONFIG_FILE_NAME, Corpus};
    match explicit {
        Some(dir) => Corpus::find_root(&std::path::absolute(dir).map_err(|e| e.to_string())?)
            .map(Some)
            .ok_or_else(|| format!("{}: no {CONFIG_FILE_NAME} there or above", dir.display())),
        None => Ok(std::env::current_dir().ok().and_then(|cwd| Corpus::find_root(&cwd).or_else(|| Corpus::find_root(&cwd.join("corpus"))))),
    }
}
