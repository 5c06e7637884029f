//! The corpus on disk: its configuration, which files are articles and which are
//! knowledge base, and reading them safely. Shared by both edges.

mod config;
mod files;
mod index;

pub use crate::text_file::{FileError, decode_utf8, read_text_file};
pub use config::{CONFIG_FILE_NAME, CorpusConfig};
pub use files::files_with_extension;
pub use index::{FileMentions, MentionIndex, Utf16Span, mentions_in};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::AnalysisConfig;
use crate::diagnostic::Diagnostic;
use crate::kb::{KbFileSyntax, KnowledgeBase, parse_kb_file};

/// A corpus folder (the one holding `marginalia.toml`), loaded.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// The folder holding `marginalia.toml`.
    pub root: PathBuf,
    /// The configuration (defaults where it is missing or broken).
    pub config: CorpusConfig,
    /// Problems in `marginalia.toml`, if it exists.
    pub config_diagnostics: Vec<Diagnostic>,
    /// The knowledge base built from every KB file.
    pub kb: Arc<KnowledgeBase>,
    /// Every KB file with its diagnostics (empty lists included, so editors clear them).
    pub kb_diagnostics: Vec<(Arc<PathBuf>, Vec<Diagnostic>)>,
    /// The analysis settings the configuration gives.
    pub analysis_config: AnalysisConfig,
}

/// What kind of corpus file a path is, which decides how it is analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// An article, `*.txt` in an article folder.
    Article,
    /// A knowledge-base file, `*.json` in a KB folder.
    KnowledgeBase,
    /// A standoff annotation sidecar, `NAME.ann.jsonl` beside `NAME.txt`.
    Annotations,
    /// The corpus configuration, `marginalia.toml`.
    Config,
    /// Anything else.
    Other,
}

impl FileRole {
    /// The role in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            FileRole::Article => "article",
            FileRole::KnowledgeBase => "knowledge-base",
            FileRole::Annotations => "annotation sidecar",
            FileRole::Config => "configuration",
            FileRole::Other => "non-corpus",
        }
    }
}

impl Corpus {
    /// The corpus root for `start`: the nearest folder at or above it holding
    /// `marginalia.toml`.
    pub fn find_root(start: &Path) -> Option<PathBuf> {
        let start = if start.is_file() { start.parent()? } else { start };
        start.ancestors().find(|dir| dir.join(CONFIG_FILE_NAME).is_file()).map(Path::to_path_buf)
    }

    /// Loads the configuration and the knowledge base; `overrides` holds the unsaved
    /// text of files open in an editor.
    pub fn load(root: &Path, overrides: &HashMap<PathBuf, String>) -> Corpus {
        let config_path = root.join(CONFIG_FILE_NAME);
        let read = overrides.get(&config_path).cloned().map(Ok).unwrap_or_else(|| read_text_file(&config_path));
        let (config, mut config_diagnostics) = match &read {
            Ok(text) => CorpusConfig::parse(text),
            Err(FileError::NotFound(_)) => (CorpusConfig::default(), Vec::new()),
            Err(error) => (CorpusConfig::default(), vec![error.diagnostic()]),
        };
        // Folders are checked only against a configuration that was read: a
        // broken file is reported as such, not as missing defaults.
        if config_diagnostics.is_empty() {
            config_diagnostics.extend(config.folder_diagnostics(read.as_ref().ok().map(String::as_str), root));
        }
        let mut corpus = Corpus {
            root: root.to_path_buf(),
            analysis_config: config.analysis_config(),
            config,
            config_diagnostics,
            kb: Arc::default(),
            kb_diagnostics: Vec::new(),
        };
        corpus.reload_kb(overrides);
        corpus
    }

    /// Rebuilds the knowledge base from disk and the editor's unsaved files.
    pub fn reload_kb(&mut self, overrides: &HashMap<PathBuf, String>) {
        let mut files: Vec<KbFileSyntax> = Vec::new();
        for path in self.kb_paths() {
            let path = Arc::new(path);
            let text = match overrides.get(path.as_ref()).cloned().map(Ok).unwrap_or_else(|| read_text_file(&path)) {
                Ok(text) => text,
                Err(error) => {
                    files.push(KbFileSyntax::unreadable_file(path, &error));
                    continue;
                }
            };
            files.push(parse_kb_file(path, &text));
        }
        let build = KnowledgeBase::build(files);
        self.kb = Arc::new(build.kb);
        self.kb_diagnostics = build.diagnostics;
    }

    /// The article folders, as absolute paths.
    pub fn article_dirs(&self) -> Vec<PathBuf> {
        self.config.corpus.articles.iter().map(|d| self.root.join(d)).collect()
    }

    /// Every `*.txt` article in the configured folders, sorted.
    pub fn article_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.article_dirs().iter().flat_map(|dir| files::files_with_extension(dir, "txt")).collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// Every annotation sidecar (`*.ann.jsonl`) in the configured article
    /// folders, whether or not its article is there.
    pub fn sidecar_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .article_dirs()
            .iter()
            .flat_map(|dir| files::files_with_extension(dir, "jsonl"))
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".ann.jsonl")))
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// Every `*.json` file in the configured KB folders (or the KB files named directly).
    pub fn kb_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .config
            .corpus
            .kb
            .iter()
            .map(|entry| self.root.join(entry))
            .flat_map(|p| if p.is_file() { vec![p] } else { files::files_with_extension(&p, "json") })
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// The role `path` plays in this corpus.
    pub fn role_of(&self, path: &Path) -> FileRole {
        if path == self.root.join(CONFIG_FILE_NAME) {
            return FileRole::Config;
        }
        let extension = path.extension().and_then(|e| e.to_str());
        let under = |dirs: &[String]| dirs.iter().any(|d| path.starts_with(self.root.join(d)));
        let is_sidecar = path.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".ann.jsonl"));
        match extension {
            Some("jsonl") if is_sidecar && under(&self.config.corpus.articles) => FileRole::Annotations,
            Some("txt") if under(&self.config.corpus.articles) => FileRole::Article,
            Some("json") if under(&self.config.corpus.kb) => FileRole::KnowledgeBase,
            _ => FileRole::Other,
        }
    }
}

/// Refuses a write to `path` unless it lies inside the corpus `root` once every
/// symlink is resolved (`..` segments and links pointing elsewhere included).
pub fn ensure_inside_corpus(path: &Path, root: Option<&Path>) -> Result<(), String> {
    let root = root.ok_or_else(|| format!("{}: not inside a corpus (no marginalia.toml above it); refusing to write", path.display()))?;
    let root = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
    let parent = path.parent().ok_or_else(|| format!("{}: no parent folder", path.display()))?;
    let parent = parent.canonicalize().map_err(|e| format!("{}: {e}", parent.display()))?;
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => path.canonicalize().map_err(|e| format!("{}: {e}", path.display()))?,
        _ => parent.join(path.file_name().unwrap_or_default()),
    };
    if target.starts_with(&root) {
        Ok(())
    } else {
        Err(format!("{}: outside the corpus {}; refusing to write", path.display(), root.display()))
    }
}
