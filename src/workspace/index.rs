//! The corpus-wide index of knowledge-base mentions, over every article on disk
//! (not only open ones), for references, mention counts and symbols.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::{Mention, find_mentions};
use crate::article::Article;
use crate::kb::KnowledgeBase;
use crate::text::TextRange;

#[derive(Clone, Debug, Default)]
pub struct MentionIndex {
    by_file: BTreeMap<PathBuf, Vec<Mention>>,
    counts: HashMap<String, usize>,
}

/// Mentions in one text, without the rest of the analysis.
pub fn mentions_in(text: &str, kb: &KnowledgeBase) -> Vec<Mention> {
    find_mentions(text, &Article::parse(text), kb)
}

impl MentionIndex {
    /// Indexes `paths` in parallel. Unreadable files are skipped here; `check`
    /// and the editor report them.
    pub fn build(paths: &[PathBuf], kb: &KnowledgeBase) -> MentionIndex {
        let files: Vec<(PathBuf, Vec<Mention>)> = paths
            .par_iter()
            .filter_map(|path| {
                let text = super::read_text_file(path).ok()?;
                Some((path.clone(), mentions_in(&text, kb)))
            })
            .collect();
        let mut index = MentionIndex::default();
        for (path, mentions) in files {
            index.set_file(path, mentions);
        }
        index
    }

    pub fn set_file(&mut self, path: PathBuf, mentions: Vec<Mention>) {
        self.remove_file(&path);
        for mention in &mentions {
            *self.counts.entry(mention.id.clone()).or_default() += 1;
        }
        self.by_file.insert(path, mentions);
    }

    pub fn remove_file(&mut self, path: &Path) {
        if let Some(old) = self.by_file.remove(path) {
            for mention in old {
                if let Some(count) = self.counts.get_mut(&mention.id) {
                    *count -= 1;
                }
            }
        }
    }

    pub fn count(&self, id: &str) -> usize {
        self.counts.get(id).copied().unwrap_or(0)
    }

    pub fn file_count(&self) -> usize {
        self.by_file.len()
    }

    /// Every mention of `id`, by file (in path order) and position.
    pub fn mentions_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (&'a Path, TextRange)> + 'a {
        self.by_file
            .iter()
            .flat_map(move |(path, mentions)| mentions.iter().filter(move |m| m.id == id).map(move |m| (path.as_path(), m.range)))
    }
}
