//! `marginalia analyze`: the full analysis of each file (or of each article in
//! a folder), as JSON lines (the contract other tools read) or a readable summary.

use std::io::Write;
use std::process::ExitCode;

use rayon::prelude::*;

use super::OutputFormat;
use super::targets::{CorpusCache, display_path, expand};
use crate::analysis::report::AnalysisReport;
use crate::host::AnalysisHost;
use crate::workspace::FileRole;

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
    // Every corpus of the files named, loaded once; the host analyses each
    // article with its sidecar's decisions over the rules.
    let absolute: Vec<std::path::PathBuf> =
        files_and_articles.iter().map(|file| std::path::absolute(file).unwrap_or_else(|_| file.clone())).collect();
    for file in &absolute {
        cache.corpus_for(file);
    }
    let host = AnalysisHost::with_corpora(cache.into_corpora());
    // Analysed on every core, a chunk at a time, and printed in the order named.
    let progress = super::check::files_progress("analyzing", absolute.len());
    for chunk in absolute.chunks(256) {
        let reports: Vec<Result<String, String>> = chunk
            .par_iter()
            .map(|absolute| {
                let analysed = host.analysis_on_disk(absolute).map_err(|error| error.to_string());
                progress.inc(1);
                let (text, analysis) = analysed?;
                let report = AnalysisReport::new(&display_path(absolute), &text, &analysis);
                let mut written = Vec::new();
                let _ = match format {
                    OutputFormat::Json => writeln!(written, "{}", serde_json::to_string(&report).expect("reports serialize")),
                    OutputFormat::Text => write_summary(&mut written, &report),
                };
                Ok(String::from_utf8(written).expect("reports are UTF-8"))
            })
            .collect();
        for report in reports {
            match report {
                Ok(report) => {
                    if out.write_all(report.as_bytes()).is_err() {
                        progress.finish_and_clear();
                        return ExitCode::from(1);
                    }
                }
                Err(error) => {
                    progress.suspend(|| eprintln!("error: {error}"));
                    status = ExitCode::from(1);
                }
            }
        }
    }
    progress.finish_and_clear();
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
