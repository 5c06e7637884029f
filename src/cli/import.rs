//! `marginalia import`: annotations from brat `.ann` files or JSONL into the
//! corpus's sidecars, merged with what is there (a span the annotator already
//! has is updated, never duplicated), written under the sidecar's lock.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use super::export::progress_bar;
use super::targets::display_path;
use crate::annotations::{read_annotations, sidecar_path, update_annotations};
use crate::interchange::{self, ImportedSpan, MergeOutcome, Notes};
use crate::workspace::{Corpus, ensure_inside_corpus, read_text_file};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// brat standoff `.ann` files (NAME.ann or NAME_ANNOTATOR.ann for article NAME.txt).
    Brat,
    /// JSONL {"text","spans":[{"start","end","label"}]} (Prodigy, doccano, marginalia export).
    Jsonl,
}

pub struct ImportOptions<'a> {
    pub format: ImportFormat,
    pub annotator: Option<&'a str>,
    pub corpus: Option<&'a Path>,
    pub dry_run: bool,
}

/// One batch of spans for one article by one annotator.
struct Batch {
    source: String,
    article: PathBuf,
    annotator: Option<String>,
    spans: Vec<ImportedSpan>,
}

/// The corpus to import into: `--corpus`, else the one holding the input, else
/// the one holding the current folder, else `./corpus`.
fn target_corpus(inputs: &[PathBuf], explicit: Option<&Path>) -> Result<Corpus, String> {
    let root = match explicit {
        Some(dir) => Corpus::find_root(&std::path::absolute(dir).map_err(|e| e.to_string())?),
        None => inputs.iter().filter_map(|p| std::path::absolute(p).ok()).find_map(|p| Corpus::find_root(&p)).or_else(|| {
            std::env::current_dir().ok().and_then(|cwd| Corpus::find_root(&cwd).or_else(|| Corpus::find_root(&cwd.join("corpus"))))
        }),
    };
    let root = root.ok_or("no corpus to import into (no marginalia.toml found); name one with --corpus")?;
    Ok(Corpus::load(&root, &HashMap::new()))
}

/// An input file, and its path relative to the folder it was found in (an
/// export keeps each article's path relative to the corpus root there).
struct InputFile {
    path: PathBuf,
    relative: Option<PathBuf>,
}

/// Files with `extension` named directly or found in folders.
fn input_files(inputs: &[PathBuf], extension: &str) -> Result<Vec<InputFile>, String> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = crate::workspace::files_with_extension(input, extension);
            found.sort();
            files.extend(found.into_iter().map(|path| InputFile { relative: path.strip_prefix(input).ok().map(Path::to_path_buf), path }));
        } else if input.is_file() {
            files.push(InputFile { path: input.clone(), relative: None });
        } else {
            return Err(format!("{}: no such file or folder", input.display()));
        }
    }
    Ok(files)
}

/// The file's text without the byte-order mark Windows editors may put first:
/// it belongs to no record or `.ann` line.
fn without_byte_order_mark(text: &str) -> &str {
    text.strip_prefix(crate::annotations::BYTE_ORDER_MARK).unwrap_or(text)
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The corpus's articles, by path and by name (file stem); names are not
/// unique (`articles/000_x.txt`, `more/000_x.txt`), so a name gives them all.
struct Articles {
    root: PathBuf,
    paths: std::collections::HashSet<PathBuf>,
    by_name: HashMap<String, Vec<PathBuf>>,
}

impl Articles {
    fn of(corpus: &Corpus) -> Articles {
        let mut by_name: HashMap<String, Vec<PathBuf>> = HashMap::new();
        for path in corpus.article_paths() {
            by_name.entry(stem(&path)).or_default().push(path);
        }
        Articles { root: corpus.root.clone(), paths: by_name.values().flatten().cloned().collect(), by_name }
    }

    /// The article at `relative` (to the corpus root), if the corpus has one.
    fn at(&self, relative: &Path) -> Option<&PathBuf> {
        self.paths.get(&self.root.join(relative))
    }
}

/// Which article a brat file annotates.
enum BratMatch<'a> {
    Found(&'a PathBuf, Option<String>),
    /// No article of that name.
    None,
    /// Several articles have the name, and the file's place does not say which.
    Ambiguous(&'a [PathBuf]),
}

/// The article an `.ann` file annotates and the annotator its name gives: the
/// article at the same relative path (an export of this corpus); else by name,
/// `NAME.ann` → `NAME.txt` and `NAME_ANNOTATOR.ann` → `NAME.txt` and ANNOTATOR
/// (the PolNeAR layout), the longest matching article name winning. A name
/// that several articles share is never guessed.
fn brat_article<'a>(ann: &InputFile, articles: &'a Articles) -> BratMatch<'a> {
    if let Some(article) = ann.relative.as_ref().and_then(|r| articles.at(&r.with_extension("txt"))) {
        return BratMatch::Found(article, None);
    }
    let name = stem(&ann.path);
    let found = articles.by_name.get_key_value(&name).map(|(article, paths)| (article, paths, None)).or_else(|| {
        articles
            .by_name
            .iter()
            .filter(|(article, _)| {
                name.len() > article.len() + 1 && name.starts_with(article.as_str()) && name.as_bytes()[article.len()] == b'_'
            })
            .max_by_key(|(article, _)| article.len())
            .map(|(article, paths)| (article, paths, Some(name[article.len() + 1..].to_string())))
    });
    match found {
        None => BratMatch::None,
        Some((_, paths, annotator)) if paths.len() == 1 => BratMatch::Found(&paths[0], annotator),
        Some((_, paths, _)) => BratMatch::Ambiguous(paths),
    }
}

fn brat_batches(files: &[InputFile], articles: &Articles, skipped: &mut Notes) -> Result<Vec<Batch>, String> {
    let progress = progress_bar(files.len(), "reading");
    let mut batches = Vec::new();
    for input in files {
        progress.inc(1);
        let file = &input.path;
        let (article, annotator) = match brat_article(input, articles) {
            BratMatch::Found(article, annotator) => (article, annotator),
            BratMatch::None => {
                eprintln!("warning: {}: no article {}.txt in the corpus; skipped", display_path(file).display(), stem(file));
                skipped.add("brat files without their article in the corpus");
                continue;
            }
            BratMatch::Ambiguous(paths) => {
                let listed: Vec<String> = paths.iter().map(|p| display_path(p).display().to_string()).collect();
                let name = paths[0].file_name().unwrap_or_default().to_string_lossy();
                eprintln!(
                    "warning: {}: {} articles are named {name} ({}); import the exported folder so its layout says which; skipped",
                    display_path(file).display(),
                    paths.len(),
                    listed.join(", ")
                );
                skipped.add("brat files whose article name several articles share");
                continue;
            }
        };
        let ann = read_text_file(file).map_err(|e| e.to_string())?;
        let ann = without_byte_order_mark(&ann);
        let text = read_text_file(article).map_err(|e| e.to_string())?;
        let parsed = interchange::brat::parse_brat(ann, &text);
        skipped.extend(parsed.skipped);
        batches.push(Batch { source: display_path(file).display().to_string(), article: article.clone(), annotator, spans: parsed.spans });
    }
    progress.finish_and_clear();
    Ok(batches)
}

fn jsonl_batches(files: &[InputFile], articles: &Articles, skipped: &mut Notes) -> Result<Vec<Batch>, String> {
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    let mut text_of = |path: &PathBuf| -> Result<String, String> {
        if let Some(text) = texts.get(path) {
            return Ok(text.clone());
        }
        let text = read_text_file(path).map_err(|e| e.to_string())?;
        texts.insert(path.clone(), text.clone());
        Ok(text)
    };
    let mut batches = Vec::new();
    for InputFile { path: file, .. } in files {
        let content = read_text_file(file).map_err(|e| e.to_string())?;
        for (n, line) in without_byte_order_mark(&content).lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let at = format!("{}:{}", display_path(file).display(), n + 1);
            let record = interchange::jsonl::parse_jsonl_record(line).map_err(|e| format!("{at}: {e}"))?;
            if record.rejected {
                skipped.add("records answered reject or ignore");
                continue;
            }
            // The article at the record's path (`meta.source`), else the one
            // article of its name, if its text is the record's; else any article
            // with that exact text.
            let mut article = None;
            let by_name = record.name.as_ref().and_then(|name| articles.by_name.get(name)).filter(|paths| paths.len() == 1).map(|p| &p[0]);
            if let Some(path) = record.source.as_ref().and_then(|source| articles.at(Path::new(source))).or(by_name)
                && text_of(path)? == record.text
            {
                article = Some(path.clone());
            }
            if article.is_none() {
                let mut all: Vec<&PathBuf> = articles.paths.iter().collect();
                // In path order, so that identical texts always resolve alike.
                all.sort();
                for path in all {
                    if text_of(path)? == record.text {
                        article = Some(path.clone());
                        break;
                    }
                }
            }
            let Some(article) = article else {
                eprintln!("warning: {at}: its text is not the text of any article in the corpus; skipped");
                skipped.add("records whose text matches no article");
                continue;
            };
            batches.push(Batch { source: at, article, annotator: record.annotator, spans: record.spans });
        }
    }
    Ok(batches)
}

pub fn run(inputs: &[PathBuf], options: ImportOptions) -> ExitCode {
    let corpus = match target_corpus(inputs, options.corpus) {
        Ok(corpus) => corpus,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let articles = Articles::of(&corpus);
    let extension = match options.format {
        ImportFormat::Brat => "ann",
        ImportFormat::Jsonl => "jsonl",
    };
    let mut skipped = Notes::default();
    let batches = input_files(inputs, extension).and_then(|files| match options.format {
        ImportFormat::Brat => brat_batches(&files, &articles, &mut skipped),
        ImportFormat::Jsonl => jsonl_batches(&files, &articles, &mut skipped),
    });
    let mut batches = match batches {
        Ok(batches) => batches,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut total = MergeOutcome::default();
    let mut imported = 0;
    let mut failed = false;
    let progress = progress_bar(batches.len(), if options.dry_run { "checking" } else { "importing" });
    for batch in &mut batches {
        progress.inc(1);
        if let Some(flag) = options.annotator {
            // The flag names the annotator of everything imported.
            batch.annotator = Some(flag.to_string());
            batch.spans.iter_mut().for_each(|s| s.annotator = None);
        }
        // Without a file-wide annotator, every span must name its own (marginalia's JSONL does).
        let Some(annotator) = batch.annotator.clone().or_else(|| batch.spans.iter().all(|s| s.annotator.is_some()).then(String::new))
        else {
            progress.suspend(|| eprintln!("error: {}: no annotator in the file or its name; pass --annotator NAME", batch.source));
            failed = true;
            continue;
        };
        let text = match read_text_file(&batch.article) {
            Ok(text) => text,
            Err(error) => {
                progress.suspend(|| eprintln!("error: {error}"));
                failed = true;
                continue;
            }
        };
        let sidecar = sidecar_path(&batch.article);
        let merge = |annotations: &mut Vec<crate::annotations::Annotation>| {
            interchange::merge_imported(annotations, &text, &batch.spans, &annotator, &now)
        };
        let outcome = if options.dry_run {
            read_annotations(&sidecar).map_err(|e| e.to_string()).map(|file| {
                let mut annotations = file.annotations;
                merge(&mut annotations)
            })
        } else {
            ensure_inside_corpus(&sidecar, Some(&corpus.root))
                .and_then(|()| update_annotations(&sidecar, merge).map(|(outcome, _)| outcome).map_err(|e| e.to_string()))
        };
        match outcome {
            Ok(outcome) => {
                total += outcome;
                imported += 1;
                let shown = display_path(&sidecar);
                progress.suspend(|| {
                    println!(
                        "{} → {}: {} added, {} updated, {} unchanged",
                        batch.source,
                        shown.display(),
                        outcome.added,
                        outcome.updated,
                        outcome.unchanged
                    )
                });
            }
            Err(message) => {
                progress.suspend(|| eprintln!("error: {message}"));
                failed = true;
            }
        }
    }
    progress.finish_and_clear();
    let mode = if options.dry_run { " (dry run: nothing written)" } else { "" };
    println!("imported {imported} documents: {} added, {} updated, {} unchanged{mode}", total.added, total.updated, total.unchanged);
    if !skipped.is_empty() {
        println!("skipped: {}", skipped.summary());
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
