//! `marginalia check`: every article and corpus file, diagnostics as code frames
//! or JSON lines, exit status for CI.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::OutputFormat;
use super::render::FrameRenderer;
use super::targets::{CorpusCache, Target, display_path, expand};
use crate::analysis::report::DiagnosticReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::host::AnalysisHost;
use crate::text::LineIndex;
use crate::workspace::{CONFIG_FILE_NAME, FileRole};

/// The outcome for one file: its text (for code frames) and its diagnostics.
pub struct FileCheck {
    pub target: Target,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// One file as the analysis host judges it on disk: `check` only prints.
pub fn check_file(host: &AnalysisHost, target: &Target) -> FileCheck {
    let file = host.diagnostics_on_disk(&target.path, target.role, target.corpus.as_ref().map(|c| c.root.as_path()));
    FileCheck { target: target.clone(), text: file.text, diagnostics: file.diagnostics }
}

/// Adds the `marginalia.toml` of each corpus whose configuration has errors
/// (a missing article or KB folder, invalid TOML) when only some of its files
/// were named: checking one article against a corpus read wrongly would
/// otherwise pass in silence.
fn include_broken_configs(targets: &mut Vec<Target>) {
    let mut roots: Vec<PathBuf> =
        targets.iter().filter(|t| t.role == FileRole::Config).filter_map(|t| t.corpus.as_ref()).map(|c| c.root.clone()).collect();
    let mut added = Vec::new();
    for corpus in targets.iter().filter_map(|t| t.corpus.as_ref()) {
        if roots.contains(&corpus.root) || !corpus.config_diagnostics.iter().any(|d| d.severity == Severity::Error) {
            continue;
        }
        roots.push(corpus.root.clone());
        added.push(Target { path: corpus.root.join(CONFIG_FILE_NAME), corpus: Some(corpus.clone()), role: FileRole::Config });
    }
    // First, as a folder check lists it.
    targets.splice(0..0, added);
}

/// The progress bar of a command that goes over many files (`check`,
/// `analyze`), on stderr when it is a terminal.
pub fn files_progress(verb: &str, files: usize) -> ProgressBar {
    let progress = ProgressBar::with_draw_target(
        Some(files as u64),
        if std::io::stderr().is_terminal() { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    let template = format!("{{spinner}} {verb} {{pos}}/{{len}} files {{wide_bar}} {{eta}}");
    progress.set_style(ProgressStyle::with_template(&template).expect("a valid template"));
    progress
}

pub fn run(paths: &[std::path::PathBuf], format: OutputFormat, deny_warnings: bool) -> ExitCode {
    let default = [std::path::PathBuf::from("corpus")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut cache = CorpusCache::default();
    let mut targets = match expand(paths, &mut cache) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    include_broken_configs(&mut targets);
    let host = AnalysisHost::with_corpora(cache.into_corpora());
    let progress = files_progress("checking", targets.len());
    let checks: Vec<FileCheck> = targets
        .par_iter()
        .map(|t| {
            let check = check_file(&host, t);
            progress.inc(1);
            check
        })
        .collect();
    progress.finish_and_clear();

    let mut counts = [0usize; 4];
    let mut renderer = (format == OutputFormat::Text).then(FrameRenderer::stdout);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for check in &checks {
        let shown = display_path(&check.target.path);
        let index = LineIndex::new(&check.text);
        for diagnostic in &check.diagnostics {
            counts[diagnostic.severity as usize] += 1;
            match &mut renderer {
                Some(renderer) => renderer.emit(&shown.display().to_string(), &check.text, diagnostic),
                None => {
                    let line = serde_json::to_string(&DiagnosticReport::new(&shown, &index, diagnostic)).expect("reports serialize");
                    if writeln!(out, "{line}").is_err() {
                        return ExitCode::from(1);
                    }
                }
            }
        }
    }
    let _ = out.flush();
    let [errors, warnings, infos, hints] = counts;
    if format == OutputFormat::Text {
        eprintln!("checked {} files: {errors} errors, {warnings} warnings, {} notes", checks.len(), infos + hints);
    }
    let failed = errors > 0 || (deny_warnings && warnings > 0);
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;

    #[test]
    fn severity_indexes_counts() {
        assert_eq!(Severity::Error as usize, 0);
        assert_eq!(Severity::Hint as usize, 3);
    }
}
