//! `marginalia ingest FILE...`: articles from news datasets and scrapers into
//! the corpus's first articles folder, one `ID.txt` a record (the mapping is
//! `interchange/articles.rs`).
//!
//! Inputs, told by their extension: JSON lines (`.jsonl`, `.ndjson`, and
//! `.json`, which may also hold one JSON array of records), CSV (`.csv`, `.tsv`
//! with tabs; the first row names the fields), and folders of plain text files
//! (`*.txt`, each copied as it is, named by its file name). JSON lines and CSV
//! are streamed: a dataset of any size is read a record at a time.
//!
//! An article file that exists already is never overwritten: the record is
//! reported and skipped. A bad record (not JSON, a field missing, a date that is
//! not one) is reported with its file and line and skipped; the others are
//! written, and the exit code is 1.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::ProgressBar;
use serde_json::Value;

use super::kb::bytes_bar;
use super::targets::display_path;
use crate::interchange::articles::{FieldNames, IncomingArticle, article_from_json, article_from_row, safe_file_stem};
use crate::workspace::{CONFIG_FILE_NAME, CorpusConfig, read_text_file};

pub struct IngestOptions<'a> {
    pub inputs: &'a [PathBuf],
    pub corpus: Option<&'a Path>,
    pub fields: FieldNames,
}

/// What one run did, for the summary.
#[derive(Default)]
struct Tally {
    written: usize,
    existing: usize,
    bad: usize,
}

pub fn run(options: IngestOptions) -> ExitCode {
    match ingest(&options) {
        Ok(tally) if tally.bad == 0 => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn ingest(options: &IngestOptions) -> Result<Tally, String> {
    let root = super::corpus_root(options.corpus)?
        .ok_or_else(|| format!("no corpus here (no {CONFIG_FILE_NAME} in this folder, above it or in ./corpus); name one with --corpus"))?;
    let config = match read_text_file(&root.join(CONFIG_FILE_NAME)) {
        Ok(text) => CorpusConfig::parse(&text).0,
        Err(error) => return Err(error.to_string()),
    };
    let folder = root.join(config.corpus.articles.first().map_or("articles", String::as_str));
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for input in options.inputs {
        if !input.exists() {
            return Err(format!("{}: no such file or folder", input.display()));
        }
    }
    let total: u64 = options.inputs.iter().map(|p| input_size(p)).sum();
    let bar = bytes_bar(total, "ingesting");
    let mut writer = Writer { folder: &folder, bar: &bar, tally: Tally::default() };
    for input in options.inputs {
        let shown = display_path(input).display().to_string();
        let result = if input.is_dir() {
            plain_text_folder(input, &mut writer)
        } else {
            match extension(input).as_str() {
                "csv" => csv_records(input, b',', &options.fields, &mut writer),
                "tsv" => csv_records(input, b'\t', &options.fields, &mut writer),
                "txt" => plain_text_file(input, &mut writer),
                _ => json_records(input, &options.fields, &mut writer),
            }
        };
        if let Err(message) = result {
            bar.suspend(|| eprintln!("error: {shown}: {message}"));
            writer.tally.bad += 1;
        }
    }
    bar.finish_and_clear();
    let tally = writer.tally;
    eprintln!(
        "ingested {} articles into {}: {} skipped (an article of that name exists), {} bad records",
        tally.written,
        display_path(&folder).display(),
        tally.existing,
        tally.bad
    );
    Ok(tally)
}

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
}

fn input_size(path: &Path) -> u64 {
    if path.is_dir() {
        text_files(path).iter().filter_map(|p| p.metadata().ok()).map(|m| m.len()).sum()
    } else {
        path.metadata().map_or(0, |m| m.len())
    }
}

/// The `*.txt` files under a folder, sorted, hidden ones left out.
fn text_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && extension(e.path()) == "txt")
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

struct Writer<'a> {
    folder: &'a Path,
    bar: &'a ProgressBar,
    tally: Tally,
}

impl Writer<'_> {
    /// Writes one article file, never over an existing one (`create_new`: also
    /// when two records of this run share a file name).
    fn write(&mut self, file_name: &str, text: &str, source: &str) {
        let path = self.folder.join(file_name);
        let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
        match created {
            Ok(mut file) => match std::io::Write::write_all(&mut file, text.as_bytes()) {
                Ok(()) => self.tally.written += 1,
                Err(e) => self.bad(source, &format!("{}: {e}", display_path(&path).display())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                self.tally.existing += 1;
                self.bar.suspend(|| eprintln!("skipped: {source}: {} exists already", display_path(&path).display()));
            }
            Err(e) => self.bad(source, &format!("{}: {e}", display_path(&path).display())),
        }
    }

    fn article(&mut self, article: Result<IncomingArticle, String>, source: &str) {
        match article {
            Ok(article) => self.write(&article.file_name(), &article.file_text(), source),
            Err(message) => self.bad(source, &message),
        }
    }

    fn bad(&mut self, source: &str, message: &str) {
        self.tally.bad += 1;
        self.bar.suspend(|| eprintln!("error: {source}: {message}"));
    }
}

/// JSON lines, or one JSON array of records (a `.json` file starting with `[`).
fn json_records(path: &Path, fields: &FieldNames, writer: &mut Writer) -> Result<(), String> {
    let shown = display_path(path).display().to_string();
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut input = BufReader::with_capacity(1 << 20, writer.bar.wrap_read(file));
    let first = input.fill_buf().map_err(|e| e.to_string())?.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'[') {
        let records: Vec<Value> = serde_json::from_reader(input).map_err(|e| format!("not a JSON array of records: {e}"))?;
        for (n, record) in records.iter().enumerate() {
            writer.article(article_from_json(record, fields), &format!("{shown}: record {}", n + 1));
        }
        return Ok(());
    }
    let mut line = String::new();
    let mut number = 0usize;
    loop {
        line.clear();
        number += 1;
        match input.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("line {number}: {e}")),
        }
        let content = line.trim();
        if content.is_empty() {
            continue;
        }
        let source = format!("{shown}:{number}");
        match serde_json::from_str::<Value>(content) {
            Ok(record) => writer.article(article_from_json(&record, fields), &source),
            Err(e) => writer.bad(&source, &format!("not JSON: {e}")),
        }
    }
}

/// CSV with a header row; a row's line is where it starts (a quoted field may
/// span lines).
fn csv_records(path: &Path, delimiter: u8, fields: &FieldNames, writer: &mut Writer) -> Result<(), String> {
    let shown = display_path(path).display().to_string();
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(writer.bar.wrap_read(file));
    let headers: Vec<String> = reader.headers().map_err(|e| format!("no header row: {e}"))?.iter().map(|h| h.trim().to_string()).collect();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                let row: Vec<String> = record.iter().map(str::to_string).collect();
                writer.article(article_from_row(&headers, &row, fields), &format!("{shown}:{line}"));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                writer.bad(&format!("{shown}:{line}"), &format!("not CSV: {e}"));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }) {
                    return Ok(());
                }
            }
        }
    }
}

fn plain_text_folder(folder: &Path, writer: &mut Writer) -> Result<(), String> {
    for path in text_files(folder) {
        plain_text_file(&path, writer)?;
    }
    Ok(())
}

/// A plain text file is copied as it is (a `date` header it has is kept),
/// under its own name made safe.
fn plain_text_file(path: &Path, writer: &mut Writer) -> Result<(), String> {
    let shown = display_path(path).display().to_string();
    let mut text = String::new();
    match File::open(path).and_then(|f| writer.bar.wrap_read(f).read_to_string(&mut text)) {
        Ok(_) => {}
        Err(e) => {
            writer.bad(&shown, &e.to_string());
            return Ok(());
        }
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let text = if text.ends_with('\n') { text } else { text + "\n" };
    writer.write(&format!("{}.txt", safe_file_stem(&stem)), &text, &shown);
    Ok(())
}
