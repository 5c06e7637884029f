//! What the server knows, owned by one worker thread: open documents (ropey,
//! versions, URIs) and the analysis host (`crate::host`) that owns the corpora,
//! the overlays of those documents and every answer about them. Document events
//! are applied here strictly in the order the client sent them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, Uri,
};

use super::convert::{PositionEncoding, range_from_lsp};
use crate::annotations::{article_for_sidecar, sidecar_path};
use crate::diagnostic::Diagnostic;
use crate::host::{AnalysisHost, Background, Backing, Change, Indexing, IndexingJob};
use crate::text::TextRange;
use crate::workspace::{Corpus, FileRole, read_text_file};

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

/// An open document as the protocol sees it; what it means is in the host,
/// under `key`.
pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    /// The document's name in the host: its path, or for a buffer without a
    /// file (`untitled:`), its URI as a path that names no file.
    pub key: PathBuf,
    pub version: i32,
    pub rope: Rope,
    pub role: FileRole,
    pub corpus_root: Option<PathBuf>,
}

/// An article's analysis to run off the worker; `uri` names it when the
/// worker is told it is done.
pub struct AnalysisJob {
    pub uri: Uri,
    pub work: Box<dyn FnOnce() + Send>,
}

/// Corpora larger than this are indexed in the background.
const SYNC_INDEX_LIMIT: usize = 2_000;

/// Diagnostics to send for one document at one version.
pub struct PublishRequest {
    pub uri: Uri,
    pub version: Option<i32>,
    pub diagnostics: Vec<Diagnostic>,
    pub rope: Rope,
}

pub struct ServerState {
    pub encoding: PositionEncoding,
    pub workspace_roots: Vec<PathBuf>,
    pub documents: HashMap<Uri, Document>,
    /// The one place that answers questions: corpora, indexes, overlays.
    pub host: AnalysisHost,
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
    analysis_jobs: Vec<AnalysisJob>,
    /// The last text seen of closed articles whose annotations changed, so
    /// that an outside edit of one is followed exactly.
    closed_texts: HashMap<PathBuf, Arc<str>>,
    /// Documents whose diagnostics must be sent after the current batch.
    dirty: HashSet<Uri>,
}

impl Default for ServerState {
    fn default() -> Self {
        ServerState {
            encoding: PositionEncoding::default(),
            workspace_roots: Vec::new(),
            documents: HashMap::new(),
            host: AnalysisHost::new(Indexing::OnLoad { background_above: SYNC_INDEX_LIMIT }),
            editor_annotator: None,
            annotation_writes_on_server: false,
            client_shows_progress: false,
            client_initialized: false,
            analysis_jobs: Vec::new(),
            closed_texts: HashMap::new(),
            dirty: HashSet::new(),
        }
    }
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
                let (key, backing) = match &path {
                    Some(path) => (path.clone(), Backing::File),
                    None => (PathBuf::from(doc.uri.as_str()), Backing::Buffer { language: Some(doc.language_id.as_str()) }),
                };
                let info = self.host.set_overlay(&key, &doc.text, backing);
                // Its buffer is the truth now; a remembered text would be stale
                // by the time it is closed again.
                if let Some(path) = &path {
                    self.closed_texts.remove(path);
                }
                let document = Document {
                    uri: doc.uri.clone(),
                    path,
                    key,
                    version: doc.version,
                    rope: Rope::from_str(&doc.text),
                    role: info.role,
                    corpus_root: info.corpus_root,
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
                // Changes before the last whole-text change are overwritten by
                // it: annotations follow from the text as it was before this
                // notification straight to that whole text, so the diff sees
                // one change, not an intermediate text (soak finding S3: after
                // a "Z" put at 0:0, nothing was a common prefix any more and an
                // annotation in repeated words was placed on another copy).
                let last_whole = params.content_changes.iter().rposition(|change| change.range.is_none());
                let changes: Vec<_> = params.content_changes.into_iter().skip(last_whole.unwrap_or(0)).collect();
                // Byte ranges against the rope as each change finds it; the
                // host applies them in the same order.
                let mut edits = Vec::with_capacity(changes.len());
                for change in &changes {
                    match change.range {
                        Some(range) => {
                            let range = range_from_lsp(&document.rope, range, encoding);
                            let start = document.rope.byte_to_char(range.start);
                            let end = document.rope.byte_to_char(range.end);
                            let range = TextRange::new(document.rope.char_to_byte(start), document.rope.char_to_byte(end));
                            document.rope.remove(start..end);
                            document.rope.insert(start, &change.text);
                            edits.push(Change::Edit { range, text: &change.text });
                        }
                        None => {
                            document.rope = Rope::from_str(&change.text);
                            edits.push(Change::Replace(&change.text));
                        }
                    }
                }
                document.version = params.text_document.version;
                self.host.apply_changes(&document.key, edits);
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
                    self.host.reload_corpus(&root);
                }
            }
            DocumentEvent::Close(params) => {
                if let Some(document) = self.documents.remove(&params.text_document.uri) {
                    self.dirty.remove(&params.text_document.uri);
                    self.host.remove_overlay(&document.key);
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
                let paths: Vec<PathBuf> = params.changes.iter().filter_map(|change| uri_to_path(&change.uri)).collect();
                let (articles, sidecars) = self.host.files_changed_on_disk(&paths);
                for (root, path) in articles {
                    self.follow_outside_edit(&root, &path);
                }
                for path in sidecars {
                    self.remember_closed_article(&path);
                }
            }
        }
    }

    pub fn load_workspace_corpora(&mut self) {
        for root in self.workspace_roots.clone() {
            for candidate in [root.clone(), root.join("corpus")] {
                if candidate.join(crate::workspace::CONFIG_FILE_NAME).is_file() {
                    self.host.ensure_corpus(&candidate);
                }
            }
        }
    }

    /// Installs a background index (see [`AnalysisHost::install_index`]).
    pub fn install_index(&mut self, root: PathBuf, generation: u64, index: crate::workspace::MentionIndex) {
        self.host.install_index(root, generation, index);
    }

    /// Large corpora waiting to be indexed in the background, once the client
    /// can be told about it.
    pub fn take_indexing_jobs(&mut self) -> Vec<IndexingJob> {
        if self.client_shows_progress && !self.client_initialized {
            return Vec::new();
        }
        self.host.take_indexing_jobs()
    }

    /// The open document's key in the host (`None` when it is not open).
    pub fn key(&self, uri: &Uri) -> Option<PathBuf> {
        Some(self.documents.get(uri)?.key.clone())
    }

    /// The analysis of an open document (see [`AnalysisHost::analysis`]).
    pub fn analysis(&mut self, uri: &Uri) -> Option<Arc<crate::analysis::Analysis>> {
        let key = self.key(uri)?;
        self.host.analysis(&key)
    }

    /// After an article is saved, its annotations' stored offsets and context
    /// follow the text, written with the locked merge so concurrent changes by
    /// others survive.
    fn persist_moved_annotations(&mut self, uri: &Uri) {
        let Some(document) = self.documents.get(uri) else { return };
        let Some(path) = document.path.clone() else { return };
        // The same rule as the annotation command: no write outside the corpus
        // (`..` in the URI, a symlinked folder or sidecar, no corpus at all).
        let sidecar = sidecar_path(&path);
        if let Err(reason) = crate::workspace::ensure_inside_corpus(&sidecar, document.corpus_root.as_deref()) {
            tracing::error!("annotation offsets not saved: {reason}");
            return;
        }
        let Some(text) = self.host.overlay_text(&path) else { return };
        match crate::annotations::persist_anchors(&sidecar, &text, self.host.annotations(&path)) {
            Ok(0) => {}
            Ok(moved) => {
                tracing::info!(sidecar = %sidecar.display(), moved, "annotation offsets updated after save");
                self.host.load_annotations(&path);
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

    /// The text of any corpus file as the editor sees it: the open buffer, else disk.
    pub fn file_rope(&self, path: &Path) -> Option<Rope> {
        if let Some(document) = self.documents.values().find(|d| d.path.as_deref() == Some(path)) {
            return Some(document.rope.clone());
        }
        read_text_file(path).ok().map(|t| Rope::from_str(&t))
    }

    /// Takes a background analysis's result (see
    /// [`AnalysisHost::collect_background_analysis`]).
    pub fn collect_background_analysis(&mut self, uri: &Uri, wait: bool) {
        if let Some(key) = self.key(uri) {
            self.host.collect_background_analysis(&key, wait);
        }
    }

    /// Background analyses to start (the worker spawns them).
    pub fn take_analysis_jobs(&mut self) -> Vec<AnalysisJob> {
        std::mem::take(&mut self.analysis_jobs)
    }

    /// Diagnostics for every document changed since the last call, at its
    /// current version. Bursts of edits collapse into one publication.
    pub fn take_publications(&mut self) -> Vec<PublishRequest> {
        // What the host saw change (an annotation reload, a corpus reload, a
        // background analysis done) is sent too.
        let changed: HashSet<PathBuf> = self.host.take_changed().into_iter().collect();
        if !changed.is_empty() {
            self.dirty.extend(self.documents.values().filter(|d| changed.contains(&d.key)).map(|d| d.uri.clone()));
        }
        let dirty: Vec<Uri> = self.dirty.drain().collect();
        dirty
            .into_iter()
            .filter_map(|uri| {
                let key = self.key(&uri)?;
                match self.host.start_background_analysis(&key) {
                    // Published when it is done (its completion marks it changed).
                    Background::Running => return None,
                    Background::Start(work) => {
                        self.analysis_jobs.push(AnalysisJob { uri, work });
                        return None;
                    }
                    Background::NotNeeded => {}
                }
                let diagnostics = self.host.file_diagnostics(&key);
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
            let key = state.key(&uri).unwrap();
            state.host.set_annotations(&key, anchor_all(&initial, &annotations));

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

            prop_assert_eq!(state.documents[&uri].rope.to_string(), text.clone());
            // The host's text, rebuilt from the edits it was given, is the rope's.
            prop_assert_eq!(&*state.host.overlay_text(&key).unwrap(), text.as_str());
            let incremental: Vec<Option<TextRange>> = state.host.annotations(&key).iter().map(|a| a.range).collect();
            let from_scratch = anchor_all(&text, &annotations);
            let expected: Vec<Option<TextRange>> = from_scratch.iter().map(|a| a.range).collect();
            prop_assert_eq!(&incremental, &expected);
            prop_assert_eq!(incremental, guarded.into_iter().map(Some).collect::<Vec<_>>());
            let (kb, config) = state.host.kb_and_config(state.documents[&uri].corpus_root.as_deref());
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
