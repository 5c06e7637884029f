//! The corpus-wide index of knowledge-base mentions, over every article on disk
//! (not only open ones), for references, mention counts and symbols. Compact:
//! twelve bytes a mention, so a hundred thousand articles fit in memory.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::analysis::Mention;
use crate::analysis::mentions::find_mentions_from;
use crate::article::parse_date_header;
use crate::kb::KnowledgeBase;
use crate::text::TextRange;

/// One mention in the index: byte offsets (articles are far below 4 GiB) and the
/// entry's number in [`MentionIndex::ids`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IndexedMention {
    start: u32,
    end: u32,
    entry: u32,
}

#[derive(Clone, Debug, Default)]
pub struct MentionIndex {
    ids: Vec<String>,
    numbers: HashMap<String, u32>,
    by_file: BTreeMap<PathBuf, Vec<IndexedMention>>,
    counts: Vec<usize>,
}

/// Mentions in one text, without the rest of the analysis.
pub fn mentions_in(text: &str, kb: &KnowledgeBase) -> Vec<Mention> {
    find_mentions_from(text, parse_date_header(text).map_or(0, |h| h.range.end), kb)
}

impl MentionIndex {
    pub fn build(paths: &[PathBuf], kb: &KnowledgeBase) -> MentionIndex {
        MentionIndex::build_with_progress(paths, kb, |_, _| {})
    }

    /// Indexes `paths` on every core, calling `progress(done, total)` now and
    /// then. Unreadable files are skipped here; `check` and the editor report them.
    pub fn build_with_progress(paths: &[PathBuf], kb: &KnowledgeBase, progress: impl Fn(usize, usize) + Sync) -> MentionIndex {
        let done = AtomicUsize::new(0);
        let step = (paths.len() / 100).max(1);
        let files: Vec<(PathBuf, Vec<Mention>)> = paths
            .par_iter()
            .filter_map(|path| {
                let text = super::read_text_file(path).ok();
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(step) {
                    progress(n, paths.len());
                }
                Some((path.clone(), mentions_in(&text?, kb)))
            })
            .collect();
        let mut index = MentionIndex::default();
        for (path, mentions) in files {
            index.set_file(path, mentions);
        }
        progress(paths.len(), paths.len());
        index
    }

    fn number(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.numbers.get(id) {
            return n;
        }
        let n = self.ids.len() as u32;
        self.ids.push(id.to_string());
        self.numbers.insert(id.to_string(), n);
        self.counts.push(0);
        n
    }

    pub fn set_file(&mut self, path: PathBuf, mentions: Vec<Mention>) {
        self.remove_file(&path);
        let compact: Vec<IndexedMention> = mentions
            .iter()
            .filter_map(|m| {
                let (start, end) = (u32::try_from(m.range.start).ok()?, u32::try_from(m.range.end).ok()?);
                Some(IndexedMention { start, end, entry: self.number(&m.id) })
            })
            .collect();
        for m in &compact {
            self.counts[m.entry as usize] += 1;
        }
        self.by_file.insert(path, compact);
    }

    pub fn remove_file(&mut self, path: &Path) {
        if let Some(old) = self.by_file.remove(path) {
            for m in old {
                self.counts[m.entry as usize] -= 1;
            }
        }
    }

    pub fn count(&self, id: &str) -> usize {
        self.numbers.get(id).map_or(0, |&n| self.counts[n as usize])
    }

    pub fn file_count(&self) -> usize {
        self.by_file.len()
    }

    /// Every mention of `id`, by file (in path order) and position.
    pub fn mentions_of<'a>(&'a self, id: &str) -> impl Iterator<Item = (&'a Path, TextRange)> + 'a {
        let number = self.numbers.get(id).copied();
        self.by_file.iter().flat_map(move |(path, mentions)| {
            mentions
                .iter()
                .filter(move |m| Some(m.entry) == number)
                .map(move |m| (path.as_path(), TextRange::new(m.start as usize, m.end as usize)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::EntryKind;

    fn mention(start: usize, id: &str) -> Mention {
        Mention { range: TextRange::new(start, start + 3), id: id.into(), kind: EntryKind::Person }
    }

    #[test]
    fn counts_follow_files_being_replaced_and_removed() {
        let mut index = MentionIndex::default();
        index.set_file("a.txt".into(), vec![mention(0, "x"), mention(5, "y"), mention(9, "x")]);
        index.set_file("b.txt".into(), vec![mention(1, "x")]);
        assert_eq!((index.count("x"), index.count("y")), (3, 1));
        index.set_file("a.txt".into(), vec![mention(2, "y")]);
        assert_eq!((index.count("x"), index.count("y")), (1, 1));
        index.remove_file(Path::new("b.txt"));
        assert_eq!(index.count("x"), 0);
        let found: Vec<(String, usize)> = index.mentions_of("y").map(|(p, r)| (p.display().to_string(), r.start)).collect();
        assert_eq!(found, [("a.txt".to_string(), 2)]);
    }
}
