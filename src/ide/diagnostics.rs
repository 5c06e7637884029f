//! Which diagnostics a file of the corpus gets, decided in one place for both
//! edges: before, `lsp/state.rs` and `cli/check.rs` each combined analysis and
//! annotation findings by the file's role, and they differed (only the CLI
//! sorted; only the CLI reported orphaned sidecars and missing folders).

use std::path::Path;

use crate::analysis::Analysis;
use crate::annotations::curation;
use crate::annotations::{AnchoredAnnotation, diagnostics_in_article, diagnostics_in_sidecar, orphaned_sidecar, parse_annotation_file};
use crate::diagnostic::{Diagnostic, DiagnosticCode, RelatedSpan};
use crate::kb::KnowledgeBase;
use crate::text::TextRange;
use crate::workspace::CorpusConfig;

/// A file with what its diagnostics depend on, as the edge has it (the CLI
/// from disk, the server with the editor's unsaved buffers).
pub enum FileInput<'a> {
    /// An article: its analysis (the rules with the annotators' decisions
    /// applied), its anchored annotations, problems reading its sidecar that
    /// the article itself should show, and the other articles of its corpus
    /// with its file name (as shown, relative to the corpus).
    Article {
        /// The article's text.
        text: &'a str,
        /// Its analysis.
        analysis: &'a Analysis,
        /// Its sidecar's annotations, anchored to `text`.
        annotations: &'a [AnchoredAnnotation],
        /// Problems reading the sidecar, shown on the article.
        sidecar_problems: &'a [Diagnostic],
        /// Other articles of the corpus with this file name.
        same_name: &'a [String],
    },
    /// An annotation sidecar at `path`, with its article's text when the
    /// article exists.
    Sidecar {
        /// The sidecar's path.
        path: &'a Path,
        /// Its text.
        text: &'a str,
        /// Its article's text (`None`: no article).
        article_text: Option<&'a str>,
    },
    /// A knowledge-base file: its own and its cross-file problems, found when
    /// the knowledge base was built.
    KnowledgeBase {
        /// Its problems.
        problems: &'a [Diagnostic],
    },
    /// The corpus configuration, `marginalia.toml` in `root`.
    Config {
        /// Its text.
        text: &'a str,
        /// The corpus folder.
        root: &'a Path,
    },
    /// Anything else: no diagnostics.
    Other,
}

/// What the corpus contributes: its knowledge base and label set.
pub struct CorpusView<'a> {
    /// The corpus's knowledge base.
    pub kb: &'a KnowledgeBase,
    /// Its entity labels.
    pub labels: &'a [String],
}

/// The diagnostics of one file, in order of position.
pub fn file_diagnostics(input: FileInput, corpus: &CorpusView) -> Vec<Diagnostic> {
    let mut diagnostics = match input {
        FileInput::Article { text, analysis, annotations, sidecar_problems, same_name } => {
            let mut diagnostics = analysis.diagnostics.clone();
            // A name whose entry a KB syntax error made unreadable is not
            // unknown: the error is reported once, in the KB file.
            diagnostics.retain(|d| {
                d.code != DiagnosticCode::UnknownEntity || !corpus.kb.has_unreadable() || {
                    let name = d.range.slice(text);
                    !corpus.kb.may_name_unreadable(name) && !corpus.kb.is_unreadable(&crate::kb::names::clean_name(name).name)
                }
            });
            diagnostics.extend(sidecar_problems.iter().cloned());
            if !same_name.is_empty() {
                // marginalia keeps them apart by path, but brat and JSONL
                // imports outside an export's folder layout find an article
                // by name, and WebAnno/INCEpTION projects need unique names.
                let message = format!(
                    "another article has this file name: {}; brat or JSONL files imported by name, and WebAnno/INCEpTION projects, cannot tell them apart",
                    same_name.join(", ")
                );
                diagnostics.push(Diagnostic::warning(DiagnosticCode::DuplicateArticleName, TextRange::empty(0), message));
            }
            // No annotations, no problems with them: and no line index of a
            // long document built on every keystroke to find that out.
            if !annotations.is_empty() {
                diagnostics.extend(diagnostics_in_article(text, annotations, corpus.kb, corpus.labels));
                diagnostics.extend(conflicts_in_article(annotations));
            }
            diagnostics
        }
        FileInput::Sidecar { path, text, article_text } => match article_text {
            Some(article_text) => diagnostics_in_sidecar(text, article_text, corpus.kb, corpus.labels),
            None => {
                // Every record orphaned on no text would only repeat this one
                // warning; malformed lines still show.
                let file = parse_annotation_file(text);
                orphaned_sidecar(path, file.annotations.len()).into_iter().chain(file.diagnostics).collect()
            }
        },
        FileInput::KnowledgeBase { problems } => problems.to_vec(),
        FileInput::Config { text, root } => {
            let (config, mut diagnostics) = CorpusConfig::parse(text);
            // Folders are judged only on a configuration that reads.
            if diagnostics.is_empty() {
                diagnostics.extend(config.folder_diagnostics(Some(text), root));
            }
            diagnostics
        }
        FileInput::Other => Vec::new(),
    };
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    diagnostics
}

/// Where the annotators of an article disagree (issue 17, curation): one
/// `annotation-conflict` information per unsettled span, each annotator's
/// version in the related information. Articles with one annotator have none.
pub fn conflicts_in_article(annotations: &[AnchoredAnnotation]) -> Vec<Diagnostic> {
    // This runs on every keystroke: the records are copied for comparison
    // only where two or more annotators have accepted ones.
    let annotators = curation::annotators_of(annotations.iter().map(|a| &a.annotation));
    if annotators.len() < 2 {
        return Vec::new();
    }
    let records: Vec<crate::annotations::Annotation> = annotations.iter().map(|a| a.annotation.clone()).collect();
    let range_of = |id: &str| annotations.iter().find(|a| a.annotation.id == id).and_then(|a| a.range);
    curation::compare(&records, &annotators)
        .into_iter()
        .filter(|cluster| !cluster.settled)
        .filter_map(|cluster| {
            let reason = cluster.conflict.clone()?;
            let ranges: Vec<TextRange> = cluster.records.iter().filter_map(|a| range_of(&a.id)).collect();
            let start = ranges.iter().map(|r| r.start).min()?;
            let end = ranges.iter().map(|r| r.end).max()?;
            let mut diagnostic = Diagnostic::information(
                DiagnosticCode::AnnotationConflict,
                TextRange::new(start, end),
                format!("annotators disagree: {reason}"),
            );
            for a in &cluster.records {
                if let Some(range) = range_of(&a.id) {
                    diagnostic = diagnostic.with_related(RelatedSpan { file: None, range, message: curation::describe_version(a) });
                }
            }
            Some(diagnostic)
        })
        .collect()
}
