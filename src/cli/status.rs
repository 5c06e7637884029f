//! `marginalia status`: a team's progress at a glance. Per annotator and per
//! document: annotations by status and label, documents not yet touched,
//! conflicts open (as the editor shows them), and agreement per label for each
//! pair of annotators; as text, JSON, or one self-contained HTML page with the
//! charts a lead wants to look at rather than read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use super::export::{article_targets, load_article, relative_path, source_id};
use crate::agreement::annotators_compared;
use crate::annotations::curation::{annotators_of, compare, is_curated};
use crate::annotations::{SUGGESTER, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
    Html,
}

#[derive(Debug, Default, Serialize)]
struct AnnotatorProgress {
    name: String,
    documents: usize,
    accepted: usize,
    suggested: usize,
    rejected: usize,
    by_label: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
struct DocumentProgress {
    document: String,
    annotators: Vec<String>,
    annotations: usize,
    suggestions: usize,
    curated: usize,
    conflicts: usize,
}

#[derive(Debug, Serialize)]
struct PairAgreement {
    a: String,
    b: String,
    documents_compared: usize,
    exact_f1: Option<f64>,
    kappa: Option<f64>,
    by_label: BTreeMap<String, Option<f64>>,
}

#[derive(Debug, Serialize)]
struct StatusReport {
    documents: usize,
    untouched: Vec<String>,
    conflicts_open: usize,
    annotators: Vec<AnnotatorProgress>,
    per_document: Vec<DocumentProgress>,
    agreement: Vec<PairAgreement>,
}

pub fn run(paths: &[PathBuf], format: StatusFormat, out: Option<PathBuf>) -> ExitCode {
    let targets = match article_targets(paths) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut loaded = Vec::new();
    for target in &targets {
        match load_article(&target.path) {
            Ok((text, annotations)) => loaded.push((source_id(&relative_path(target)), text, annotations)),
            Err(message) => eprintln!("warning: {message}; skipped"),
        }
    }
    let report = build(&loaded);
    let rendered = match format {
        StatusFormat::Json => serde_json::to_string_pretty(&report).expect("reports serialize") + "\n",
        StatusFormat::Text => text(&report),
        StatusFormat::Html => html(&report),
    };
    let written = match &out {
        Some(path) => std::fs::write(path, rendered).map(|()| eprintln!("wrote {}", path.display())),
        None => std::io::stdout().lock().write_all(rendered.as_bytes()),
    };
    if let Err(error) = written {
        eprintln!("error: cannot write the report: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn build(loaded: &[(String, String, Vec<crate::annotations::Annotation>)]) -> StatusReport {
    let mut annotators: BTreeMap<String, AnnotatorProgress> = BTreeMap::new();
    let mut per_document = Vec::new();
    let mut untouched = Vec::new();
    let mut conflicts_open = 0;
    for (name, _, annotations) in loaded {
        let people: Vec<String> = annotators_of(annotations);
        let conflicts =
            if people.len() >= 2 { compare(annotations, &people).iter().filter(|c| !c.agreed() && !c.settled).count() } else { 0 };
        conflicts_open += conflicts;
        let mut touched_by: Vec<String> = Vec::new();
        for a in annotations.iter().filter(|a| a.annotator != SUGGESTER && !is_curated(a)) {
            let progress = annotators
                .entry(a.annotator.clone())
                .or_insert_with(|| AnnotatorProgress { name: a.annotator.clone(), ..Default::default() });
            match a.status {
                Status::Accepted => progress.accepted += 1,
                Status::Suggested => progress.suggested += 1,
                Status::Rejected => progress.rejected += 1,
            }
            *progress.by_label.entry(a.label.clone()).or_default() += 1;
            if !touched_by.contains(&a.annotator) {
                touched_by.push(a.annotator.clone());
                progress.documents += 1;
            }
        }
        if touched_by.is_empty() {
            untouched.push(name.clone());
        }
        per_document.push(DocumentProgress {
            document: name.clone(),
            annotations: annotations.iter().filter(|a| a.annotator != SUGGESTER && !is_curated(a)).count(),
            suggestions: annotations.iter().filter(|a| a.status == Status::Suggested).count(),
            curated: annotations.iter().filter(|a| is_curated(a)).count(),
            annotators: touched_by,
            conflicts,
        });
    }
    let names: Vec<String> = annotators.keys().cloned().collect();
    let mut pairs = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            let report = annotators_compared(
                loaded.iter().map(|(name, text, annotations)| (name.as_str(), text.as_str(), annotations.as_slice())),
                a,
                b,
            );
            if report.documents_compared == 0 {
                continue;
            }
            pairs.push(PairAgreement {
                a: a.clone(),
                b: b.clone(),
                documents_compared: report.documents_compared,
                exact_f1: report.overall.exact_f1,
                kappa: report.overall.kappa,
                by_label: report.labels.iter().map(|l| (l.label.clone(), l.scores.exact_f1)).collect(),
            });
        }
    }
    StatusReport {
        documents: loaded.len(),
        untouched,
        conflicts_open,
        annotators: annotators.into_values().collect(),
        per_document,
        agreement: pairs,
    }
}

fn figure(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{v:.3}"))
}

fn text(report: &StatusReport) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} documents, {} not yet touched, {} conflicts open\n\n",
        report.documents,
        report.untouched.len(),
        report.conflicts_open
    ));
    out.push_str("annotator             documents  accepted  suggested  rejected  labels\n");
    for a in &report.annotators {
        let labels: Vec<String> = a.by_label.iter().map(|(l, n)| format!("{l} {n}")).collect();
        out.push_str(&format!(
            "{:<20}  {:>9}  {:>8}  {:>9}  {:>8}  {}\n",
            a.name,
            format!("{}/{}", a.documents, report.documents),
            a.accepted,
            a.suggested,
            a.rejected,
            labels.join(", ")
        ));
    }
    if !report.agreement.is_empty() {
        out.push_str("\nagreement (exact-span F1)\n");
        for pair in &report.agreement {
            let labels: Vec<String> = pair.by_label.iter().map(|(l, f)| format!("{l} {}", figure(*f))).collect();
            out.push_str(&format!(
                "{} / {}: {} on {} documents (kappa {}); {}\n",
                pair.a,
                pair.b,
                figure(pair.exact_f1),
                pair.documents_compared,
                figure(pair.kappa),
                labels.join(", ")
            ));
        }
    }
    let with_conflicts: Vec<&DocumentProgress> = report.per_document.iter().filter(|d| d.conflicts > 0).collect();
    if !with_conflicts.is_empty() {
        out.push_str("\nconflicts per document\n");
        for d in with_conflicts {
            out.push_str(&format!("{}: {}\n", d.document, d.conflicts));
        }
    }
    if !report.untouched.is_empty() {
        out.push_str(&format!("\nnot yet touched: {}\n", report.untouched.join(", ")));
    }
    out
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A horizontal bar chart as inline SVG: one bar a row, its value written at
/// its end (and in `data-value`, for the test that reads the page back).
fn bar_chart(id: &str, title: &str, rows: &[(String, f64, String)], maximum: f64) -> String {
    let (row_height, label_width, bar_width) = (26.0, 220.0, 360.0);
    let height = row_height * rows.len().max(1) as f64 + 10.0;
    let mut svg = format!(
        "<figure id=\"{id}\"><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\">",
        escape(title),
        label_width + bar_width + 80.0
    );
    for (i, (label, value, shown)) in rows.iter().enumerate() {
        let y = i as f64 * row_height + 5.0;
        let width = if maximum > 0.0 { bar_width * value / maximum } else { 0.0 };
        svg.push_str(&format!(
            "<g class=\"bar\" data-label=\"{label}\" data-value=\"{shown}\"><text x=\"0\" y=\"{ty}\" font-size=\"13\">{label}</text>\
             <rect x=\"{label_width}\" y=\"{y}\" width=\"{width:.1}\" height=\"{h}\" fill=\"#4a7fb5\"/>\
             <text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"13\">{shown}</text></g>",
            label = escape(label),
            shown = escape(shown),
            ty = y + 15.0,
            h = row_height - 8.0,
            tx = label_width + width + 6.0,
        ));
    }
    svg.push_str("</svg></figure>\n");
    svg
}

fn html(report: &StatusReport) -> String {
    let progress: Vec<(String, f64, String)> =
        report.annotators.iter().map(|a| (a.name.clone(), a.documents as f64, format!("{}/{}", a.documents, report.documents))).collect();
    let mut agreement_rows = Vec::new();
    for pair in &report.agreement {
        for (label, f1) in &pair.by_label {
            agreement_rows.push((format!("{} / {} · {label}", pair.a, pair.b), f1.unwrap_or(0.0), figure(*f1)));
        }
    }
    let conflicts: Vec<(String, f64, String)> = report
        .per_document
        .iter()
        .filter(|d| d.conflicts > 0)
        .map(|d| (d.document.clone(), d.conflicts as f64, d.conflicts.to_string()))
        .collect();
    let most_conflicts = conflicts.iter().map(|c| c.1).fold(0.0, f64::max);
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>marginalia status</title>\
         <style>body{font-family:sans-serif;margin:2em;color:#222}figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.4em}\
         .summary span{margin-right:2em}</style></head><body>\n<h1>Annotation status</h1>\n",
    );
    page.push_str(&format!(
        "<p class=\"summary\"><span id=\"documents\">{} documents</span><span id=\"untouched\">{} not yet touched</span><span id=\"conflicts\">{} conflicts open</span></p>\n",
        report.documents,
        report.untouched.len(),
        report.conflicts_open
    ));
    page.push_str(&bar_chart("progress", "Documents touched per annotator", &progress, report.documents as f64));
    page.push_str(&bar_chart("agreement", "Agreement per label (exact-span F1)", &agreement_rows, 1.0));
    page.push_str(&bar_chart("conflicts-per-document", "Conflicts open per document", &conflicts, most_conflicts));
    page.push_str("<script type=\"application/json\" id=\"data\">");
    page.push_str(&serde_json::to_string(report).expect("reports serialize").replace("</", "<\\/"));
    page.push_str("</script>\n</body></html>\n");
    page
}
