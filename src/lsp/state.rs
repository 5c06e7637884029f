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
use crate::analysis::{Analysis, AnalysisConfig, analyze};
use crate::diagnostic::Diagnostic;
use crate::kb::{KnowledgeBase, parse_kb_file};
use crate::workspace::{Corpus, FileRole, MentionIndex, mentions_in, read_text_file};

/// A document-sync notification, queued in arrival order.
#[derive(Debug)]
pub enum DocumentEvent {
    Open(DidOpenTextDocumentParams),
    Change(DidChangeTextDocumentParams),
    Save(DidSaveTextDocumentParams),
    Close(DidCloseTextDocumentParams),
    WatchedFiles(DidChangeWatchedFilesParams),
}

pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub version: i32,
    pub rope: Rope,
    pub role: FileRole,
    pub corpus_root: Option<PathBuf>,
    analysis: Option<Arc<Analysis>>,
    text: Option<Arc<str>>,
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
    /// Documents whose diagnostics must be sent after the current batch.
    dirty: HashSet<Uri>,
}

pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str().eq_ignore_ascii_case("file") { uri.to_file_path().map(|p| p.into_owned()) } else { None }
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
                // Text files outside a corpus are still analysed as articles.
                let role = if role == FileRole::Other && doc.language_id != "json" { FileRole::Article } else { role };
                let document = Document {
                    uri: doc.uri.clone(),
                    path,
                    version: doc.version,
                    rope: Rope::from_str(&doc.text),
                    role,
                    corpus_root,
                    analysis: None,
                    text: None,
                };
                self.documents.insert(doc.uri.clone(), document);
                self.dirty.insert(doc.uri);
            }
            DocumentEvent::Change(params) => {
                let encoding = self.encoding;
                let Some(document) = self.documents.get_mut(&params.text_document.uri) else {
                    tracing::warn!(uri = params.text_document.uri.as_str(), "didChange for a document that is not open; ignored");
                    return;
                };
                for change in params.content_changes {
                    match change.range {
                        Some(range) => {
                            let range = range_from_lsp(&document.rope, range, encoding);
                            let start = document.rope.byte_to_char(range.start);
                            let end = document.rope.byte_to_char(range.end);
                            document.rope.remove(start..end);
                            document.rope.insert(start, &change.text);
                        }
                        None => document.rope = Rope::from_str(&change.text),
                    }
                }
                document.version = params.text_document.version;
                document.invalidate();
                self.dirty.insert(params.text_document.uri);
            }
            DocumentEvent::Save(params) => {
                let Some(document) = self.documents.get(&params.text_document.uri) else { return };
                if matches!(document.role, FileRole::KnowledgeBase | FileRole::Config)
                    && let Some(root) = document.corpus_root.clone()
                {
                    self.reload_corpus(&root);
                }
            }
            DocumentEvent::Close(params) => {
                if let Some(document) = self.documents.remove(&params.text_document.uri) {
                    self.dirty.remove(&params.text_document.uri);
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
            DocumentEvent::WatchedFiles(params) => {
                let mut roots = HashSet::new();
                let mut articles = Vec::new();
                for change in params.changes {
                    let Some(path) = uri_to_path(&change.uri) else { continue };
                    for (root, corpus) in &self.corpora {
                        match corpus.role_of(&path) {
                            FileRole::KnowledgeBase | FileRole::Config => {
                                roots.insert(root.clone());
                            }
                            // An open document's buffer, not the disk, is its truth.
                            FileRole::Article if !self.documents.contains_key(&change.uri) => articles.push((root.clone(), path.clone())),
                            _ => {}
                        }
                    }
                }
                for (root, path) in articles {
                    self.reindex_from_disk(&root, &path);
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
            let index = MentionIndex::build(&corpus.article_paths(), &corpus.kb);
            tracing::info!(root = %root.display(), articles = index.file_count(), entries = corpus.kb.entries().len(), "corpus loaded");
            self.corpora.insert(root.clone(), corpus);
            self.indexes.insert(root.clone(), index);
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
        // Mentions depend on the knowledge base: re-index everything.
        self.indexes.insert(root.to_path_buf(), MentionIndex::build(&corpus.article_paths(), &corpus.kb));
        self.corpora.insert(root.to_path_buf(), corpus);
        for document in self.documents.values_mut().filter(|d| d.corpus_root.as_deref() == Some(root)) {
            document.invalidate();
            self.dirty.insert(document.uri.clone());
        }
    }

    fn reindex_from_disk(&mut self, root: &Path, path: &Path) {
        let (Some(corpus), Some(index)) = (self.corpora.get(root), self.indexes.get_mut(root)) else { return };
        match read_text_file(path) {
            Ok(text) => index.set_file(path.to_path_buf(), mentions_in(&text, &corpus.kb)),
            Err(_) => index.remove_file(path),
        }
    }

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
        let document = self.documents.get(uri)?;
        if let Some(analysis) = &document.analysis {
            return Some(analysis.clone());
        }
        let (kb, config) = self.kb_for(document);
        let document = self.documents.get_mut(uri)?;
        let text = document.text();
        let analysis = Arc::new(analyze(&text, &kb, &config));
        document.analysis = Some(analysis.clone());
        if document.role == FileRole::Article
            && let (Some(path), Some(root)) = (document.path.clone(), document.corpus_root.clone())
            && let Some(index) = self.indexes.get_mut(&root)
        {
            index.set_file(path, analysis.mentions().cloned().collect());
        }
        Some(analysis)
    }

    fn diagnostics_for(&mut self, uri: &Uri) -> Vec<Diagnostic> {
        let Some(document) = self.documents.get_mut(uri) else { return Vec::new() };
        match document.role {
            FileRole::Article => self.analysis(uri).map(|a| a.diagnostics.clone()).unwrap_or_default(),
            FileRole::KnowledgeBase => {
                // Live: this buffer's own problems plus cross-file ones, against the
                // other KB files as they are on disk or in the editor.
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
                                    },
                                }
                            })
                            .collect();
                        KnowledgeBase::build(files).diagnostics.into_iter().find(|(p, _)| **p == *path).map(|(_, d)| d).unwrap_or_default()
                    }
                    None => parse_kb_file(path, &text).diagnostics,
                }
            }
            FileRole::Config => crate::workspace::CorpusConfig::parse(&document.text()).1,
            FileRole::Other => Vec::new(),
        }
    }

    /// Diagnostics for every document changed since the last call, at its
    /// current version. Bursts of edits collapse into one publication.
    pub fn take_publications(&mut self) -> Vec<PublishRequest> {
        let dirty: Vec<Uri> = self.dirty.drain().collect();
        dirty
            .into_iter()
            .filter_map(|uri| {
                let diagnostics = self.diagnostics_for(&uri);
                let document = self.documents.get(&uri)?;
                Some(PublishRequest { uri, version: Some(document.version), diagnostics, rope: document.rope.clone() })
            })
            .collect()
    }
}
