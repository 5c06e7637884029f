//! The analysis host: the one place that answers questions about a corpus, for
//! every edge (as rust-analyzer's `AnalysisHost`). It owns the corpora
//! (configuration and knowledge base), their mention indexes, and the overlays
//! of files an editor has open (their unsaved text, annotations moved along with
//! each edit, and the incremental analysis), keyed by path. It answers in byte
//! offsets: which diagnostics a file gets, its analysis, hover, definition,
//! references. The server keeps ropes, versions, URIs and scheduling; the CLI
//! keeps printing; neither decides what a diagnostic is.
//!
//! Without any editor, a host is built from a corpus folder:
//!
//! ```no_run
//! let mut host = marginalia::host::AnalysisHost::from_corpus(std::path::Path::new("corpus")).unwrap();
//! let article = std::path::Path::new("corpus/articles/001_9c85c5a5ec5c4165.txt");
//! let diagnostics = host.file_diagnostics(article);
//! let analysis = host.analysis(article);
//! // Hover, definition and references ask about an open file.
//! host.open_from_disk(article).unwrap();
//! let card = host.hover(article, 120);
//! # let _ = (diagnostics, analysis, card);
//! ```
//!
//! It reads corpus files (through `workspace` and `annotations`); the one file
//! it writes is a sidecar, when an edge asks it to apply annotation operations
//! ([`AnalysisHost::apply_annotation_ops`]), through `annotations::store`'s
//! locked merge. The other sidecar writes (offsets after a save or an outside
//! edit) stay with the server.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::{Analysis, AnalysisConfig, IncrementalAnalysis};
use crate::annotations::{Anchor, AnchoredAnnotation, anchor_all, article_for_sidecar, parse_annotation_file, sidecar_path};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::ide::diagnostics::{CorpusView, FileInput, file_diagnostics};
use crate::ide::hover::HoverCard;
use crate::ide::inlay::InlayHint;
use crate::ide::symbols::OutlineItem;
use crate::ide::{FileRange, hover, navigation};
use crate::kb::{KbEntry, KnowledgeBase, parse_kb_file};
use crate::text::TextRange;
use crate::workspace::{Corpus, FileError, FileMentions, FileRole, MentionIndex, Utf16Span, mentions_in, read_text_file};

mod actions;

pub use actions::{AnnotationCodeAction, AnnotationWriteError, AnnotationsWritten, CodeActions, Fix, FixKind, SidecarEdit, SidecarState};

/// Open articles at least this long are analysed off the calling thread when
/// the edge asks for it ([`AnalysisHost::start_background_analysis`]).
pub const BACKGROUND_ANALYSIS_BYTES: usize = 1 << 20;

/// When a corpus's mention index is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indexing {
    /// When a question first needs it (references, mention counts in hovers):
    /// `check` and `analyze` never pay for it.
    OnDemand,
    /// As soon as the corpus is loaded; corpora of more articles than
    /// `background_above` become [`IndexingJob`]s the edge runs on other threads.
    OnLoad {
        /// Corpora with more articles than this are indexed off the host's thread.
        background_above: usize,
    },
}

/// A corpus to index off the host's thread; its result goes back through
/// [`AnalysisHost::install_index`].
pub struct IndexingJob {
    /// The corpus's root folder.
    pub root: PathBuf,
    /// The indexing round this job belongs to (a stale one is dropped).
    pub generation: u64,
    /// The articles to index.
    pub paths: Vec<PathBuf>,
    /// The knowledge base to index them against.
    pub kb: Arc<KnowledgeBase>,
}

/// One change of an open file's text, in byte offsets of the text as it stands
/// after the changes before it.
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    /// Replace `range` with `text`.
    Edit {
        /// The bytes replaced.
        range: TextRange,
        /// What replaces them.
        text: &'a str,
    },
    /// The whole text at once.
    Replace(&'a str),
}

/// How a file was opened: with a file on disk behind it, or as a buffer only
/// (an editor's untitled document), which belongs to no corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backing<'a> {
    /// A file on disk.
    File,
    /// No file; `language` is the editor's language id, if any.
    Buffer {
        /// The editor's language id (`plaintext`, `json`, ...).
        language: Option<&'a str>,
    },
}

/// What the host made of an opened file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// The role it plays in its corpus (text outside a corpus: article).
    pub role: FileRole,
    /// The root of the corpus holding it, if any.
    pub corpus_root: Option<PathBuf>,
}

/// The result of asking for a background analysis.
pub enum Background {
    /// The file is analysed where it is asked (short, not an article, or done).
    NotNeeded,
    /// Its analysis is running already; its completion marks it changed.
    Running,
    /// Run this off the host's thread, then call
    /// [`collect_background_analysis`](AnalysisHost::collect_background_analysis).
    Start(Box<dyn FnOnce() + Send>),
}

/// An open file: its unsaved text and what was computed from it.
struct Overlay {
    role: FileRole,
    corpus_root: Option<PathBuf>,
    on_disk: bool,
    /// The text as of the last [`Overlay::text`]; `pending` edits follow it.
    text: Arc<str>,
    /// Edits not yet applied to `text`: a burst of keystrokes costs one copy of
    /// the text when something reads it, not one per keystroke.
    pending: Vec<(TextRange, String)>,
    /// For articles: the sidecar's annotations, anchored to the current text and
    /// moved along with every edit.
    annotations: Vec<AnchoredAnnotation>,
    /// For articles: problems reading the sidecar, shown at the article's start.
    sidecar_errors: Vec<Diagnostic>,
    analysis: Option<Arc<Analysis>>,
    /// The rules' last analysis, which the next one after an edit builds on.
    incremental: IncrementalAnalysis,
    /// Bumped on every change of text or annotations.
    revision: u64,
    /// This article's analysis running off the host's thread, if any.
    in_flight: Option<InFlight>,
    /// The revision whose background analysis panicked (analysed in place).
    background_failed: Option<u64>,
}

impl Overlay {
    fn text(&mut self) -> Arc<str> {
        if !self.pending.is_empty() {
            let mut text = String::with_capacity(self.text.len() + self.pending.iter().map(|(_, t)| t.len()).sum::<usize>());
            text.push_str(&self.text);
            for (range, inserted) in self.pending.drain(..) {
                text.replace_range(range.start..range.end, &inserted);
            }
            self.text = Arc::from(text);
        }
        self.text.clone()
    }

    fn invalidate(&mut self) {
        self.analysis = None;
        self.revision += 1;
    }
}

/// An analysis running off the host's thread: the result comes back through `result`.
struct InFlight {
    revision: u64,
    /// In a mutex only so that the host is `Sync` (`check` shares it between
    /// threads); it is only ever reached through `&mut`.
    result: std::sync::Mutex<std::sync::mpsc::Receiver<(IncrementalAnalysis, Arc<Analysis>)>>,
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

/// The text of a file on disk for diagnostics: a file that is not UTF-8 keeps
/// its valid prefix, so that a code frame can point at the bad byte.
pub struct DiskFile {
    /// The file's text (the valid prefix of a file that is not UTF-8).
    pub text: String,
    /// Its diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// A corpus's articles by file name.
type ArticlesByName = HashMap<std::ffi::OsString, Vec<PathBuf>>;

/// The corpora, their indexes and the open files' overlays; see the module doc.
pub struct AnalysisHost {
    corpora: HashMap<PathBuf, Arc<Corpus>>,
    indexes: HashMap<PathBuf, MentionIndex>,
    /// Bumped each time a corpus is (re)indexed, so that a stale background index is dropped.
    index_generations: HashMap<PathBuf, u64>,
    indexing: Indexing,
    indexing_jobs: Vec<IndexingJob>,
    overlays: HashMap<PathBuf, Overlay>,
    /// Open articles analysed since their corpus index last took their mentions.
    unindexed: HashSet<PathBuf>,
    /// Files whose diagnostics may have changed since the edge last asked.
    changed: HashSet<PathBuf>,
    /// Each corpus's articles by file name (`duplicate-article-name`), listed
    /// when first needed; behind a lock because `check` asks from many threads.
    article_names: std::sync::RwLock<HashMap<PathBuf, Arc<ArticlesByName>>>,
}

impl Default for AnalysisHost {
    fn default() -> Self {
        AnalysisHost::new(Indexing::OnDemand)
    }
}

/// The knowledge base of files outside any corpus: none.
static EMPTY_KB: std::sync::LazyLock<Arc<KnowledgeBase>> = std::sync::LazyLock::new(Arc::default);

impl AnalysisHost {
    /// An empty host, indexing corpora as `indexing` says.
    pub fn new(indexing: Indexing) -> AnalysisHost {
        AnalysisHost {
            corpora: HashMap::new(),
            indexes: HashMap::new(),
            index_generations: HashMap::new(),
            indexing,
            indexing_jobs: Vec::new(),
            overlays: HashMap::new(),
            unindexed: HashSet::new(),
            changed: HashSet::new(),
            article_names: std::sync::RwLock::default(),
        }
    }

    /// A host for the corpus at `root` (the folder holding `marginalia.toml`,
    /// or any folder or file inside it), with no editor involved: every file is
    /// read from disk. `None` when no corpus holds `root`.
    pub fn from_corpus(root: &Path) -> Option<AnalysisHost> {
        let root = std::path::absolute(root).ok()?;
        let mut host = AnalysisHost::default();
        host.ensure_corpus(&root)?;
        Some(host)
    }

    /// A host over corpora loaded already (the CLI loads each once while
    /// expanding its arguments).
    pub fn with_corpora(corpora: impl IntoIterator<Item = Arc<Corpus>>) -> AnalysisHost {
        let mut host = AnalysisHost::default();
        for corpus in corpora {
            host.corpora.insert(corpus.root.clone(), corpus);
        }
        host
    }

    // ---- corpora and indexes ----

    /// Loads the corpus holding `path` if it is not loaded yet; returns its root.
    pub fn ensure_corpus(&mut self, path: &Path) -> Option<PathBuf> {
        let root = Corpus::find_root(path)?;
        if !self.corpora.contains_key(&root) {
            let corpus = Corpus::load(&root, &self.unsaved_texts());
            tracing::info!(root = %root.display(), entries = corpus.kb.entries().len(), "corpus loaded");
            self.corpora.insert(root.clone(), Arc::new(corpus));
            if matches!(self.indexing, Indexing::OnLoad { .. }) {
                self.index_corpus(&root);
            }
        }
        Some(root)
    }

    /// The loaded corpus at `root`.
    pub fn corpus(&self, root: &Path) -> Option<&Arc<Corpus>> {
        self.corpora.get(root)
    }

    /// Every loaded corpus.
    pub fn corpora(&self) -> impl Iterator<Item = &Arc<Corpus>> {
        self.corpora.values()
    }

    /// The corpus a file was opened in, if any.
    pub fn corpus_of(&self, path: &Path) -> Option<&Arc<Corpus>> {
        self.corpora.get(self.overlays.get(path)?.corpus_root.as_ref()?)
    }

    /// Knowledge base and analysis settings of the corpus at `root` (none: empty).
    pub fn kb_and_config(&self, root: Option<&Path>) -> (Arc<KnowledgeBase>, AnalysisConfig) {
        match root.and_then(|r| self.corpora.get(r)) {
            Some(corpus) => (corpus.kb.clone(), corpus.analysis_config.clone()),
            None => (EMPTY_KB.clone(), AnalysisConfig::default()),
        }
    }

    /// The unsaved text of open knowledge-base and configuration files, which a
    /// corpus (re)load reads instead of the disk.
    fn unsaved_texts(&mut self) -> HashMap<PathBuf, String> {
        self.overlays
            .iter_mut()
            .filter(|(_, o)| o.on_disk && matches!(o.role, FileRole::KnowledgeBase | FileRole::Config))
            .map(|(path, o)| (path.clone(), o.text().to_string()))
            .collect()
    }

    /// Re-reads the configuration and knowledge base (open files as the editor
    /// has them) and re-analyses every open file of the corpus.
    pub fn reload_corpus(&mut self, root: &Path) {
        let corpus = Corpus::load(root, &self.unsaved_texts());
        self.article_names.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner).remove(root);
        self.corpora.insert(root.to_path_buf(), Arc::new(corpus));
        // Mentions depend on the knowledge base: re-index everything (in the
        // background, the old index answers until the new one is ready).
        match self.indexing {
            Indexing::OnLoad { .. } => self.index_corpus(root),
            Indexing::OnDemand => {
                self.indexes.remove(root);
            }
        }
        for (path, overlay) in self.overlays.iter_mut().filter(|(_, o)| o.corpus_root.as_deref() == Some(root)) {
            overlay.invalidate();
            self.changed.insert(path.clone());
        }
    }

    /// Indexes a corpus's articles: at once for a small corpus (so answers are
    /// complete from the first request), as an [`IndexingJob`] for a large one,
    /// while questions are answered from what is indexed so far.
    fn index_corpus(&mut self, root: &Path) {
        let Some(corpus) = self.corpora.get(root) else { return };
        let paths = corpus.article_paths();
        let kb = corpus.kb.clone();
        let generation = {
            let generation = self.index_generations.entry(root.to_path_buf()).or_default();
            *generation += 1;
            *generation
        };
        let background_above = match self.indexing {
            Indexing::OnLoad { background_above } => background_above,
            Indexing::OnDemand => usize::MAX,
        };
        if paths.len() <= background_above {
            let index = MentionIndex::build(&paths, &kb);
            self.install_index(root.to_path_buf(), generation, index);
        } else {
            tracing::info!(root = %root.display(), articles = paths.len(), "indexing in the background");
            self.indexing_jobs.push(IndexingJob { root: root.to_path_buf(), generation, paths, kb });
            self.indexes.entry(root.to_path_buf()).or_default();
        }
    }

    /// Installs a finished index unless the corpus was re-indexed meanwhile; open
    /// articles' unsaved text wins over what was read from disk.
    pub fn install_index(&mut self, root: PathBuf, generation: u64, mut index: MentionIndex) {
        if self.index_generations.get(&root) != Some(&generation) {
            return;
        }
        for (path, overlay) in
            self.overlays.iter_mut().filter(|(_, o)| o.on_disk && o.role == FileRole::Article && o.corpus_root.as_ref() == Some(&root))
        {
            if let Some(analysis) = overlay.analysis.clone() {
                index.set_file(path.clone(), &overlay.text(), analysis.mentions().cloned().collect());
            }
        }
        tracing::info!(root = %root.display(), articles = index.file_count(), "index ready");
        self.indexes.insert(root, index);
    }

    /// Large corpora waiting to be indexed off the host's thread.
    pub fn take_indexing_jobs(&mut self) -> Vec<IndexingJob> {
        std::mem::take(&mut self.indexing_jobs)
    }

    /// A closed article changed on disk (or went away): the index reads it again.
    pub fn reindex_from_disk(&mut self, root: &Path, path: &Path) {
        let (Some(corpus), Some(index)) = (self.corpora.get(root), self.indexes.get_mut(root)) else { return };
        match read_text_file(path) {
            Ok(text) => index.set_file(path.to_path_buf(), &text, mentions_in(&text, &corpus.kb)),
            Err(_) => index.remove_file(path),
        }
    }

    /// The mention index of the corpus at `root`, with the latest analyses of
    /// its open articles in it (built now if it is built on demand).
    pub fn corpus_index(&mut self, root: &Path) -> Option<&MentionIndex> {
        if !self.indexes.contains_key(root) {
            if !self.corpora.contains_key(root) {
                return None;
            }
            self.index_corpus(root);
        }
        let pending: Vec<PathBuf> = self
            .unindexed
            .iter()
            .filter(|p| self.overlays.get(*p).is_some_and(|o| o.corpus_root.as_deref() == Some(root)))
            .cloned()
            .collect();
        for path in pending {
            let Some(analysis) = self.analysis(&path) else { continue };
            self.unindexed.remove(&path);
            let Some(overlay) = self.overlays.get_mut(&path) else { continue };
            let text = overlay.text();
            if let Some(index) = self.indexes.get_mut(root) {
                index.set_file(path, &text, analysis.mentions().cloned().collect());
            }
        }
        self.indexes.get(root)
    }

    /// The index as it stands, without bringing in open articles' edits.
    fn index_as_is(&self, root: Option<&Path>) -> Option<&MentionIndex> {
        self.indexes.get(root?)
    }

    // ---- overlays: files open in an editor ----

    /// Opens `path` with the editor's `text`; from now on the host reads it from
    /// the overlay, not the disk. For a buffer without a file, `path` is any key
    /// the edge chooses that names no file.
    pub fn set_overlay(&mut self, path: &Path, text: &str, backing: Backing) -> FileInfo {
        let corpus_root = match backing {
            Backing::File => self.ensure_corpus(path),
            Backing::Buffer { .. } => None,
        };
        let role = match &corpus_root {
            Some(root) => self.corpora[root].role_of(path),
            None => FileRole::Other,
        };
        // Text files outside a corpus (and unsaved buffers) are still analysed
        // as articles.
        let looks_like_text = match backing {
            Backing::File => path.extension().is_some_and(|e| e == "txt"),
            Backing::Buffer { language } => !matches!(language.unwrap_or(""), "json" | "jsonc" | "jsonl" | "toml"),
        };
        let role = if role == FileRole::Other && looks_like_text { FileRole::Article } else { role };
        let overlay = Overlay {
            role,
            corpus_root: corpus_root.clone(),
            on_disk: backing == Backing::File,
            text: Arc::from(text),
            pending: Vec::new(),
            annotations: Vec::new(),
            sidecar_errors: Vec::new(),
            analysis: None,
            incremental: IncrementalAnalysis::default(),
            revision: 0,
            in_flight: None,
            background_failed: None,
        };
        self.overlays.insert(path.to_path_buf(), overlay);
        match role {
            FileRole::Article => self.load_annotations(path),
            FileRole::Annotations => self.reload_annotations_for_sidecar(path),
            _ => {}
        }
        self.changed.insert(path.to_path_buf());
        FileInfo { role, corpus_root }
    }

    /// Opens a file with its text as it is on disk, so that the questions that
    /// need an open file (hover, references, ...) can be asked without an
    /// editor (the Python package does this).
    pub fn open_from_disk(&mut self, path: &Path) -> Result<FileInfo, FileError> {
        let text = read_text_file(path)?;
        Ok(self.set_overlay(path, &text, Backing::File))
    }

    /// Applies the editor's changes to an open file, in order. Annotations move
    /// with each edit; the text is rebuilt once, when something reads it; the
    /// incremental analysis carries over what the edits left alone.
    pub fn apply_changes<'a>(&mut self, path: &Path, changes: impl IntoIterator<Item = Change<'a>>) {
        let Some(overlay) = self.overlays.get_mut(path) else {
            tracing::warn!(path = %path.display(), "a change for a file that is not open; ignored");
            return;
        };
        for change in changes {
            match change {
                Change::Edit { range, text } => {
                    for anchored in &mut overlay.annotations {
                        anchored.range = anchored.range.and_then(|r| crate::annotations::shift_through_edit(r, range, text.len()));
                        if anchored.range.is_none() {
                            anchored.anchor = Anchor::Orphaned;
                        }
                        // Tied places of an orphan move with the edit, or are gone.
                        anchored.candidates = anchored
                            .candidates
                            .iter()
                            .filter_map(|&c| crate::annotations::shift_through_edit(c, range, text.len()))
                            .collect();
                    }
                    overlay.pending.push((range, text.to_owned()));
                }
                Change::Replace(text) => {
                    // The whole text at once: annotations follow it as they
                    // would an edit outside the editor (issue 14, case 1: their
                    // old offsets meant other words now).
                    let old = overlay.text();
                    let before: Vec<_> = overlay.annotations.iter().map(|a| a.range).collect();
                    crate::annotations::follow_replacement(&old, text, &mut overlay.annotations);
                    for (anchored, before) in overlay.annotations.iter().zip(before) {
                        tracing::debug!(id = anchored.annotation.id, ?before, after = ?anchored.range, anchor = ?anchored.anchor, "followed a whole-text change");
                    }
                    overlay.text = Arc::from(text);
                }
            }
        }
        overlay.invalidate();
        let role = overlay.role;
        self.changed.insert(path.to_path_buf());
        if role == FileRole::Annotations {
            self.reload_annotations_for_sidecar(path);
        }
    }

    /// The editor closed `path`: the disk is the truth for it again.
    pub fn remove_overlay(&mut self, path: &Path) {
        let Some(overlay) = self.overlays.remove(path) else { return };
        self.changed.remove(path);
        self.unindexed.remove(path);
        match overlay.role {
            // The file on disk is the truth again for the article.
            FileRole::Annotations if overlay.on_disk => self.reload_annotations_for_sidecar(path),
            FileRole::Article if overlay.on_disk => {
                if let Some(root) = &overlay.corpus_root {
                    self.reindex_from_disk(root, path);
                }
            }
            // The saved file is the truth again for the knowledge base.
            FileRole::KnowledgeBase | FileRole::Config => {
                if let Some(root) = &overlay.corpus_root {
                    self.reload_corpus(root);
                }
            }
            _ => {}
        }
    }

    /// Files changed on disk (a watcher's report): closed articles are indexed
    /// again, open articles follow their changed sidecars, and a changed
    /// knowledge base or configuration reloads its corpus. Returns the closed
    /// articles (with their corpus root) and the sidecars that changed, for the
    /// edge's follow-up writes.
    pub fn files_changed_on_disk(&mut self, paths: &[PathBuf]) -> (Vec<(PathBuf, PathBuf)>, Vec<PathBuf>) {
        let mut roots = Vec::new();
        let mut articles = Vec::new();
        let mut sidecars = Vec::new();
        for path in paths {
            for (root, corpus) in &self.corpora {
                match corpus.role_of(path) {
                    FileRole::KnowledgeBase | FileRole::Config if !roots.contains(root) => roots.push(root.clone()),
                    // An open file's overlay, not the disk, is its truth.
                    FileRole::Article if !self.overlays.contains_key(path) => articles.push((root.clone(), path.clone())),
                    FileRole::Annotations => sidecars.push(path.clone()),
                    _ => {}
                }
            }
        }
        for (root, path) in &articles {
            self.reindex_from_disk(root, path);
        }
        for path in paths {
            let roots: Vec<PathBuf> =
                self.corpora.iter().filter(|(_, c)| c.role_of(path) == FileRole::Article).map(|(r, _)| r.clone()).collect();
            for root in roots {
                self.article_set_changed(&root, path);
            }
        }
        for path in &sidecars {
            self.reload_annotations_for_sidecar(path);
        }
        for root in roots {
            self.reload_corpus(&root);
        }
        (articles, sidecars)
    }

    /// Files whose diagnostics may have changed since the last call.
    pub fn take_changed(&mut self) -> Vec<PathBuf> {
        self.changed.drain().collect()
    }

    /// Whether `path` is open (has an overlay).
    pub fn is_open(&self, path: &Path) -> bool {
        self.overlays.contains_key(path)
    }

    /// The role an open file was given, or `None` when it is not open.
    pub fn role(&self, path: &Path) -> Option<FileRole> {
        self.overlays.get(path).map(|o| o.role)
    }

    /// The current text of an open file.
    pub fn overlay_text(&mut self, path: &Path) -> Option<Arc<str>> {
        Some(self.overlays.get_mut(path)?.text())
    }

    /// The text of any file as the editor sees it: its overlay, else the disk.
    pub fn file_text(&mut self, path: &Path) -> Option<String> {
        match self.overlays.get_mut(path) {
            Some(overlay) => Some(overlay.text().to_string()),
            None => read_text_file(path).ok(),
        }
    }

    /// An open article's annotations, anchored to its current text.
    pub fn annotations(&self, path: &Path) -> &[AnchoredAnnotation] {
        self.overlays.get(path).map_or(&[], |o| &o.annotations)
    }

    /// Replaces an open article's annotations (tests and edges that anchored
    /// them themselves).
    pub fn set_annotations(&mut self, path: &Path, annotations: Vec<AnchoredAnnotation>) {
        if let Some(overlay) = self.overlays.get_mut(path) {
            overlay.annotations = annotations;
            overlay.invalidate();
            self.changed.insert(path.to_path_buf());
        }
    }

    /// The sidecar's current text: its overlay, else the file, else nothing.
    pub fn sidecar_text(&mut self, sidecar: &Path) -> Result<Option<String>, FileError> {
        if let Some(overlay) = self.overlays.get_mut(sidecar) {
            return Ok(Some(overlay.text().to_string()));
        }
        match read_text_file(sidecar) {
            Ok(text) => Ok(Some(text)),
            Err(FileError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// (Re)loads an open article's annotations from its sidecar, keeping the moved
    /// position of every annotation that did not change in the file.
    pub fn load_annotations(&mut self, path: &Path) {
        if !self.overlays.get(path).is_some_and(|o| o.on_disk) {
            return;
        }
        let sidecar = sidecar_path(path);
        let (annotations, errors) = match self.sidecar_text(&sidecar) {
            Ok(Some(text)) => {
                let file = parse_annotation_file(&text);
                let errors = if file.diagnostics.is_empty() {
                    Vec::new()
                } else {
                    let first = &file.diagnostics[0];
                    let line = text[..first.range.start].matches('\n').count() + 1;
                    vec![Diagnostic::error(
                        DiagnosticCode::MalformedAnnotation,
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
        let Some(overlay) = self.overlays.get_mut(path) else { return };
        let text = overlay.text();
        let mut anchored = anchor_all(&text, &annotations);
        for fresh in &mut anchored {
            if let Some(previous) = overlay.annotations.iter().find(|p| p.annotation == fresh.annotation) {
                fresh.range = previous.range;
                fresh.anchor = previous.anchor;
            }
        }
        for a in &anchored {
            tracing::debug!(id = a.annotation.id, range = ?a.range, anchor = ?a.anchor, start = a.annotation.start, "annotation loaded");
        }
        overlay.annotations = anchored;
        overlay.sidecar_errors = errors;
        overlay.invalidate();
        self.changed.insert(path.to_path_buf());
    }

    /// A sidecar changed (in the editor or on disk): its article, if open,
    /// follows it.
    pub fn reload_annotations_for_sidecar(&mut self, sidecar: &Path) {
        let article = article_for_sidecar(sidecar);
        if self.overlays.get(&article).is_some_and(|o| o.role == FileRole::Article && sidecar_path(&article) == sidecar) {
            self.load_annotations(&article);
        }
    }

    // ---- analysis ----

    /// The analysis of an open article (computed on demand and cached until the
    /// next change), or of an article on disk.
    pub fn analysis(&mut self, path: &Path) -> Option<Arc<Analysis>> {
        if !self.overlays.contains_key(path) {
            return self.analysis_on_disk(path).ok().map(|(_, analysis)| Arc::new(analysis));
        }
        if self.overlays.get(path)?.in_flight.is_some() {
            // A question about this very file waits for its analysis.
            self.collect_background_analysis(path, true);
        }
        let overlay = self.overlays.get(path)?;
        if let Some(analysis) = &overlay.analysis {
            return Some(analysis.clone());
        }
        let (kb, config) = self.kb_and_config(overlay.corpus_root.as_deref());
        let overlay = self.overlays.get_mut(path)?;
        let text = overlay.text();
        let analysis = if text.len() > crate::analysis::LIVE_ANALYSIS_LIMIT {
            overlay.incremental.clear();
            Arc::new(crate::analysis::analyze_names_only(&text, &kb))
        } else {
            let rules = overlay.incremental.analyze(&text, &kb, &config);
            with_manual_annotations(rules, &overlay.annotations, &kb)
        };
        overlay.analysis = Some(analysis.clone());
        if overlay.role == FileRole::Article && overlay.on_disk && overlay.corpus_root.is_some() {
            // The corpus index learns the new mentions when a question reads it,
            // not on every keystroke: re-positioning every mention of a long
            // document costs more than the incremental analysis itself.
            self.unindexed.insert(path.to_path_buf());
        }
        Some(analysis)
    }

    /// An article on disk analysed with its sidecar's annotations (manual
    /// decisions win over the rules), with its text.
    pub fn analysis_on_disk(&self, path: &Path) -> Result<(String, Analysis), FileError> {
        let text = read_text_file(path)?;
        let root = self.root_on_disk(path);
        // `analyze` has always read a sidecar beside an article outside any
        // corpus too (`check` does not): kept as it was.
        let annotations = self.sidecar_on_disk(path).map(|f| f.annotations).unwrap_or_default();
        let anchored = anchor_all(&text, &annotations);
        let analysis = self.analyze_text(root.as_deref(), &text, &anchored);
        Ok((text, analysis))
    }

    /// `text` (not a file) analysed as an article of the corpus at `root`
    /// (none: no knowledge base, default settings), with `annotations` applied
    /// over the rules: what [`analysis_on_disk`](Self::analysis_on_disk) gives a
    /// file with this text.
    pub fn analyze_text(&self, root: Option<&Path>, text: &str, annotations: &[AnchoredAnnotation]) -> Analysis {
        let (kb, config) = self.kb_and_config(root);
        Self::analyze_text_with(&kb, &config, text, annotations)
    }

    /// `text` analysed against a knowledge base of no corpus (the Python
    /// package's `KnowledgeBase`), with `annotations` applied over the rules.
    pub fn analyze_text_with(kb: &KnowledgeBase, config: &AnalysisConfig, text: &str, annotations: &[AnchoredAnnotation]) -> Analysis {
        crate::analysis::analyze_annotated(text, kb, config, annotations)
    }

    /// The sidecar of the article at `path` as it is on disk (none: empty);
    /// malformed lines are in its diagnostics.
    pub fn sidecar_on_disk(&self, path: &Path) -> Result<crate::annotations::AnnotationFile, FileError> {
        crate::annotations::read_annotations(&sidecar_path(path))
    }

    /// The loaded corpus whose root is nearest above `path`.
    fn root_on_disk(&self, path: &Path) -> Option<PathBuf> {
        path.ancestors().find(|dir| self.corpora.contains_key(*dir)).map(Path::to_path_buf)
    }

    /// An article's sidecar annotations as read from disk, anchored to `text`,
    /// in a corpus or not (as an editor and `analyze` read them).
    fn sidecar_annotations_on_disk(&self, path: &Path, text: &str) -> Vec<AnchoredAnnotation> {
        let annotations = self.sidecar_on_disk(path).map(|f| f.annotations).unwrap_or_default();
        anchor_all(text, &annotations)
    }

    /// The other articles of the corpus at `root` with the file name of
    /// `path`, relative to the root, `/`-separated (importers and
    /// WebAnno/INCEpTION projects find documents by name). The corpus's names
    /// are listed once and kept until an article appears or goes away.
    fn articles_sharing_name(&self, root: &Path, path: &Path) -> Vec<String> {
        let Some(name) = path.file_name() else { return Vec::new() };
        let cached = self.article_names.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(root).cloned();
        let names = match cached {
            Some(names) => names,
            None => {
                let Some(corpus) = self.corpora.get(root) else { return Vec::new() };
                let mut names = ArticlesByName::new();
                for article in corpus.article_paths() {
                    names.entry(article.file_name().unwrap_or_default().to_owned()).or_default().push(article);
                }
                let names = Arc::new(names);
                self.article_names.write().unwrap_or_else(std::sync::PoisonError::into_inner).insert(root.to_path_buf(), names.clone());
                names
            }
        };
        let Some(sharing) = names.get(name) else { return Vec::new() };
        sharing
            .iter()
            .filter(|p| p.as_path() != path)
            .map(|p| {
                let relative = p.strip_prefix(root).unwrap_or(p);
                relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
            })
            .collect()
    }

    /// Forgets the corpus's list of article names when `path` (an article)
    /// appeared or went away since it was made.
    fn article_set_changed(&mut self, root: &Path, path: &Path) {
        let names = self.article_names.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(known) = names.get(root) else { return };
        let listed = path.file_name().and_then(|n| known.get(n)).is_some_and(|paths| paths.iter().any(|p| p == path));
        if listed != path.is_file() {
            names.remove(root);
        }
    }

    /// Starts analysing a long open article off the host's thread (issue 14: a
    /// long analysis held the server's one worker, and every request about
    /// every other document waited for it).
    pub fn start_background_analysis(&mut self, path: &Path) -> Background {
        let Some(overlay) = self.overlays.get_mut(path) else { return Background::NotNeeded };
        if overlay.in_flight.is_some() {
            return Background::Running;
        }
        if overlay.role != FileRole::Article || overlay.analysis.is_some() || overlay.background_failed == Some(overlay.revision) {
            return Background::NotNeeded;
        }
        let text = overlay.text();
        if text.len() < BACKGROUND_ANALYSIS_BYTES || text.len() > crate::analysis::LIVE_ANALYSIS_LIMIT {
            return Background::NotNeeded;
        }
        let root = overlay.corpus_root.clone();
        let (kb, config) = self.kb_and_config(root.as_deref());
        let Some(overlay) = self.overlays.get_mut(path) else { return Background::NotNeeded };
        let mut incremental = std::mem::take(&mut overlay.incremental);
        let (sender, receiver) = std::sync::mpsc::channel();
        overlay.in_flight = Some(InFlight { revision: overlay.revision, result: std::sync::Mutex::new(receiver) });
        Background::Start(Box::new(move || {
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
        }))
    }

    /// Takes a background analysis's result into its overlay: waiting for it
    /// when `wait`, else only if it is there. A result for an older revision
    /// still serves as the base of the next incremental analysis.
    pub fn collect_background_analysis(&mut self, path: &Path, wait: bool) {
        let Some(overlay) = self.overlays.get_mut(path) else { return };
        let Some(mut in_flight) = overlay.in_flight.take() else { return };
        let receiver = in_flight.result.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        let outcome = if wait {
            receiver.recv().ok()
        } else {
            match receiver.try_recv() {
                Ok(done) => Some(done),
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    overlay.in_flight = Some(in_flight);
                    return;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            }
        };
        match outcome {
            Some((incremental, rules)) => {
                overlay.incremental = incremental;
                if overlay.revision == in_flight.revision && overlay.analysis.is_none() {
                    let root = overlay.corpus_root.clone();
                    let (kb, _) = self.kb_and_config(root.as_deref());
                    let overlay = self.overlays.get_mut(path).expect("looked up above");
                    overlay.analysis = Some(with_manual_annotations(rules, &overlay.annotations, &kb));
                    if overlay.on_disk && overlay.corpus_root.is_some() {
                        self.unindexed.insert(path.to_path_buf());
                    }
                }
            }
            // It panicked: this revision is analysed in place, where a panic
            // is caught by the edge as before.
            None => overlay.background_failed = Some(in_flight.revision),
        }
        self.changed.insert(path.to_path_buf());
    }

    // ---- diagnostics ----

    /// The diagnostics of an open file, decided by the core
    /// (`ide::diagnostics`) from what the editor has: its buffers, not the
    /// disk, where they differ. A file that is not open is read from disk.
    pub fn file_diagnostics(&mut self, path: &Path) -> Vec<Diagnostic> {
        let Some(overlay) = self.overlays.get(path) else {
            let root = self.root_on_disk(path);
            let role = match root.as_ref().and_then(|r| self.corpora.get(r)) {
                Some(corpus) => match corpus.role_of(path) {
                    FileRole::Other => FileRole::Article,
                    role => role,
                },
                None => FileRole::Article,
            };
            return self.diagnostics_on_disk(path, role, root.as_deref()).diagnostics;
        };
        let role = overlay.role;
        let root = overlay.corpus_root.clone();
        let corpus = root.as_ref().and_then(|r| self.corpora.get(r)).cloned();
        let kb = corpus.as_ref().map_or_else(|| EMPTY_KB.clone(), |c| c.kb.clone());
        let default_labels;
        let labels = match &corpus {
            Some(c) => &c.config.labels.entity,
            None => {
                default_labels = crate::workspace::CorpusConfig::default().labels.entity;
                &default_labels
            }
        };
        let view = CorpusView { kb: &kb, labels };
        match role {
            FileRole::Article => {
                let Some(analysis) = self.analysis(path) else { return Vec::new() };
                let Some(overlay) = self.overlays.get_mut(path) else { return Vec::new() };
                // The text the analysis already read, not a fresh copy.
                let text = overlay.text();
                let on_disk = overlay.on_disk;
                let same_name = match &root {
                    Some(root) if on_disk => self.articles_sharing_name(root, path),
                    _ => Vec::new(),
                };
                let Some(overlay) = self.overlays.get(path) else { return Vec::new() };
                let input = FileInput::Article {
                    text: &text,
                    analysis: &analysis,
                    annotations: &overlay.annotations,
                    sidecar_problems: &overlay.sidecar_errors,
                    same_name: &same_name,
                };
                file_diagnostics(input, &view)
            }
            FileRole::Annotations => {
                let Some(overlay) = self.overlays.get_mut(path) else { return Vec::new() };
                let text = overlay.text();
                if !overlay.on_disk {
                    return parse_annotation_file(&text).diagnostics;
                }
                let article = article_for_sidecar(path);
                // A missing article orphans the sidecar; an unreadable one leaves
                // every record unplaced.
                let article_text = self.file_text(&article).or_else(|| article.exists().then(String::new));
                file_diagnostics(FileInput::Sidecar { path, text: &text, article_text: article_text.as_deref() }, &view)
            }
            FileRole::KnowledgeBase => {
                let problems = self.live_kb_problems(path);
                file_diagnostics(FileInput::KnowledgeBase { problems: &problems }, &view)
            }
            FileRole::Config => {
                let Some(overlay) = self.overlays.get_mut(path) else { return Vec::new() };
                let text = overlay.text();
                match &root {
                    Some(root) => file_diagnostics(FileInput::Config { text: &text, root }, &view),
                    None => crate::workspace::CorpusConfig::parse(&text).1,
                }
            }
            FileRole::Other => Vec::new(),
        }
    }

    /// A knowledge-base buffer's own problems plus cross-file ones, against the
    /// other KB files as they are on disk or in the editor.
    fn live_kb_problems(&mut self, path: &Path) -> Vec<Diagnostic> {
        let Some(overlay) = self.overlays.get_mut(path) else { return Vec::new() };
        let text = overlay.text();
        let key = Arc::new(path.to_path_buf());
        let kb_paths = overlay.corpus_root.clone().and_then(|r| self.corpora.get(&r).map(|c| c.kb_paths()));
        match kb_paths {
            Some(kb_paths) => {
                let unsaved = self.unsaved_texts();
                let files = kb_paths
                    .into_iter()
                    .map(|p| {
                        let text = if p == *key {
                            Ok(text.to_string())
                        } else {
                            unsaved.get(&p).cloned().map(Ok).unwrap_or_else(|| read_text_file(&p))
                        };
                        match text {
                            Ok(t) => parse_kb_file(Arc::new(p), &t),
                            Err(e) => crate::kb::KbFileSyntax::unreadable_file(Arc::new(p), &e),
                        }
                    })
                    .collect();
                KnowledgeBase::build(files).diagnostics.into_iter().find(|(p, _)| **p == *key).map(|(_, d)| d).unwrap_or_default()
            }
            None => parse_kb_file(key, &text).diagnostics,
        }
    }

    /// A file on disk, read and judged as `role` in the corpus at `root`: what
    /// `check` reports. Takes `&self`, so that many files are checked at once.
    pub fn diagnostics_on_disk(&self, path: &Path, role: FileRole, root: Option<&Path>) -> DiskFile {
        let text = match read_text_file(path) {
            Ok(text) => text,
            Err(error) => {
                // Show the valid prefix of a non-UTF-8 file so the frame points at the byte.
                let text = match &error {
                    FileError::InvalidUtf8 { offset, .. } => {
                        std::fs::read(path).map(|b| String::from_utf8_lossy(&b[..*offset]).into_owned()).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                return DiskFile { text, diagnostics: vec![error.diagnostic()] };
            }
        };
        let corpus = root.and_then(|r| self.corpora.get(r));
        // Outside a corpus, the default labels (as for an open file).
        let default_labels = crate::workspace::CorpusConfig::default().labels.entity;
        let (kb, labels, config) = match corpus {
            Some(corpus) => (&*corpus.kb, &corpus.config.labels.entity, corpus.analysis_config.clone()),
            None => (&**EMPTY_KB, &default_labels, AnalysisConfig::default()),
        };
        let view = CorpusView { kb, labels };
        let diagnostics = match (role, corpus) {
            (FileRole::Config, Some(corpus)) => file_diagnostics(FileInput::Config { text: &text, root: &corpus.root }, &view),
            (FileRole::KnowledgeBase, Some(corpus)) => {
                let problems = corpus.kb_diagnostics.iter().find(|(p, _)| p.as_path() == path).map(|(_, d)| d.as_slice()).unwrap_or(&[]);
                file_diagnostics(FileInput::KnowledgeBase { problems }, &view)
            }
            (FileRole::Annotations, Some(_)) => {
                // A missing article orphans the sidecar; an unreadable one (reported
                // on its own) leaves every record unplaced.
                let article_text = match read_text_file(&article_for_sidecar(path)) {
                    Ok(text) => Some(text),
                    Err(FileError::NotFound(_)) => None,
                    Err(_) => Some(String::new()),
                };
                file_diagnostics(FileInput::Sidecar { path, text: &text, article_text: article_text.as_deref() }, &view)
            }
            (_, corpus) => {
                // The article with its annotations: manual decisions override the
                // rules, and annotation problems show at the annotated words. The
                // sidecar's own problems are reported on the sidecar.
                let anchored = self.sidecar_annotations_on_disk(path, &text);
                let analysis = crate::analysis::analyze_annotated(&text, kb, &config, &anchored);
                let same_name = match corpus {
                    Some(corpus) if role == FileRole::Article => self.articles_sharing_name(&corpus.root, path),
                    _ => Vec::new(),
                };
                file_diagnostics(
                    FileInput::Article {
                        text: &text,
                        analysis: &analysis,
                        annotations: &anchored,
                        sidecar_problems: &[],
                        same_name: &same_name,
                    },
                    &view,
                )
            }
        };
        DiskFile { text, diagnostics }
    }

    // ---- editor features, in byte offsets ----

    /// The hover card at `offset` of an open file.
    pub fn hover(&mut self, path: &Path, offset: usize) -> Option<HoverCard> {
        let analysis = self.analysis(path)?;
        let root = self.overlays.get(path)?.corpus_root.clone();
        if let Some(root) = &root {
            self.corpus_index(root);
        }
        let text = self.overlay_text(path)?;
        let (kb, _) = self.kb_and_config(root.as_deref());
        let overlay = self.overlays.get(path)?;
        hover::hover_annotated(&text, &analysis, &kb, self.index_as_is(root.as_deref()), &overlay.annotations, offset)
    }

    /// The mention at `offset` and its KB entry's id line.
    pub fn definition(&mut self, path: &Path, offset: usize) -> Option<(TextRange, FileRange)> {
        let analysis = self.analysis(path)?;
        let (kb, _) = self.kb_and_config(self.overlays.get(path)?.corpus_root.as_deref());
        navigation::definition(&kb, &analysis, offset)
    }

    /// The KB id at `offset`: a mention in an article, or the entry around it
    /// in a KB file.
    pub fn entry_id_at(&mut self, path: &Path, offset: usize) -> Option<String> {
        match self.overlays.get(path)?.role {
            FileRole::KnowledgeBase => {
                let text = self.overlay_text(path)?;
                navigation::kb_entry_at(path, &text, offset)
            }
            _ => self.analysis(path)?.mention_at(offset).map(|m| m.id.clone()),
        }
    }

    /// Every mention in the corpus of the entry at `offset`, plus its definition
    /// when asked; mentions carry their line and UTF-16 columns from the index.
    pub fn references(&mut self, path: &Path, offset: usize, include_declaration: bool) -> Option<Vec<(FileRange, Option<Utf16Span>)>> {
        let id = self.entry_id_at(path, offset)?;
        let root = self.overlays.get(path)?.corpus_root.clone()?;
        self.corpus_index(&root)?;
        let (kb, _) = self.kb_and_config(Some(&root));
        Some(navigation::references(&kb, self.indexes.get(&root)?, &id, include_declaration))
    }

    /// The same answer as [`AnalysisHost::references`], nearest first and lazy:
    /// the definition (when asked), then the mentions in `path`, in its folder,
    /// and in the rest of the corpus, read from the index file by file, so the
    /// edge can send them in batches without holding them all.
    pub fn references_nearest(&mut self, path: &Path, offset: usize, include_declaration: bool) -> Option<NearestReferences<'_>> {
        let id = self.entry_id_at(path, offset)?;
        let root = self.overlays.get(path)?.corpus_root.clone()?;
        self.corpus_index(&root)?;
        let (kb, _) = self.kb_and_config(Some(&root));
        let declaration = if include_declaration {
            kb.get(&id).map(|entry| FileRange { path: (*entry.origin.file).clone(), range: entry.origin.id_range })
        } else {
            None
        };
        Some(NearestReferences { declaration, index: self.indexes.get(&root)?, id, near: path.to_path_buf() })
    }

    /// Mentions in this article of the entry at `offset`.
    pub fn highlights(&mut self, path: &Path, offset: usize) -> Option<Vec<TextRange>> {
        Some(navigation::highlights(&*self.analysis(path)?, offset))
    }

    /// Speaker hints after the quotes in `range` of an open article.
    pub fn inlay_hints(&mut self, path: &Path, range: TextRange) -> Option<Vec<InlayHint>> {
        let analysis = self.analysis(path)?;
        if self.overlays.get(path)?.role != FileRole::Article {
            return Some(Vec::new());
        }
        let text = self.overlay_text(path)?;
        let (kb, _) = self.kb_and_config(self.overlays.get(path)?.corpus_root.as_deref());
        Some(crate::ide::inlay::quote_speaker_hints(&text, &analysis, &kb, range))
    }

    /// The outline of an open article (`None` for other files).
    pub fn outline(&mut self, path: &Path) -> Option<Vec<OutlineItem>> {
        let analysis = self.analysis(path)?;
        if self.overlays.get(path)?.role != FileRole::Article {
            return None;
        }
        let text = self.overlay_text(path)?;
        Some(crate::ide::symbols::document_outline(&text, &analysis))
    }

    /// Token kinds of an open file, annotated spans marked.
    pub fn semantic_tokens(&mut self, path: &Path) -> Option<Vec<crate::ide::semantic::Token>> {
        let analysis = self.analysis(path)?;
        Some(crate::ide::semantic::semantic_tokens(&analysis, self.annotations(path)))
    }

    /// KB entries of every loaded corpus matching `query`.
    pub fn workspace_symbols(&self, query: &str) -> Vec<&KbEntry> {
        self.corpora.values().flat_map(|corpus| crate::ide::symbols::workspace_symbols(&corpus.kb, query)).collect()
    }
}

/// Find-references, nearest first (see [`AnalysisHost::references_nearest`]).
pub struct NearestReferences<'a> {
    /// The entry's id in its KB file, when the declaration was asked for.
    pub declaration: Option<FileRange>,
    index: &'a MentionIndex,
    id: String,
    near: PathBuf,
}

impl NearestReferences<'_> {
    /// The files that may mention the entry: the asking file, its folder, the rest.
    pub fn files(&self) -> impl Iterator<Item = FileMentions<'_>> {
        self.index.files_nearest(&self.id, &self.near)
    }
}

/// The host answers without an editor, and an open file gets the diagnostics
/// the same file gets on disk: neither edge decides them.
#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
    }

    fn article() -> PathBuf {
        corpus().join("articles/004_a2fe9243e21dc331.txt")
    }

    #[test]
    fn a_host_built_from_a_corpus_folder_answers_without_an_editor() {
        let mut host = AnalysisHost::from_corpus(&corpus()).expect("the bundled corpus");
        let analysis = host.analysis(&article()).expect("an article on disk");
        assert!(!analysis.quotes.is_empty());
        // The index is built when a question first needs it.
        let root = corpus();
        let articles = host.corpus(&root).unwrap().article_paths().len();
        let index = host.corpus_index(&root).expect("built on demand");
        assert_eq!(index.file_count(), articles);
        // Hover and references ask about an open file: opened from disk here.
        let text = read_text_file(&article()).unwrap();
        host.open_from_disk(&article()).unwrap();
        let blinken = text.find("Blinken").expect("seed 004 names Blinken");
        let card = host.hover(&article(), blinken).expect("a card");
        assert!(card.markdown.contains("Antony Blinken"), "{}", card.markdown);
        let references = host.references(&article(), blinken, false).expect("references");
        assert!(references.iter().any(|(at, _)| at.path == article() && at.range.touches(blinken)), "{references:?}");
        assert!(AnalysisHost::from_corpus(Path::new("/")).is_none());
    }

    #[test]
    fn an_open_file_gets_the_diagnostics_it_gets_on_disk() {
        let mut host = AnalysisHost::from_corpus(&corpus()).unwrap();
        let root = corpus();
        for path in host.corpus(&root).unwrap().article_paths() {
            let on_disk = host.diagnostics_on_disk(&path, FileRole::Article, Some(&root));
            assert_eq!(host.file_diagnostics(&path), on_disk.diagnostics, "{}", path.display());
            let info = host.set_overlay(&path, &on_disk.text, Backing::File);
            assert_eq!(info, FileInfo { role: FileRole::Article, corpus_root: Some(root.clone()) });
            assert_eq!(host.file_diagnostics(&path), on_disk.diagnostics, "{} open", path.display());
        }
        let config = root.join(crate::workspace::CONFIG_FILE_NAME);
        let on_disk = host.diagnostics_on_disk(&config, FileRole::Config, Some(&root));
        host.set_overlay(&config, &on_disk.text, Backing::File);
        assert_eq!(host.file_diagnostics(&config), on_disk.diagnostics);
    }

    /// A fresh folder under the system's temporary folder.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("marginalia-host-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Known gap closed: `duplicate-article-name` was a warning of `check`
    /// alone, computed over its arguments; the host gives it to an article
    /// on disk and to the same article open in an editor.
    #[test]
    fn both_edges_warn_about_an_article_name_another_article_shares() {
        let root = scratch("same-name");
        write(&root.join("marginalia.toml"), "[corpus]\narticles = [\"articles\", \"more\"]\nkb = [\"kb\"]\n");
        write(&root.join("kb/kb.json"), "{\"entities\": []}");
        let (a, b, c) = (root.join("articles/000_x.txt"), root.join("more/000_x.txt"), root.join("articles/001_y.txt"));
        for path in [&a, &b, &c] {
            write(path, "Plain text.\n");
        }
        let mut host = AnalysisHost::from_corpus(&root).unwrap();
        let on_disk = host.diagnostics_on_disk(&a, FileRole::Article, Some(&root)).diagnostics;
        let warning: Vec<&Diagnostic> = on_disk.iter().filter(|d| d.code == DiagnosticCode::DuplicateArticleName).collect();
        assert_eq!(warning.len(), 1, "{on_disk:?}");
        assert!(warning[0].message.contains("more/000_x.txt"), "{}", warning[0].message);
        assert!(host.diagnostics_on_disk(&c, FileRole::Article, Some(&root)).diagnostics.is_empty());
        host.open_from_disk(&a).unwrap();
        assert_eq!(host.file_diagnostics(&a), on_disk);
        // The other one goes away: the warning with it, once the watcher says so.
        std::fs::remove_file(&b).unwrap();
        host.files_changed_on_disk(std::slice::from_ref(&b));
        assert!(host.file_diagnostics(&a).is_empty(), "{:?}", host.file_diagnostics(&a));
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// Known gap closed: `analyze` and an editor read the sidecar beside an
    /// article outside any corpus, `check` did not; now all three do, with the
    /// default labels.
    #[test]
    fn an_article_outside_a_corpus_is_judged_with_its_sidecar_on_disk_and_open() {
        let dir = scratch("no-corpus");
        let article = dir.join("lone.txt");
        write(&article, "Putin spoke in Moscow.\n");
        let record = |id: &str, label: &str, start: usize, end: usize, exact: &str| {
            format!(
                "{{\"id\":\"{id}\",\"kind\":\"entity\",\"label\":\"{label}\",\"start\":{start},\"end\":{end},\"exact\":\"{exact}\",\"annotator\":\"ann\",\"created\":\"2024-01-01T00:00:00Z\",\"status\":\"accepted\"}}\n"
            )
        };
        let sidecar = record("a1", "PERSON", 0, 5, "Putin") + &record("a2", "NO-SUCH-LABEL", 15, 21, "Moscow");
        write(&sidecar_path(&article), &sidecar);
        let mut host = AnalysisHost::default();
        let on_disk = host.diagnostics_on_disk(&article, FileRole::Article, None).diagnostics;
        // The label the default set lacks is reported; the one it has is not.
        let labels: Vec<&Diagnostic> = on_disk.iter().filter(|d| d.message.contains("label")).collect();
        assert_eq!(labels.len(), 1, "{on_disk:?}");
        assert!(labels[0].message.contains("NO-SUCH-LABEL"), "{}", labels[0].message);
        assert_eq!(host.file_diagnostics(&article), on_disk);
        let info = host.open_from_disk(&article).unwrap();
        assert_eq!(info, FileInfo { role: FileRole::Article, corpus_root: None });
        assert_eq!(host.file_diagnostics(&article), on_disk, "open");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A knowledge-base file and a sidecar open in an editor, unchanged, get
    /// what they get on disk (their cross-file problems are gathered against
    /// the other buffers, which here are the files).
    #[test]
    fn an_open_kb_file_and_sidecar_get_what_they_get_on_disk() {
        let root = scratch("kb-open");
        write(&root.join("marginalia.toml"), "[corpus]\narticles = [\"articles\"]\nkb = [\"kb\"]\n");
        let entry = |id: &str| format!("{{\"id\": \"{id}\", \"name\": \"Ann Example\", \"kind\": \"person\"}}");
        write(&root.join("kb/a.json"), &format!("{{\"entities\": [{}]}}", entry("p1")));
        write(&root.join("kb/b.json"), &format!("{{\"entities\": [{}, {{\"id\": 3}}]}}", entry("p1")));
        let article = root.join("articles/a.txt");
        write(&article, "Ann Example spoke.\n");
        write(&sidecar_path(&article), "{not json\n");
        let mut host = AnalysisHost::from_corpus(&root).unwrap();
        for (path, role) in [(root.join("kb/b.json"), FileRole::KnowledgeBase), (sidecar_path(&article), FileRole::Annotations)] {
            let on_disk = host.diagnostics_on_disk(&path, role, Some(&root)).diagnostics;
            assert!(!on_disk.is_empty(), "{} has problems", path.display());
            host.open_from_disk(&path).unwrap();
            assert_eq!(host.file_diagnostics(&path), on_disk, "{}", path.display());
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn edits_are_applied_in_order_and_a_whole_text_change_replaces_them() {
        let mut host = AnalysisHost::from_corpus(&corpus()).unwrap();
        let path = article();
        let text = read_text_file(&path).unwrap();
        host.set_overlay(&path, &text, Backing::File);
        host.take_changed();
        host.apply_changes(
            &path,
            [Change::Edit { range: TextRange::new(0, 0), text: "ab" }, Change::Edit { range: TextRange::new(1, 2), text: "XY" }],
        );
        assert_eq!(host.take_changed(), vec![path.clone()]);
        assert_eq!(&*host.overlay_text(&path).unwrap(), format!("aXY{text}"));
        let before = host.analysis(&path).unwrap();
        host.apply_changes(&path, [Change::Edit { range: TextRange::new(0, 3), text: "" }, Change::Replace("“Short.”")]);
        assert_eq!(&*host.overlay_text(&path).unwrap(), "“Short.”");
        let after = host.analysis(&path).unwrap();
        assert!(!Arc::ptr_eq(&before, &after));
        assert_eq!(after.quotes.len(), 1);
        // Closed, the disk is the truth again.
        host.remove_overlay(&path);
        assert!(!host.is_open(&path));
        assert_eq!(host.analysis(&path).unwrap().quotes.len(), before.quotes.len());
    }

    #[test]
    fn a_buffer_without_a_file_belongs_to_no_corpus() {
        let mut host = AnalysisHost::default();
        let key = Path::new("untitled:Untitled-1");
        let info = host.set_overlay(key, "“Hello,” she said.", Backing::Buffer { language: Some("plaintext") });
        assert_eq!(info, FileInfo { role: FileRole::Article, corpus_root: None });
        assert_eq!(host.analysis(key).unwrap().quotes.len(), 1);
        let json = Path::new("untitled:Untitled-2");
        let info = host.set_overlay(json, "{}", Backing::Buffer { language: Some("json") });
        assert_eq!(info.role, FileRole::Other);
        assert!(host.file_diagnostics(json).is_empty());
    }
}
