//! Turning command-line paths into the files to check, each with the corpus it
//! belongs to (if any), loading each corpus once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::workspace::{CONFIG_FILE_NAME, Corpus, FileRole};

/// One file to check or analyse.
#[derive(Clone, Debug)]
pub struct Target {
    pub path: PathBuf,
    pub corpus: Option<Arc<Corpus>>,
    pub role: FileRole,
}

#[derive(Default)]
pub struct CorpusCache {
    loaded: HashMap<PathBuf, Arc<Corpus>>,
}

impl CorpusCache {
    /// The corpus that `path` belongs to, loaded once per root.
    pub fn corpus_for(&mut self, path: &Path) -> Option<Arc<Corpus>> {
        let root = Corpus::find_root(path)?;
        Some(self.loaded.entry(root.clone()).or_insert_with(|| Arc::new(Corpus::load(&root, &HashMap::new()))).clone())
    }

    /// Every corpus loaded, for the analysis host.
    pub fn into_corpora(self) -> impl Iterator<Item = Arc<Corpus>> {
        self.loaded.into_values()
    }
}

/// Expands folders: a corpus folder gives its config, KB files and articles; any
/// other folder its `*.txt` files.
pub fn expand(paths: &[PathBuf], cache: &mut CorpusCache) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    for path in paths {
        let path = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !path.exists() {
            return Err(format!("{}: no such file or folder", path.display()));
        }
        let corpus = cache.corpus_for(&path);
        if path.is_file() {
            let role = corpus.as_ref().map_or(FileRole::Article, |c| match c.role_of(&path) {
                FileRole::Other => FileRole::Article,
                role => role,
            });
            // An article of a corpus comes with its sidecar, as in a folder:
            // checking the article alone must not hide a malformed sidecar.
            let sidecar = crate::annotations::sidecar_path(&path);
            let with_sidecar = corpus.is_some() && role == FileRole::Article && sidecar.is_file();
            targets.push(Target { path, corpus: corpus.clone(), role });
            if with_sidecar {
                targets.push(Target { path: sidecar, corpus, role: FileRole::Annotations });
            }
            continue;
        }
        match &corpus {
            Some(c) => {
                let config = c.root.join(CONFIG_FILE_NAME);
                if config.starts_with(&path) {
                    targets.push(Target { path: config, corpus: corpus.clone(), role: FileRole::Config });
                }
                for kb in c.kb_paths().into_iter().filter(|p| p.starts_with(&path)) {
                    targets.push(Target { path: kb, corpus: corpus.clone(), role: FileRole::KnowledgeBase });
                }
                for article in c.article_paths().into_iter().filter(|p| p.starts_with(&path)) {
                    let sidecar = crate::annotations::sidecar_path(&article);
                    targets.push(Target { path: article, corpus: corpus.clone(), role: FileRole::Article });
                    if sidecar.is_file() {
                        targets.push(Target { path: sidecar, corpus: corpus.clone(), role: FileRole::Annotations });
                    }
                }
                // Sidecars left without their article (reported as orphaned).
                for sidecar in c.sidecar_paths().into_iter().filter(|p| p.starts_with(&path)) {
                    if !crate::annotations::article_for_sidecar(&sidecar).is_file() {
                        targets.push(Target { path: sidecar, corpus: corpus.clone(), role: FileRole::Annotations });
                    }
                }
            }
            None => {
                let mut files = crate::workspace::files_with_extension(&path, "txt");
                files.sort();
                targets.extend(files.into_iter().map(|p| Target { path: p, corpus: None, role: FileRole::Article }));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    targets.retain(|t| seen.insert(t.path.clone()));
    Ok(targets)
}

/// Paths are printed relative to the current folder when they lie under it.
pub fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf)).unwrap_or_else(|| path.to_path_buf())
}
