//! What the server knows, owned by one worker thread: open documents (ropey),
//! their analyses, and the corpora they belong to. Document events are applied
//! here strictly in the order the client sent them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, Uri,
};

use super::convert::{PositionEncoding, range_from_lsp};
use crate::analysis::{Analysis, AnalysisConfig, IncrementalAnalysis};
use crate::annotations::{Anchor, AnchoredAnnotation, anchor_all, article_for_sidecar, parse_annotation_file, sidecar_path};
use crate::diagnostic::Diagnostic;
use crate::ide::diagnostics::{CorpusView, FileInput, file_diagnostics};
use crate::kb::{KnowledgeBase, parse_kb_file};
use crate::text::TextRange;
use crate::workspace::{Corpus, FileRole, MentionIndex, mentions_in, read_text_file};

/// A document-sync notification, queued in arrival order.
#[derive(Debug)]
pub enum DocumentEvent {
    Open(DidOpenTextDocumentParams),
    Change(DidChangeTextDocumentParams),
    Save(DidSaveTextDocumentParams),
    Close(DidCloseTextDocumentParams),
    WatchedFiles(DidChangeWatchedFilesParams),
    Renamed(tower_lsp_server::ls_types::RenameFilesParams),
}

pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub version: i32,
    pub rope: Rope,
    pub role: FileRole,
    pub corpus_root: Option<PathBuf>,
    /// For articles: the sidecar's annotations, anchored to the current text and
    /// moved along with every edit.
    pub annotations: Vec<AnchoredAnnotation>,
    /// For articles: problems reading the sidecar, shown at the article's start.
    sidecar_errors: Vec<Diagnostic>,
    analysis: Option<Arc<Analysis>>,
    text: Option<Arc<str>>,
    /// The rules' last analysis, which the next one after an edit builds on.
    incremental: IncrementalAnalysis,
    /// This article's analysis running off the worker, if any.
    in_flight: Option<InFlight>,
    /// The version whose background analysis panicked (analysed on the worker).
    background_failed: Option<i32>,
}

impl Document {
    pub fn text(&mut self) -> Arc<str> {
        self.text.get_or_insert_with(|| Arc::from(self.rope.to_string())).clone()
    }

    fn invalidate(&mut self) {
        self.analysis = None;
        self.text = None;
    }
}

/// Articles at least this long are analysed off the worker thread, so that
/// their analysis never holds up requests about other documents.
pub const BACKGROUND_ANALYSIS_BYTES: usize = 1 << 20;

/// An analysis running off the worker: the result comes back through `result`.
struct InFlight {
    version: i32,
    result: std::sync::mpsc::Receiver<(IncrementalAnalysis, Arc<Analysis>)>,
}

/// An article's analysis to run off the worker thread; `uri` names it when the
/// worker is told it is done.
pub struct AnalysisJob {
    pub uri: Uri,
    pub work: Box<dyn FnOnce() + Send>,
}

/// The rules' analysis with the annotators' own decisions applied over it.
fn with_manual_annotations(rules: Arc<Analysis>, annotations: &[AnchoredAnnotation], kb: &KnowledgeBase) -> Arc<Analysis> {
    if annotations.is_empty() {
        return rules;
    }
    let mut annotated = (*rules).clone();
    crate::analysis::manual::apply_manual_annotations(&mut annotated, annotations, kb);
    Arc::new(annotated)
}

/// Corpora larger than this are indexed in the background.
const SYNC_INDEX_LIMIT: usize = 2_000;

/// A corpus to index off the worker thread.
pub struct IndexingJob {
    pub root: PathBuf,
    pub generation: u64,
    pub paths: Vec<PathBuf>,
    pub kb: Arc<KnowledgeBase>,
}

/// Diagnostics to send for one document at one version.
pub struct PublishRequest {
    pub uri: Uri,
    pub version: Option<i32>,
    pub diagnostics: Vec<Diagnostic>,
    pub rope: Rope,
}

#[derive(Default)]
pub struct ServerState {
    pub encoding: PositionEncoding,
    pub workspace_roots: Vec<PathBuf>,
    pub documents: HashMap<Uri, Document>,
    pub corpora: HashMap<PathBuf, Corpus>,
    /// Mentions across every article of each corpus, keyed like `corpora`; open
    /// documents contribute their unsaved text.
    pub indexes: HashMap<PathBuf, MentionIndex>,
    /// The annotator named in the editor's settings, if any.
    pub editor_annotator: Option<String>,
    /// The client asked (`initializationOptions.annotationWrites = "server"`) for
    /// annotation actions to be written by the server (`marginalia.applyAnnotationOps`)
    /// rather than as edits of a sidecar the user is not editing. Neovim applies
    /// such edits to a hidden buffer, where every action since opening is one
    /// undo step (issue 17, friction 1).
    pub annotation_writes_on_server: bool,
    /// The client shows `$/progress` (window.workDoneProgress).
    pub client_shows_progress: bool,
    /// The client sent `initialized`: before it, messages to the client are
    /// dropped, so background work that reports progress waits for it.
    pub client_initialized: bool,
    /// Bumped each time a corpus is (re)indexed, so a stale background index is dropped.
    index_generations: HashMap<PathBuf, u64>,
    indexing_jobs: Vec<IndexingJob>,
    analysis_jobs: Vec<AnalysisJob>,
    /// The last text seen of closed articles whose annotations changed, so
    /// that an outside edit of one is followed exactly.
    closed_texts: HashMap<PathBuf, Arc<str>>,
    /// Documents whose diagnostics must be sent after the current batch.
    dirty: HashSet<Uri>,
    /// Open articles analysed since the corpus index last took their mentions.
    unindexed: HashSet<Uri>,
}

pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str().eq_ignore_ascii_case("file") { uri.to_file_path().map(|p| p.into_owned()) } else { None }
}

/// The file path of a URI given as a string (file operations carry strings).
fn path_of_uri(uri: &str) -> Option<PathBuf> {
    uri.parse::<Uri>().ok().as_ref().and_then(uri_to_path)
}

impl ServerState {
    pub fn apply(&mut self, event: DocumentEvent) {
        match event {
            DocumentEvent::Open(params) => {
                let doc = params.text_document;
                let path = uri_to_path(&doc.uri);
                let corpus_root = path.as_deref().and_then(|p| self.ensure_corpus(p));
                let role = match (&path, &corpus_root) {
                    (Some(p), Some(root)) => self.corpora[root].role_of(p),
                    _ => FileRole::Other,
                };
                // Text files outside a corpus (and unsaved buffers) are still
                // analysed as articles.
                let looks_like_text = match &path {
                    Some(p) => p.extension().is_some_and(|e| e == "txt"),
                    None => !matches!(doc.language_id.as_str(), "json" | "jsonc" | "jsonl" | "toml"),
                };
                let role = if role == FileRole::Other && looks_like_text { FileRole::Article } else { role };
                let document = Document {
                    uri: doc.uri.clone(),
                    path,
                    version: doc.version,
                    rope: Rope::from_str(&doc.text),
                    role,
                    corpus_root,
                    annotations: Vec::new(),
                    sidecar_errors: Vec::new(),
                    analysis: None,
                    text: None,
                    incremental: IncrementalAnalysis::default(),
                    in_flight: None,
                    background_failed: None,
                };
                // Its buffer is the truth now; a remembered text would be stale
                // by the time it is closed again.
                if let Some(path) = &document.path {
                    self.closed_texts.remove(path);
                }
                self.documents.insert(doc.uri.clone(), document);
                match role {
                    FileRole::Article => self.load_annotations(&doc.uri),
                    FileRole::Annotations => self.sidecar_changed(&doc.uri),
                    _ => {}
                }
                self.dirty.insert(doc.uri);
            }
            DocumentEvent::Change(params) => {
                let encoding = self.encoding;
                let Some(document) = self.documents.get_mut(&params.text_document.uri) else {
                    tracing::warn!(uri = params.text_document.uri.as_str(), "didChange for a document that is not open; ignored");
                    return;
                };
                // Changes before the last whole-text change are overwritten by
                // it: annotations follow from the text as it was before this
                // notification straight to that whole text, so the diff sees
                // one change, not an intermediate text (soak finding S3: after
                // a "Z" put at 0:0, nothing was a common prefix any more and an
                // annotation in repeated words was placed on another copy).
                let last_whole = params.content_changes.iter().rposition(|change| change.range.is_none());
                let changes = params.content_changes.into_iter().skip(last_whole.unwrap_or(0));
                for change in changes {
                    match change.range {
                        Some(range) => {
                            let range = range_from_lsp(&document.rope, range, encoding);
                            let start = document.rope.byte_to_char(range.start);
                            let end = document.rope.byte_to_char(range.end);
                            document.rope.remove(start..end);
                            document.rope.insert(start, &change.text);
                            for anchored in &mut document.annotations {
                                anchored.range =
                                    anchored.range.and_then(|r| crate::annotations::shift_through_edit(r, range, change.text.len()));
                                if anchored.range.is_none() {
                                    anchored.anchor = Anchor::Orphaned;
                                }
                                // Tied places of an orphan move with the edit, or are gone.
                                anchored.candidates = anchored
                                    .candidates
                                    .iter()
                                    .filter_map(|&c| crate::annotations::shift_through_edit(c, range, change.text.len()))
                                    .collect();
                            }
                        }
                        None => {
                            // The whole text at once: annotations follow it as
                            // they would an edit outside the editor (issue 14,
                            // case 1: their old offsets meant other words now).
                            let old = document.rope.to_string();
                            crate::annotations::follow_replacement(&old, &change.text, &mut document.annotations);
                            for anchored in &document.annotations {
                                // With MARGINALIA_LOG=marginalia=debug, what the soak harness keeps of a failing run.
                                tracing::debug!(id = anchored.annotation.id, range = ?anchored.range, anchor = ?anchored.anchor, "followed a whole-text change");
                            }
                            document.rope = Rope::from_str(&change.text);
                        }
                    }
                }
                document.version = params.text_document.version;
                document.invalidate();
                let role = document.role;
                if role == FileRole::Annotations {
                    self.sidecar_changed(&params.text_document.uri);
                }
                self.dirty.insert(params.text_document.uri);
            }
            DocumentEvent::Save(params) => {
                let Some(document) = self.documents.get(&params.text_document.uri) else { return };
                if document.role == FileRole::Article {
                    self.persist_moved_annotations(&params.text_document.uri);
                    return;
                }
                if matches!(document.role, FileRole::KnowledgeBase | FileRole::Config)
                    && let Some(root) = document.corpus_root.clone()
                {
                    self.reload_corpus(&root);
                }
            }
            DocumentEvent::Close(params) => {
                if let Some(document) = self.documents.remove(&params.text_document.uri) {
                    self.dirty.remove(&params.text_document.uri);
                    if document.role == FileRole::Annotations
                        && let Some(path) = &document.path
                    {
                        // The file on disk is the truth again for the article.
                        self.reload_annotations_of_article_for(path);
                    }
                    if document.role == FileRole::Article
                        && let (Some(path), Some(root)) = (&document.path, &document.corpus_root)
                    {
                        self.reindex_from_disk(root, path);
                    }
                    // The saved file is the truth again for the knowledge base.
                    if matches!(document.role, FileRole::KnowledgeBase | FileRole::Config)
                        && let Some(root) = document.corpus_root
                    {
                        self.reload_corpus(&root);
                    }
                }
            }
            DocumentEvent::Renamed(params) => {
                move_sidecars_with_articles(&params);
                for rename in &params.files {
                    if let (Some(old), Some(new)) = (path_of_uri(&rename.old_uri), path_of_uri(&rename.new_uri))
                        && let Some(text) = self.closed_texts.remove(&old)
                    {
                        self.closed_texts.insert(new, text);
                    }
                }
            }
            DocumentEvent::WatchedFiles(params) => {
                let mut roots = HashSet::new();
                let mut articles = Vec::new();
                let mut sidecars = Vec::new();
                for change in params.changes {
                    let Some(path) = uri_to_path(&change.uri) else { continue };
                    for (root, corpus) in &self.corpora {
                        match corpus.role_of(&path) {
                            FileRole::KnowledgeBase | FileRole::Config => {
                                roots.insert(root.clone());
                            }
                            // An open document's buffer, not the disk, is its truth.
                            FileRole::Article if !self.documents.contains_key(&change.uri) => articles.push((root.clone(), path.clone())),
                            FileRole::Annotations => sidecars.push(path.clone()),
                            _ => {}
                        }
                    }
                }
                for (root, path) in articles {
                    self.reindex_from_disk(&root, &path);
                    self.follow_outside_edit(&root, &path);
                }
                for path in sidecars {
                    self.reload_annotations_of_article_for(&path);
                    self.remember_closed_article(&path);
                }
                for root in roots {
                    self.reload_corpus(&root);
                }
            }
        }
    }

    /// Loads the corpus holding `path` if it is not loaded yet; returns its root.
    fn ensure_corpus(&mut self, path: &Path) -> Option<PathBuf> {
        let root = Corpus::find_root(path)?;
        if !self.corpora.contains_key(&root) {
            let corpus = Corpus::load(&root, &self.unsaved_texts());
            tracing::info!(root = %root.display(), entries = corpus.kb.entries().len(), "corpus loaded");
            self.corpora.insert(root.clone(), corpus);
            self.index_corpus(&root);
        }
        Some(root)
    }

    pub fn load_workspace_corpora(&mut self) {
        for root in self.workspace_roots.clone() {
            for candidate in [root.clone(), root.join("corpus")] {
                if candidate.join(crate::workspace::CONFIG_FILE_NAME).is_file() {
                    self.ensure_corpus(&candidate);
                }
            }
        }
    }

    fn unsaved_texts(&self) -> HashMap<PathBuf, String> {
        self.documents
            .values()
            .filter(|d| matches!(d.role, FileRole::KnowledgeBase | FileRole::Config))
            .filter_map(|d| Some((d.path.clone()?, d.rope.to_string())))
            .collect()
    }

    /// Re-reads the configuration and knowledge base and re-analyses every open
    /// document of the corpus.
    fn reload_corpus(&mut self, root: &Path) {
        let corpus = Corpus::load(root, &self.unsaved_texts());
        self.corpora.insert(root.to_path_buf(), corpus);
        // Mentions depend on the knowledge base: re-index everything.
        self.index_corpus(root);
        for document in self.documents.values_mut().filter(|d| d.corpus_root.as_deref() == Some(root)) {
            document.invalidate();
            self.dirty.insert(document.uri.clone());
        }
    }

    /// Indexes a corpus's articles: at once for a small corpus (so answers are
    /// complete from the first request), on background threads for a large one,
    /// while requests are answered from what is indexed so far.
    fn index_corpus(&mut self, root: &Path) {
        let Some(corpus) = self.corpora.get(root) else { return };
        let paths = corpus.article_paths();
        let kb = corpus.kb.clone();
        let generation = {
            let generation = self.index_generations.entry(root.to_path_buf()).or_default();
            *generation += 1;
            *generation
        };
        if paths.len() <= SYNC_INDEX_LIMIT {
            let index = MentionIndex::build(&paths, &kb);
            self.install_index(root.to_path_buf(), generation, index);
        } else {
            tracing::info!(root = %root.display(), articles = paths.len(), "indexing in the background");
            self.indexing_jobs.push(IndexingJob { root: root.to_path_buf(), generation, paths, kb });
            self.indexes.entry(root.to_path_buf()).or_default();
        }
    }

    /// Installs a finished index unless the corpus was re-indexed meanwhile; open
    /// documents' unsaved text wins over what was read from disk.
    pub fn install_index(&mut self, root: PathBuf, generation: u64, mut index: MentionIndex) {
        if self.index_generations.get(&root) != Some(&generation) {
            return;
        }
        for document in self.documents.values().filter(|d| d.role == FileRole::Article && d.corpus_root.as_ref() == Some(&root)) {
            if let (Some(path), Some(analysis)) = (&document.path, &document.analysis) {
                index.set_file(path.clone(), &document.rope.to_string(), analysis.mentions().cloned().collect());
            }
        }
        tracing::info!(root = %root.display(), articles = index.file_count(), "index ready");
        self.indexes.insert(root, index);
    }

    /// Large corpora waiting to be indexed in the background, once the client
    /// can be told about it.
    pub fn take_indexing_jobs(&mut self) -> Vec<IndexingJob> {
        if self.client_shows_progress && !self.client_initialized {
            return Vec::new();
        }
        std::mem::take(&mut self.indexing_jobs)
    }

    fn reindex_from_disk(&mut self, root: &Path, path: &Path) {
        let (Some(corpus), Some(index)) = (self.corpora.get(root), self.indexes.get_mut(root)) else { return };
        match read_text_file(path) {
            Ok(text) => index.set_file(path.to_path_buf(), &text, mentions_in(&text, &corpus.kb)),
            Err(_) => index.remove_file(path),
        }
    }

    /// The sidecar's current text: its open buffer, else the file, else nothing.
    pub fn sidecar_text(&self, sidecar: &Path) -> Result<Option<String>, crate::workspace::FileError> {
        if let Some(document) = self.documents.values().find(|d| d.path.as_deref() == Some(sidecar)) {
            return Ok(Some(document.rope.to_string()));
        }
        match read_text_file(sidecar) {
            Ok(text) => Ok(Some(text)),
            Err(crate::workspace::FileError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// (Re)loads an open article's annotations from its sidecar, keeping the moved
    /// position of every annotation that did not change in the file.
    pub fn load_annotations(&mut self, uri: &Uri) {
        let Some(path) = self.documents.get(uri).and_then(|d| d.path.clone()) else { return };
        let sidecar = sidecar_path(&path);
        let (annotations, errors) = match self.sidecar_text(&sidecar) {
            Ok(Some(text)) => {
                let file = parse_annotation_file(&text);
                let errors = if file.diagnostics.is_empty() {
                    Vec::new()
                } else {
                    let first = &file.diagnostics[0];
                    let line = text[..first.range.start].matches('\n').count() + 1;
                    vec![Diagnostic::error(
                        crate::diagnostic::DiagnosticCode::MalformedAnnotation,
                        TextRange::empty(0),
                        format!(
                            "{} malformed line(s) in {} (first: line {line}); those annotations are not shown",
                            file.diagnostics.len(),
                            sidecar.display()
                        ),
                    )]
                };
                (file.annotations, errors)
            }
            Ok(None) => (Vec::new(), Vec::new()),
            Err(error) => (Vec::new(), vec![error.diagnostic()]),
        };
        let Some(document) = self.documents.get_mut(uri) else { return };
        let text = document.text();
        let mut anchored = anchor_all(&text, &annotations);
        for fresh in &mut anchored {
            if let Some(previous) = document.annotations.iter().find(|p| p.annotation == fresh.annotation) {
                fresh.range = previous.range;
                fresh.anchor = previous.anchor;
            }
        }
        for a in &anchored {
            tracing::debug!(id = a.annotation.id, range = ?a.range, anchor = ?a.anchor, start = a.annotation.start, "annotation loaded");
        }
        document.annotations = anchored;
        document.sidecar_errors = errors;
        document.invalidate();
        self.dirty.insert(uri.clone());
    }

    fn reload_annotations_of_article_for(&mut self, sidecar: &Path) {
        let article = self
            .documents
            .values()
            .find(|d| d.role == FileRole::Article && d.path.as_deref().map(sidecar_path).as_deref() == Some(sidecar))
            .map(|d| d.uri.clone());
        if let Some(uri) = article {
            self.load_annotations(&uri);
        }
    }

    /// An open sidecar buffer changed: its article (if open) follows it.
    fn sidecar_changed(&mut self, sidecar_uri: &Uri) {
        if let Some(path) = self.documents.get(sidecar_uri).and_then(|d| d.path.clone()) {
            self.reload_annotations_of_article_for(&path);
        }
    }

    /// After an article is saved, its annotations' stored offsets and context
    /// follow the text, written with the locked merge so concurrent changes by
    /// others survive.
    fn persist_moved_annotations(&mut self, uri: &Uri) {
        let Some(document) = self.documents.get_mut(uri) else { return };
        let Some(path) = document.path.clone() else { return };
        // The same rule as the annotation command: no write outside the corpus
        // (`..` in the URI, a symlinked folder or sidecar, no corpus at all).
        let sidecar = sidecar_path(&path);
        if let Err(reason) = crate::workspace::ensure_inside_corpus(&sidecar, document.corpus_root.as_deref()) {
            tracing::error!("annotation offsets not saved: {reason}");
            return;
        }
        let text = document.text();
        match crate::annotations::persist_anchors(&sidecar, &text, &document.annotations) {
            Ok(0) => {}
            Ok(moved) => {
                tracing::info!(sidecar = %sidecar.display(), moved, "annotation offsets updated after save");
                self.load_annotations(uri);
            }
            Err(error) => tracing::error!("{error}"),
        }
    }

    /// A closed article changed on disk: its annotations follow the change
    /// and where they are is written back, so that one outside edit after
    /// another never leaves them further and further from their stored place
    /// (the soak harness found annotations re-anchored onto another occurrence
    /// of their words after many such edits). With the article's previous text
    /// known, they follow the difference exactly, as for a full-document
    /// change in the editor; without it, they are found by their stored text
    /// and context.
    fn follow_outside_edit(&mut self, root: &Path, path: &Path) {
        let sidecar = sidecar_path(path);
        let previous = self.closed_texts.remove(path);
        if !sidecar.is_file() || crate::workspace::ensure_inside_corpus(&sidecar, Some(root)).is_err() {
            return;
        }
        let (Ok(text), Ok(file)) = (read_text_file(path), crate::annotations::read_annotations(&sidecar)) else { return };
        if !file.diagnostics.is_empty() {
            return;
        }
        // Without the previous text the change is not known, only its result:
        // the annotations are then found where they are when read (`check`,
        // opening the article), and nothing is written on a guess that another
        // server, knowing the change, might make differently.
        let Some(previous) = previous else { return };
        let anchored = crate::annotations::follow_file_change(&previous, &text, &file.annotations);
        match crate::annotations::persist_anchors(&sidecar, &text, &anchored) {
            Ok(0) => {}
            Ok(moved) => tracing::info!(sidecar = %sidecar.display(), moved, "annotation offsets updated after an outside edit"),
            Err(error) => tracing::error!("{error}"),
        }
        self.closed_texts.insert(path.to_path_buf(), Arc::from(text));
    }

    /// A closed article's sidecar changed (an import, another annotator): the
    /// article's text is remembered from now on, so that its next outside edit
    /// is followed exactly.
    fn remember_closed_article(&mut self, sidecar: &Path) {
        let article = article_for_sidecar(sidecar);
        if self.closed_texts.contains_key(&article) || self.documents.values().any(|d| d.path.as_deref() == Some(article.as_path())) {
            return;
        }
        if let Ok(text) = read_text_file(&article) {
            self.closed_texts.insert(article, Arc::from(text));
        }
    }

    fn corpus_labels(&self, document: &Document) -> Vec<String> {
        document
            .corpus_root
            .as_ref()
            .and_then(|r| self.corpora.get(r))
            .map(|c| c.config.labels.entity.clone())
            .unwrap_or_else(|| crate::workspace::CorpusConfig::default().labels.entity)
    }

    /// The corpus index as it stands: [`corpus_index`](Self::corpus_index)
    /// first brings in the open articles' latest edits.
    pub fn index_for(&self, document: &Document) -> Option<&MentionIndex> {
        self.indexes.get(document.corpus_root.as_ref()?)
    }

    /// The text of any corpus file as the editor sees it: the open buffer, else disk.
    pub fn file_rope(&self, path: &Path) -> Option<Rope> {
        if let Some(document) = self.documents.values().find(|d| d.path.as_deref() == Some(path)) {
            return Some(document.rope.clone());
        }
        read_text_file(path).ok().map(|t| Rope::from_str(&t))
    }

    pub fn file_text(&self, path: &Path) -> Option<String> {
        self.file_rope(path).map(|r| r.to_string())
    }

    pub fn kb_for(&self, document: &Document) -> (Arc<KnowledgeBase>, AnalysisConfig) {
        match document.corpus_root.as_ref().and_then(|r| self.corpora.get(r)) {
            Some(corpus) => (corpus.kb.clone(), corpus.analysis_config.clone()),
            None => (Arc::default(), AnalysisConfig::default()),
        }
    }

    /// The analysis of an open article, computed on demand and cached until the
    /// next change.
    pub fn analysis(&mut self, uri: &Uri) -> Option<Arc<Analysis>> {
        if self.documents.get(uri)?.in_flight.is_some() {
            // A request about this very document waits for its analysis.
            self.collect_background_analysis(uri, true);
        }
        let document = self.documents.get(uri)?;
        if let Some(analysis) = &document.analysis {
            return Some(analysis.clone());
        }
        let (kb, config) = self.kb_for(document);
        let document = self.documents.get_mut(uri)?;
        let text = document.text();
        let analysis = if text.len() > crate::analysis::LIVE_ANALYSIS_LIMIT {
            document.incremental.clear();
            Arc::new(crate::analysis::analyze_names_only(&text, &kb))
        } else {
            let rules = document.incremental.analyze(&text, &kb, &config);
            with_manual_annotations(rules, &document.annotations, &kb)
        };
        document.analysis = Some(analysis.clone());
        if document.role == FileRole::Article && document.path.is_some() && document.corpus_root.is_some() {
            // The corpus index learns the new mentions when a request reads it,
            // not on every keystroke: re-positioning every mention of a long
            // document costs more than the incremental analysis itself.
            self.unindexed.insert(uri.clone());
        }
        Some(analysis)
    }

    /// The corpus index of `uri`'s corpus, with the latest analyses of its open
    /// articles in it.
    pub fn corpus_index(&mut self, uri: &Uri) -> Option<&MentionIndex> {
        let root = self.documents.get(uri)?.corpus_root.clone()?;
        let pending: Vec<Uri> = self
            .unindexed
            .iter()
            .filter(|u| self.documents.get(*u).is_some_and(|d| d.corpus_root.as_ref() == Some(&root)))
            .cloned()
            .collect();
        for pending_uri in pending {
            let Some(analysis) = self.analysis(&pending_uri) else { continue };
            self.unindexed.remove(&pending_uri);
            let Some(document) = self.documents.get_mut(&pending_uri) else { continue };
            let (Some(path), text) = (document.path.clone(), document.text()) else { continue };
            if let Some(index) = self.indexes.get_mut(&root) {
                index.set_file(path, &text, analysis.mentions().cloned().collect());
            }
        }
        self.indexes.get(&root)
    }

    /// The document's diagnostics, decided by the core (`ide::diagnostics`)
    /// from what the editor has: its buffers, not the disk, where they differ.
    fn diagnostics_for(&mut self, uri: &Uri) -> Vec<Diagnostic> {
        let Some(document) = self.documents.get(uri) else { return Vec::new() };
        let role = document.role;
        let (kb, _) = self.kb_for(document);
        let labels = self.corpus_labels(document);
        let view = CorpusView { kb: &kb, labels: &labels };
        match role {
            FileRole::Article => {
                let Some(analysis) = self.analysis(uri) else { return Vec::new() };
                let Some(document) = self.documents.get_mut(uri) else { return Vec::new() };
                // The text the analysis already cached, not a fresh copy of the rope.
                let text = document.text();
                let input = FileInput::Article {
                    text: &text,
                    analysis: &analysis,
                    annotations: &document.annotations,
                    sidecar_problems: &document.sidecar_errors,
                };
                file_diagnostics(input, &view)
            }
            FileRole::Annotations => {
                let Some(document) = self.documents.get_mut(uri) else { return Vec::new() };
                let text = document.text();
                let Some(path) = document.path.clone() else { return parse_annotation_file(&text).diagnostics };
                let article = article_for_sidecar(&path);
                // A missing article orphans the sidecar; an unreadable one leaves
                // every record unplaced.
                let article_text = self.file_text(&article).or_else(|| article.exists().then(String::new));
                file_diagnostics(FileInput::Sidecar { path: &path, text: &text, article_text: article_text.as_deref() }, &view)
            }
            FileRole::KnowledgeBase => {
                let problems = self.live_kb_problems(uri);
                file_diagnostics(FileInput::KnowledgeBase { problems: &problems }, &view)
            }
            FileRole::Config => {
                let Some(document) = self.documents.get_mut(uri) else { return Vec::new() };
                let text = document.text();
                match document.corpus_root.clone() {
                    Some(root) => file_diagnostics(FileInput::Config { text: &text, root: &root }, &view),
                    None => crate::workspace::CorpusConfig::parse(&text).1,
                }
            }
            FileRole::Other => Vec::new(),
        }
    }

    /// A knowledge-base buffer's own problems plus cross-file ones, against the
    /// other KB files as they are on disk or in the editor.
    fn live_kb_problems(&mut self, uri: &Uri) -> Vec<Diagnostic> {
        let Some(document) = self.documents.get_mut(uri) else { return Vec::new() };
        let text = document.text();
        let path = Arc::new(document.path.clone().unwrap_or_default());
        match document.corpus_root.clone().and_then(|r| self.corpora.get(&r).map(|c| (c.kb_paths(), r))) {
            Some((kb_paths, _)) => {
                let unsaved = self.unsaved_texts();
                let files = kb_paths
                    .into_iter()
                    .map(|p| {
                        let text = if p == *path {
                            Ok(text.to_string())
                        } else {
                            unsaved.get(&p).cloned().map(Ok).unwrap_or_else(|| crate::workspace::read_text_file(&p))
                        };
                        match text {
                            Ok(t) => parse_kb_file(Arc::new(p), &t),
                            Err(e) => crate::kb::KbFileSyntax {
                                path: Arc::new(p),
                                entries: Vec::new(),
                                diagnostics: vec![e.diagnostic()],
                                unreadable: Vec::new(),
                            },
                        }
                    })
                    .collect();
                KnowledgeBase::build(files).diagnostics.into_iter().find(|(p, _)| **p == *path).map(|(_, d)| d).unwrap_or_default()
            }
            None => parse_kb_file(path, &text).diagnostics,
        }
    }

    /// Starts analysing a long article off the worker thread (issue 14: a long
    /// analysis held the one worker, and every request about every other
    /// document waited for it). True when the article's diagnostics wait for
    /// that analysis.
    fn start_background_analysis(&mut self, uri: &Uri) -> bool {
        let Some(document) = self.documents.get(uri) else { return false };
        if document.in_flight.is_some() {
            return true;
        }
        let long =
            document.rope.len_bytes() >= BACKGROUND_ANALYSIS_BYTES && document.rope.len_bytes() <= crate::analysis::LIVE_ANALYSIS_LIMIT;
        if document.role != FileRole::Article
            || document.analysis.is_some()
            || !long
            || document.background_failed == Some(document.version)
        {
            return false;
        }
        let (kb, config) = self.kb_for(document);
        let Some(document) = self.documents.get_mut(uri) else { return false };
        let text = document.text();
        let mut incremental = std::mem::take(&mut document.incremental);
        let (sender, receiver) = std::sync::mpsc::channel();
        document.in_flight = Some(InFlight { version: document.version, result: receiver });
        let work = Box::new(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let rules = incremental.analyze(&text, &kb, &config);
                (incremental, rules)
            }));
            match outcome {
                Ok(done) => {
                    let _ = sender.send(done);
                }
                Err(_) => tracing::error!("a background analysis panicked; the document is analysed on the worker instead"),
            }
        });
        self.analysis_jobs.push(AnalysisJob { uri: uri.clone(), work });
        true
    }

    /// Takes a background analysis's result into its document: waiting for it
    /// when `wait`, else only if it is there. A result for an older version
    /// still serves as the base of the next incremental analysis.
    pub fn collect_background_analysis(&mut self, uri: &Uri, wait: bool) {
        let Some(document) = self.documents.get_mut(uri) else { return };
        let Some(in_flight) = document.in_flight.take() else { return };
        let outcome = if wait {
            in_flight.result.recv().ok()
        } else {
            match in_flight.result.try_recv() {
                Ok(done) => Some(done),
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    document.in_flight = Some(in_flight);
                    return;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            }
        };
        match outcome {
            Some((incremental, rules)) => {
                document.incremental = incremental;
                if document.version == in_flight.version && document.analysis.is_none() {
                    let kb = document.corpus_root.as_ref().and_then(|r| self.corpora.get(r)).map(|c| c.kb.clone()).unwrap_or_default();
                    let document = self.documents.get_mut(uri).expect("looked up above");
                    document.analysis = Some(with_manual_annotations(rules, &document.annotations, &kb));
                    if document.path.is_some() && document.corpus_root.is_some() {
                        self.unindexed.insert(uri.clone());
                    }
                }
            }
            // It panicked: this version is analysed on the worker, where a
            // panic is caught per batch as before.
            None => document.background_failed = Some(in_flight.version),
        }
        self.dirty.insert(uri.clone());
    }

    /// Background analyses to start (the worker spawns them).
    pub fn take_analysis_jobs(&mut self) -> Vec<AnalysisJob> {
        std::mem::take(&mut self.analysis_jobs)
    }

    /// Diagnostics for every document changed since the last call, at its
    /// current version. Bursts of edits collapse into one publication.
    pub fn take_publications(&mut self) -> Vec<PublishRequest> {
        let dirty: Vec<Uri> = self.dirty.drain().collect();
        dirty
            .into_iter()
            .filter_map(|uri| {
                if self.start_background_analysis(&uri) {
                    // Published when it is done (its completion marks it dirty).
                    return None;
                }
                let diagnostics = self.diagnostics_for(&uri);
                let document = self.documents.get(&uri)?;
                Some(PublishRequest { uri, version: Some(document.version), diagnostics, rope: document.rope.clone() })
            })
            .collect()
    }
}

/// Each renamed article's sidecar, old and new path, when it has one to move
/// and its new place is free and inside a corpus.
pub fn sidecar_moves(params: &tower_lsp_server::ls_types::RenameFilesParams) -> Vec<(PathBuf, PathBuf)> {
    params
        .files
        .iter()
        .filter_map(|rename| {
            let (old, new) = (path_of_uri(&rename.old_uri)?, path_of_uri(&rename.new_uri)?);
            let (old_sidecar, new_sidecar) = (sidecar_path(&old), sidecar_path(&new));
            if old.extension().is_none_or(|e| e != "txt") || !old_sidecar.is_file() {
                return None;
            }
            if new_sidecar.exists() {
                tracing::error!(
                    "{} was renamed to {}, but {} already exists: the sidecar stays at {}",
                    old.display(),
                    new.display(),
                    new_sidecar.display(),
                    old_sidecar.display()
                );
                return None;
            }
            let new_root = new.parent().and_then(Corpus::find_root).or_else(|| Corpus::find_root(&old));
            if let Err(reason) = crate::workspace::ensure_inside_corpus(&new_sidecar, new_root.as_deref()) {
                tracing::error!("the sidecar of {} is not moved: {reason}", old.display());
                return None;
            }
            Some((old_sidecar, new_sidecar))
        })
        .collect()
}

/// After articles were renamed: a sidecar still at the old name (a client that
/// does not ask `willRenameFiles`, or a rename it did not apply) is moved now
/// (issue 14, case 5: a rename used to orphan the sidecar silently).
fn move_sidecars_with_articles(params: &tower_lsp_server::ls_types::RenameFilesParams) {
    for (old, new) in sidecar_moves(params) {
        match crate::annotations::move_sidecar(&old, &new) {
            Ok(()) => tracing::info!(from = %old.display(), to = %new.display(), "sidecar moved with its article"),
            Err(error) => tracing::error!("cannot move the sidecar to {}: {error}", new.display()),
        }
    }
}

/// The property behind live editing: however a document reaches its text —
/// any sequence of incremental edits, in any position encoding — its text,
/// analysis and annotation anchors are exactly those of the final text taken
/// from scratch.
#[cfg(test)]
mod edit_properties {
    use proptest::prelude::*;
    use tower_lsp_server::ls_types::{
        DidChangeTextDocumentParams, DidOpenTextDocumentParams, Position, Range, TextDocumentContentChangeEvent, TextDocumentItem,
        VersionedTextDocumentIdentifier,
    };

    use super::*;
    use crate::analysis::analyze_annotated;
    use crate::annotations::{AnnotationKind, Authorship, Status, anchor_all};
    use crate::text::LineIndex;

    const SEED: &str = "corpus/articles/002_861de67a3d0b5135.txt";

    /// LSP position of byte `offset`, counted here independently of `convert`:
    /// lines end at "\r\n", "\r" or "\n"; columns count code units of `encoding`.
    fn position(text: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let before = &text[..offset];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line = before.matches(['\n', '\r']).count() - before.matches("\r\n").count();
        let column = &before[line_start..];
        let units = match encoding {
            PositionEncoding::Utf8 => column.len(),
            PositionEncoding::Utf16 => column.encode_utf16().count(),
            PositionEncoding::Utf32 => column.chars().count(),
        };
        Position::new(line as u32, units as u32)
    }

    /// The nearest offset at or before `at` where an edit may start or end: a
    /// character boundary, not between the two halves of a "\r\n".
    fn edit_point(text: &str, mut at: usize) -> usize {
        at = at.min(text.len());
        while !text.is_char_boundary(at) || (at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n')) {
            at -= 1;
        }
        at
    }

    fn encoding() -> impl Strategy<Value = PositionEncoding> {
        prop_oneof![Just(PositionEncoding::Utf8), Just(PositionEncoding::Utf16), Just(PositionEncoding::Utf32)]
    }

    /// Inserted text: quotation marks, line breaks, punctuation, wide characters
    /// and speech words, but never letters that could recreate an annotated quote.
    fn inserted() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("“"),
                Just("”"),
                Just("\""),
                Just("’"),
                Just("\n"),
                Just("\r\n"),
                Just("\n\n"),
                Just("\r"),
                Just(" "),
                Just(". "),
                Just(", "),
                Just("😀"),
                Just("é"),
                Just("1"),
                Just(" said "),
            ],
            0..6,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        // 64 cases in CI; PROPTEST_CASES=5000 for a longer search.
        #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]
        #[test]
        fn incremental_edits_match_the_final_text_from_scratch(
            encoding in encoding(),
            edits in proptest::collection::vec((0.0f64..1.0, 0usize..40, inserted()), 1..25),
        ) {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let path = root.join(SEED);
            let initial = std::fs::read_to_string(&path).unwrap();
            let uri = Uri::from_file_path(&path).unwrap();
            let mut state = ServerState { encoding, ..ServerState::default() };
            state.apply(DocumentEvent::Open(DidOpenTextDocumentParams {
                text_document: TextDocumentItem::new(uri.clone(), "plaintext".into(), 1, initial.clone()),
            }));
            // Annotations on the first quotes, as an annotator would have made them.
            let index = LineIndex::new(&initial);
            let by = Authorship { annotator: "prop", created: "2026-11-23T00:00:00Z", status: Status::Accepted };
            let quotes: Vec<TextRange> = state.analysis(&uri).unwrap().quotes.iter().take(4).map(|q| q.range).collect();
            prop_assert!(!quotes.is_empty());
            let annotations: Vec<_> =
                quotes.iter().map(|&r| crate::annotations::Annotation::on_span(&initial, &index, r, AnnotationKind::Quote, "QUOTE", by)).collect();
            let document = state.documents.get_mut(&uri).unwrap();
            document.annotations = anchor_all(&initial, &annotations);
            document.invalidate();

            let mut text = initial.clone();
            // Where each annotated span and its context sit now: edits stay clear of
            // them, so that finding them again from scratch has one right answer.
            let mut guarded: Vec<TextRange> = quotes.clone();
            for (version, (at, length, insert)) in edits.into_iter().enumerate() {
                let start = edit_point(&text, (at * text.len() as f64) as usize);
                let end = edit_point(&text, start + length).max(start);
                let margin = |r: &TextRange| {
                    let before = text[..r.start].char_indices().rev().nth(crate::annotations::CONTEXT_CHARS + 1).map_or(0, |(i, _)| i);
                    let after = text[r.end..].char_indices().nth(crate::annotations::CONTEXT_CHARS + 1).map_or(text.len(), |(i, _)| r.end + i);
                    TextRange::new(before, after)
                };
                if guarded.iter().any(|r| { let m = margin(r); start <= m.end && end >= m.start }) {
                    continue;
                }
                let range = Range::new(position(&text, start, encoding), position(&text, end, encoding));
                state.apply(DocumentEvent::Change(DidChangeTextDocumentParams {
                    text_document: VersionedTextDocumentIdentifier::new(uri.clone(), version as i32 + 2),
                    content_changes: vec![TextDocumentContentChangeEvent { range: Some(range), range_length: None, text: insert.clone() }],
                }));
                text.replace_range(start..end, &insert);
                for r in &mut guarded {
                    if r.start >= end {
                        *r = TextRange::new(r.start - (end - start) + insert.len(), r.end - (end - start) + insert.len());
                    }
                }
            }

            let document = state.documents.get_mut(&uri).unwrap();
            prop_assert_eq!(document.rope.to_string(), text.clone());
            let incremental: Vec<Option<TextRange>> = document.annotations.iter().map(|a| a.range).collect();
            let from_scratch = anchor_all(&text, &annotations);
            let expected: Vec<Option<TextRange>> = from_scratch.iter().map(|a| a.range).collect();
            prop_assert_eq!(&incremental, &expected);
            prop_assert_eq!(incremental, guarded.into_iter().map(Some).collect::<Vec<_>>());
            let (kb, config) = state.kb_for(&state.documents[&uri]);
            let analysis = state.analysis(&uri).unwrap();
            let scratch = analyze_annotated(&text, &kb, &config, &from_scratch);
            prop_assert_eq!(&analysis.article, &scratch.article);
            prop_assert_eq!(format!("{:?}", analysis.mentions().collect::<Vec<_>>()), format!("{:?}", scratch.mentions().collect::<Vec<_>>()));
            for (live, fresh) in analysis.quotes.iter().zip(&scratch.quotes) {
                prop_assert_eq!(format!("{live:?}"), format!("{fresh:?}"));
            }
            prop_assert_eq!(analysis.quotes.len(), scratch.quotes.len());
            prop_assert_eq!(format!("{:?}", analysis.unknown_entities), format!("{:?}", scratch.unknown_entities));
            prop_assert_eq!(format!("{:?}", analysis.diagnostics), format!("{:?}", scratch.diagnostics));
        }
    }
}
