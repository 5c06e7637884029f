//! `marginalia agreement`: inter-annotator agreement between two annotators
//! over a corpus's sidecars, as a table (per label, per document, overall) or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::OutputFormat;
use super::export::{article_targets, load_article, progress_bar, relative_path, source_id};
use crate::agreement::{AgreementReport, Scores, annotators_compared};

pub fn run(paths: &[PathBuf], annotators: &[String], format: OutputFormat) -> ExitCode {
    let [a, b] = annotators else {
        eprintln!("error: --annotators takes exactly two names, A,B (A is the reference)");
        return ExitCode::from(2);
    };
    // `ann,ann` would score an annotator against themselves: perfect agreement
    // that means nothing. Names are compared as the sidecars store them, after
    // trimming the blanks a shell-quoted `ann, bob` leaves.
    let (a, b) = (a.trim().to_string(), b.trim().to_string());
    if a.is_empty() || b.is_empty() || a == b {
        eprintln!("error: --annotators needs two different annotators, A,B (got {:?} and {:?})", a, b);
        return ExitCode::from(2);
    }
    let (a, b) = (&a, &b);
    let targets = match article_targets(paths) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let progress = progress_bar(targets.len(), "reading");
    let mut loaded = Vec::with_capacity(targets.len());
    for target in &targets {
        progress.inc(1);
        match load_article(&target.path) {
            Ok(article) => loaded.push((target.path.file_stem().unwrap_or_default().to_string_lossy().into_owned(), target, article)),
            Err(message) => progress.suspend(|| eprintln!("warning: {message}; skipped")),
        }
    }
    progress.finish_and_clear();
    // Documents are named by file stem, except where two share one
    // (`articles/000_x.txt`, `more/000_x.txt`): those by their path in the corpus,
    // so that no row of the report stands for two documents.
    let mut stems: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (name, _, _) in &loaded {
        *stems.entry(name.clone()).or_default() += 1;
    }
    for (name, target, _) in &mut loaded {
        if stems[name.as_str()] > 1 {
            *name = source_id(&relative_path(target));
        }
    }
    let report = annotators_compared(
        loaded.iter().map(|(name, _, (text, annotations))| (name.as_str(), text.as_str(), annotations.as_slice())),
        a,
        b,
    );
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match format {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string(&report).expect("reports serialize")),
        OutputFormat::Text => write_table(&mut out, &report),
    };
    if written.and_then(|()| out.flush()).is_err() {
        return ExitCode::from(1);
    }
    if report.documents_compared == 0 {
        eprintln!("error: no document was annotated by both {a} and {b}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn number(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{v:.3}"))
}

fn row(out: &mut impl Write, name: &str, width: usize, s: &Scores) -> std::io::Result<()> {
    writeln!(
        out,
        "{name:<width$}  {:>7}  {:>7}  {:>5}  {:>8}  {:>9}  {:>9}  {:>10}  {:>7}  {:>6}  {:>6}",
        s.spans.a,
        s.spans.b,
        s.spans.exact,
        number(s.exact_f1),
        number(s.overlap_precision),
        number(s.overlap_recall),
        number(s.overlap_f1),
        s.tokens,
        number(s.kappa),
        number(s.alpha),
    )
}

fn header(out: &mut impl Write, title: &str, width: usize) -> std::io::Result<()> {
    writeln!(
        out,
        "{title:<width$}  {:>7}  {:>7}  {:>5}  {:>8}  {:>9}  {:>9}  {:>10}  {:>7}  {:>6}  {:>6}",
        "spans A", "spans B", "exact", "exact F1", "overlap P", "overlap R", "overlap F1", "tokens", "kappa", "alpha"
    )
}

fn write_table(out: &mut impl Write, report: &AgreementReport) -> std::io::Result<()> {
    let [a, b] = &report.annotators;
    writeln!(out, "agreement of {b} with {a} (A, the reference) on {} of {} documents", report.documents_compared, report.documents.len())?;
    writeln!(out, "overlap P = B's spans overlapping one of A's, R = A's overlapping one of B's; kappa and alpha on word tokens\n")?;
    let width = report.labels.iter().map(|l| l.label.chars().count()).max().unwrap_or(0).max("overall".len()).max(5);
    header(out, "label", width)?;
    for label in &report.labels {
        row(out, &label.label, width, &label.scores)?;
    }
    row(out, "overall", width, &report.overall)?;
    writeln!(out)?;
    let width = report.documents.iter().map(|d| d.name.chars().count()).max().unwrap_or(0).max("document".len());
    header(out, "document", width)?;
    for document in &report.documents {
        match (&document.scores, &document.skipped) {
            (Some(scores), _) => row(out, &document.name, width, scores)?,
            (None, reason) => writeln!(out, "{:<width$}  not compared: {}", document.name, reason.as_deref().unwrap_or(""))?,
        }
    }
    Ok(())
}
