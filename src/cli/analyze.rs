//! `marginalia analyze`: the full analysis of each file (or of each article in
//! a folder), as JSON lines (the contract other tools read) or a readable summary.

use std::io::Write;
use std::process::ExitCode;

use super::OutputFormat;
use super::targets::{CorpusCache, display_path, expand};
use crate::analysis::report::AnalysisReport;
use crate::analysis::{AnalysisConfig, analyze_annotated};
use crate::kb::KnowledgeBase;
use crate::workspace::{FileRole, read_text_file};

pub fn run(files: &[std::path::PathBuf], format: OutputFormat) -> ExitCode {
    let mut cache = CorpusCache::default();
    let mut status = ExitCode::SUCCESS;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut files_and_articles = Vec::with_capacity(files.len());
    for file in files {
        if !file.is_dir() {
            files_and_articles.push(file.clone());
            continue;
        }
        // A folder gives its articles, found as `check` finds them.
        match expand(std::slice::from_ref(file), &mut cache) {
            Ok(targets) => files_and_articles.extend(targets.into_iter().filter(|t| t.role == FileRole::Article).map(|t| t.path)),
            Err(message) => {
                eprintln!("error: {message}");
                status = ExitCode::from(1);
            }
        }
    }
    for file in &files_and_articles {
        let text = match read_text_file(file) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: {error}");
                status = ExitCode::from(1);
                continue;
            }
        };
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        let corpus = cache.corpus_for(&absolute);
        let (kb, config) = match &corpus {
            Some(c) => (c.kb.clone(), c.analysis_config.clone()),
            None => (Default::default(), AnalysisConfig::default()),
        };
        let kb: &KnowledgeBase = &kb;
        // Manual annotations in the sidecar, if any, win over the rules.
        let sidecar = crate::annotations::sidecar_path(&absolute);
        let annotations = crate::annotations::read_annotations(&sidecar).map(|f| f.annotations).unwrap_or_default();
        let analysis = analyze_annotated(&text, kb, &config, &crate::annotations::anchor_all(&text, &annotations));
        let report = AnalysisReport::new(&display_path(&absolute), &text, &analysis);
        let written = match format {
            OutputFormat::Json => writeln!(out, "{}", serde_json::to_string(&report).expect("reports serialize")),
            OutputFormat::Text => write_summary(&mut out, &report),
        };
        if written.is_err() {
            return ExitCode::from(1);
        }
    }
    let _ = out.flush();
    status
}

fn write_summary(out: &mut impl Write, report: &AnalysisReport) -> std::io::Result<()> {
    writeln!(out, "{} (date: {})", report.path, report.date.as_deref().unwrap_or("none"))?;
    writeln!(
        out,
        "  entities: {}, agreements: {}, quotes: {}, diagnostics: {}",
        report.entities.len(),
        report.agreements.len(),
        report.quotes.len(),
        report.diagnostics.len()
    )?;
    for quote in &report.quotes {
        let speaker = quote.speaker.as_ref().map_or("(no speaker)".to_string(), |s| match &s.id {
            Some(id) => format!("{} [{id}]", s.text),
            None => s.text.clone(),
        });
        let excerpt: String = quote.text.chars().take(60).collect();
        let ellipsis = if quote.text.chars().count() > 60 { "…" } else { "" };
        writeln!(out, "  {:>6}-{:<6} {:<8} {excerpt}{ellipsis} — {speaker}", quote.start, quote.end, quote.kind)?;
    }
    Ok(())
}
