//! `marginalia export`: the corpus's annotations in another tool's format, one
//! file per article (brat, WebAnno, W3C) or one file for the corpus (CoNLL,
//! JSONL, spaCy), under `--out`. Per-article files keep the article's path
//! relative to the corpus root (`--out/articles/sub/NAME.ann`), since articles
//! in different folders may share a name; no file is ever written twice, and
//! none over an article being exported.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::targets::{CorpusCache, Target, display_path, expand};
use crate::annotations::{Annotation, read_annotations, sidecar_path};
use crate::interchange::{self, ExportDocument, Notes, StatusFilter};
use crate::workspace::{FileRole, read_text_file};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// brat standoff: NAME.txt + NAME.ann per article, and annotation.conf.
    Brat,
    /// CoNLL-2003 BIO, entities only: corpus.conll.
    Conll,
    /// Prodigy/doccano JSONL {"text","spans":[...]}: annotations.jsonl.
    Jsonl,
    /// spaCy v3 training JSONL {"text","entities":[[start,end,label]]}: spacy.jsonl.
    Spacy,
    /// WebAnno TSV 3.3, named-entity layer: NAME.tsv per article.
    Webanno,
    /// W3C Web Annotation JSON-LD: NAME.jsonld per article.
    W3c,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusChoice {
    /// Accepted annotations only.
    Accepted,
    /// Accepted and suggested (never rejected).
    All,
    /// The curated layer only: accepted records that settle annotators' records (`marginalia curate`).
    Curated,
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
pub(super) fn progress_bar(len: usize, verb: &str) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    let template = format!("{{spinner}} {verb} {{pos}}/{{len}} files {{wide_bar}} {{eta}}");
    bar.set_style(ProgressStyle::with_template(&template).expect("static template"));
    bar
}

/// The article targets of `paths` (corpus folders or article files).
pub(super) fn article_targets(paths: &[PathBuf]) -> Result<Vec<Target>, String> {
    let default = [PathBuf::from("corpus")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut cache = CorpusCache::default();
    Ok(expand(paths, &mut cache)?.into_iter().filter(|t| t.role == FileRole::Article).collect())
}

/// An article's text and sidecar annotations; malformed sidecar lines are
/// reported and the rest used.
pub(super) fn load_article(path: &Path) -> Result<(String, Vec<Annotation>), String> {
    let text = read_text_file(path).map_err(|e| e.to_string())?;
    let sidecar = sidecar_path(path);
    let file = read_annotations(&sidecar).map_err(|e| e.to_string())?;
    if !file.diagnostics.is_empty() {
        eprintln!(
            "warning: {}: {} malformed lines ignored (`marginalia check` shows them)",
            display_path(&sidecar).display(),
            file.diagnostics.len()
        );
    }
    Ok((text, file.annotations))
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The article's path relative to its corpus root (outside a corpus, to the
/// current folder; failing both, its file name). Only plain names, never `..`
/// or a root, so that `--out` joined with it stays inside `--out`.
pub(super) fn relative_path(target: &Target) -> PathBuf {
    let base = target.corpus.as_ref().map(|c| c.root.clone()).or_else(|| std::env::current_dir().ok());
    base.and_then(|base| target.path.strip_prefix(base).ok().map(Path::to_path_buf))
        .filter(|relative| !relative.as_os_str().is_empty() && relative.components().all(|c| matches!(c, Component::Normal(_))))
        .unwrap_or_else(|| PathBuf::from(target.path.file_name().unwrap_or_default()))
}

/// `relative` `/`-separated: the document id (JSONL and spaCy `meta.source`, W3C source IRI).
pub(super) fn source_id(relative: &Path) -> String {
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Refuses an export that would write one file twice (two corpora, or
/// articles outside a corpus, with one relative path) or over an article it
/// reads (`--out` at the corpus root): better no export than a lost file.
fn refuse_overwrites(files: &[(PathBuf, String)], sources: &[PathBuf]) -> Result<(), String> {
    let sources: std::collections::HashSet<PathBuf> = sources.iter().map(|p| p.canonicalize().unwrap_or_else(|_| p.clone())).collect();
    let mut written: HashMap<PathBuf, &Path> = HashMap::new();
    for (path, _) in files {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        // The real file if one is there already (a symlinked --out, `..`), else the path as given.
        let resolved = absolute.canonicalize().unwrap_or_else(|_| absolute.clone());
        if sources.contains(&resolved) {
            return Err(format!("{}: is an article being exported; choose another --out (nothing written)", path.display()));
        }
        if let Some(first) = written.insert(resolved, path) {
            return Err(format!(
                "{} and {} are the same file: two articles with one path; nothing written",
                first.display(),
                path.display()
            ));
        }
    }
    Ok(())
}

pub fn run(paths: &[PathBuf], format: ExportFormat, out: Option<PathBuf>, status: StatusChoice, annotator: Option<&str>) -> ExitCode {
    let targets = match article_targets(paths) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let status = match status {
        StatusChoice::Accepted => StatusFilter::Accepted,
        StatusChoice::All => StatusFilter::All,
        StatusChoice::Curated => StatusFilter::Curated,
    };
    let out =
        out.unwrap_or_else(|| PathBuf::from(format!("export-{}", format.to_possible_value().expect("no skipped variants").get_name())));
    if let Err(error) = std::fs::create_dir_all(&out) {
        eprintln!("error: {}: cannot create: {error}", out.display());
        return ExitCode::from(1);
    }
    let progress = progress_bar(targets.len(), "exporting");
    let mut notes = Notes::default();
    // Per article: name, path relative to the corpus root, its id, text, annotations.
    let mut articles: Vec<(String, String, PathBuf, String, Vec<Annotation>)> = Vec::with_capacity(targets.len());
    let mut loaded_targets: Vec<&Target> = Vec::with_capacity(targets.len());
    let mut failed = false;
    for target in &targets {
        match load_article(&target.path) {
            Ok((text, annotations)) => {
                let selected = interchange::select_for_export(&annotations, status, annotator, &mut notes);
                let relative = relative_path(target);
                articles.push((stem(&target.path), source_id(&relative), relative, text, selected));
                loaded_targets.push(target);
            }
            Err(message) => {
                progress.suspend(|| eprintln!("error: {message}"));
                failed = true;
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    // Two articles with one relative path (in two corpora, or outside any
    // corpus and the current folder, where only the file name is left) would
    // be one file: say which, and write nothing.
    let mut seen: HashMap<&Path, &Path> = HashMap::new();
    for ((_, _, relative, _, _), target) in articles.iter().zip(&loaded_targets) {
        if let Some(first) = seen.insert(relative, &target.path) {
            eprintln!(
                "error: {} and {} would both be exported as {}; export them separately (nothing written)",
                display_path(first).display(),
                display_path(&target.path).display(),
                relative.display()
            );
            return ExitCode::from(1);
        }
    }
    let documents: Vec<ExportDocument> =
        articles.iter().map(|(name, source, _, text, annotations)| ExportDocument { name, source, text, annotations }).collect();
    // Where an article's own file goes: its relative path under --out, with the format's extension.
    let placed = |n: usize, extension: &str| out.join(articles[n].2.with_extension(extension));
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    match format {
        ExportFormat::Brat => {
            for (n, doc) in documents.iter().enumerate() {
                let export = interchange::brat::to_brat(doc);
                notes.extend(export.notes);
                files.push((placed(n, "txt"), doc.text.to_string()));
                files.push((placed(n, "ann"), export.ann));
            }
            files.push((out.join("annotation.conf"), interchange::brat::annotation_conf(&documents)));
        }
        ExportFormat::Conll => {
            let combined: String = documents.iter().map(|doc| interchange::conll::to_conll(doc, &mut notes)).collect();
            files.push((out.join("corpus.conll"), combined));
        }
        ExportFormat::Jsonl => {
            let mut combined = String::new();
            for doc in &documents {
                combined.push_str(&interchange::jsonl::to_jsonl_record(doc, &mut notes).to_string());
                combined.push('\n');
            }
            files.push((out.join("annotations.jsonl"), combined));
        }
        ExportFormat::Spacy => {
            let mut combined = String::new();
            for doc in &documents {
                combined.push_str(&interchange::spacy::to_spacy_record(doc, &mut notes).to_string());
                combined.push('\n');
            }
            files.push((out.join("spacy.jsonl"), combined));
        }
        ExportFormat::Webanno => {
            for (n, doc) in documents.iter().enumerate() {
                files.push((placed(n, "tsv"), interchange::webanno::to_webanno(doc, &mut notes)));
            }
        }
        ExportFormat::W3c => {
            for (n, doc) in documents.iter().enumerate() {
                let collection = interchange::w3c::to_w3c(doc, &mut notes);
                let pretty = serde_json::to_string_pretty(&collection).expect("JSON values serialize");
                files.push((placed(n, "jsonld"), pretty + "\n"));
            }
        }
    }
    let sources: Vec<PathBuf> = targets.iter().map(|t| t.path.clone()).collect();
    if let Err(message) = refuse_overwrites(&files, &sources) {
        eprintln!("error: {message}");
        return ExitCode::from(1);
    }
    for (path, content) in &files {
        let folder = path.parent().map_or(Ok(()), std::fs::create_dir_all);
        if let Err(error) = folder.and_then(|()| std::fs::write(path, content)) {
            eprintln!("error: {}: cannot write: {error}", path.display());
            return ExitCode::from(1);
        }
    }
    let annotations: usize = documents.iter().map(|d| d.annotations.len()).sum();
    let shown = display_path(&std::path::absolute(&out).unwrap_or(out.clone()));
    let place = match files.as_slice() {
        [(only, _)] => display_path(&std::path::absolute(only).unwrap_or(only.clone())).display().to_string(),
        _ => format!("{} files in {}", files.len(), shown.display()),
    };
    println!("wrote {place} ({} articles, {annotations} annotations)", documents.len());
    if !notes.is_empty() {
        eprintln!("note: {}", notes.summary());
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
