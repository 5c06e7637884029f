//! The corpus-wide index of knowledge-base mentions, over every article on disk
//! (not only open ones), for references and the mention counts of hover cards.
//! Compact: 24 bytes a mention (six `u32`s: byte range, entry number, line,
//! UTF-16 column and length) plus one path and one vector an article, so a
//! hundred thousand articles fit in memory.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::analysis::Mention;
use crate::analysis::mentions::find_mentions_from;
use crate::article::parse_date_header;
use crate::kb::KnowledgeBase;
use crate::text::TextRange;

/// One mention in the index: byte offsets (articles are far below 4 GiB), the
/// entry's number in [`MentionIndex::ids`], and where it sits as line and UTF-16
/// column, so that references across a large corpus need no file reading
/// (aliases hold no line breaks, so a mention never spans lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IndexedMention {
    start: u32,
    end: u32,
    entry: u32,
    line: u32,
    column_utf16: u32,
    len_utf16: u32,
}

/// A mention's place as a 0-based line and UTF-16 columns (what most editors
/// count in); other encodings convert from the file itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf16Span {
    /// 0-based line.
    pub line: u32,
    /// Start column, in UTF-16 code units.
    pub start_column: u32,
    /// End column, in UTF-16 code units.
    pub end_column: u32,
}

/// One file's mentions of one entry (see [`MentionIndex::files_nearest`]).
pub struct FileMentions<'a> {
    /// The file's path.
    pub path: &'a Path,
    mentions: &'a [IndexedMention],
    entry: u32,
}

impl<'a> FileMentions<'a> {
    /// The mentions in text order: byte range and UTF-16 place.
    pub fn iter(&self) -> impl Iterator<Item = (TextRange, Utf16Span)> + 'a {
        let entry = self.entry;
        self.mentions.iter().filter(move |m| m.entry == entry).map(|m| {
            let span = Utf16Span { line: m.line, start_column: m.column_utf16, end_column: m.column_utf16 + m.len_utf16 };
            (TextRange::new(m.start as usize, m.end as usize), span)
        })
    }
}

/// Every article's KB mentions in a corpus, compactly (24 bytes a mention), with counts per entry: what references and hover counts read.
#[derive(Clone, Debug, Default)]
pub struct MentionIndex {
    ids: Vec<String>,
    numbers: HashMap<String, u32>,
    by_file: BTreeMap<PathBuf, Vec<IndexedMention>>,
    counts: Vec<usize>,
}

/// Mentions (in text order) with their line and UTF-16 columns, in one pass over
/// the text; mentions past the end or out of order are dropped.
fn positioned(text: &str, mentions: impl Iterator<Item = (TextRange, u32)>) -> Vec<IndexedMention> {
    let bytes = text.as_bytes();
    let (mut line, mut line_start, mut scanned) = (0u32, 0usize, 0usize);
    // UTF-16 column of `counted_to` on the current line: mentions on one line
    // count on from the previous one instead of from the line's start.
    let (mut counted_to, mut column) = (0usize, 0u32);
    let mut out = Vec::new();
    for (range, entry) in mentions {
        if range.start < scanned || range.end > text.len() {
            continue;
        }
        for at in memchr::memchr2_iter(b'\n', b'\r', &bytes[scanned..range.start]).map(|i| scanned + i) {
            // "\r\n" is one line break, counted at its "\n".
            if bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n') {
                line += 1;
                line_start = at + 1;
            }
        }
        scanned = range.start;
        let (Ok(start), Ok(end)) = (u32::try_from(range.start), u32::try_from(range.end)) else { continue };
        if counted_to < line_start {
            (counted_to, column) = (line_start, 0);
        }
        column += utf16_len(&text[counted_to..range.start]);
        counted_to = range.start;
        out.push(IndexedMention { start, end, entry, line, column_utf16: column, len_utf16: utf16_len(range.slice(text)) });
    }
    out
}

fn utf16_len(text: &str) -> u32 {
    if text.is_ascii() { text.len() as u32 } else { text.chars().map(|c| c.len_utf16() as u32).sum() }
}

/// Mentions in one text, without the rest of the analysis.
pub fn mentions_in(text: &str, kb: &KnowledgeBase) -> Vec<Mention> {
    find_mentions_from(text, parse_date_header(text).map_or(0, |h| h.range.end), kb)
}

impl MentionIndex {
    /// Indexes the articles at `paths` against `kb`, on every core.
    pub fn build(paths: &[PathBuf], kb: &KnowledgeBase) -> MentionIndex {
        MentionIndex::build_with_progress(paths, kb, |_, _| {})
    }

    /// Indexes `paths` on every core, calling `progress(done, total)` now and
    /// then. Unreadable files are skipped here; `check` and the editor report them.
    pub fn build_with_progress(paths: &[PathBuf], kb: &KnowledgeBase, progress: impl Fn(usize, usize) + Sync) -> MentionIndex {
        let done = AtomicUsize::new(0);
        let step = (paths.len() / 100).max(1);
        // Each file is read, indexed and dropped on a worker thread: only the
        // compact mentions (numbered by KB entry) outlive it, so peak memory is the
        // index plus one text per core, not the whole corpus.
        let files: Vec<(PathBuf, Vec<IndexedMention>)> = paths
            .par_iter()
            .filter_map(|path| {
                let text = super::read_text_file(path).ok();
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(step) {
                    progress(n, paths.len());
                }
                let text = text?;
                let body_start = parse_date_header(&text).map_or(0, |h| h.range.end);
                let matches = kb.alias_index().find_matches(&text, kb.entries());
                let found = matches.into_iter().filter(|m| m.range.start >= body_start).map(|m| (m.range, m.entry as u32));
                Some((path.clone(), positioned(&text, found)))
            })
            .collect();
        // KB entry i is number i, as the workers numbered them (ids are unique
        // in a built knowledge base).
        let entries = kb.entries();
        let mut index = MentionIndex {
            ids: Vec::with_capacity(entries.len()),
            numbers: HashMap::with_capacity(entries.len()),
            by_file: BTreeMap::new(),
            counts: Vec::with_capacity(entries.len()),
        };
        for entry in entries {
            index.number(&entry.id);
        }
        for (path, mentions) in files {
            for m in &mentions {
                index.counts[m.entry as usize] += 1;
            }
            index.by_file.insert(path, mentions);
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

    /// Replaces the mentions of one file; `text` is the file's text they were found in.
    pub fn set_file(&mut self, path: PathBuf, text: &str, mentions: Vec<Mention>) {
        self.remove_file(&path);
        let numbered: Vec<(TextRange, u32)> = mentions.iter().map(|m| (m.range, self.number(&m.id))).collect();
        let compact = positioned(text, numbered.into_iter());
        for m in &compact {
            self.counts[m.entry as usize] += 1;
        }
        self.by_file.insert(path, compact);
    }

    /// Forgets a file's mentions.
    pub fn remove_file(&mut self, path: &Path) {
        if let Some(old) = self.by_file.remove(path) {
            for m in old {
                self.counts[m.entry as usize] -= 1;
            }
        }
    }

    /// How many mentions the entry `id` has across the corpus.
    pub fn count(&self, id: &str) -> usize {
        self.numbers.get(id).map_or(0, |&n| self.counts[n as usize])
    }

    /// How many files are indexed.
    pub fn file_count(&self) -> usize {
        self.by_file.len()
    }

    /// The files that may mention `id`, nearest to `near` first: `near` itself,
    /// then the other files of its folder, then the rest, each group in path
    /// order. Lazy, so that an answer of any size costs memory per file, not per
    /// mention (issue 20: find-references streams its answer in batches).
    pub fn files_nearest<'a>(&'a self, id: &str, near: &'a Path) -> impl Iterator<Item = FileMentions<'a>> + 'a {
        let entry = self.numbers.get(id).copied().unwrap_or(u32::MAX);
        let folder = near.parent().unwrap_or(Path::new(""));
        let same = |path: &Path| path.parent() == Some(folder);
        let own = self.by_file.get_key_value(near);
        let siblings = self.by_file.range::<Path, _>((std::ops::Bound::Included(folder), std::ops::Bound::Unbounded));
        let siblings =
            siblings.take_while(move |(path, _)| path.starts_with(folder)).filter(move |(path, _)| same(path) && path.as_path() != near);
        let rest = self.by_file.iter().filter(move |(path, _)| !same(path));
        own.into_iter().chain(siblings).chain(rest).map(move |(path, mentions)| FileMentions { path, mentions, entry })
    }

    /// Every mention of `id`, by file (in path order) and position.
    pub fn mentions_of<'a>(&'a self, id: &str) -> impl Iterator<Item = (&'a Path, TextRange, Utf16Span)> + 'a {
        let number = self.numbers.get(id).copied();
        self.by_file.iter().flat_map(move |(path, mentions)| {
            mentions.iter().filter(move |m| Some(m.entry) == number).map(move |m| {
                let span = Utf16Span { line: m.line, start_column: m.column_utf16, end_column: m.column_utf16 + m.len_utf16 };
                (path.as_path(), TextRange::new(m.start as usize, m.end as usize), span)
            })
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
        let text = "abc\r\néé abc\nabcdef";
        index.set_file("a.txt".into(), text, vec![mention(0, "x"), mention(10, "y"), mention(14, "x")]);
        index.set_file("b.txt".into(), text, vec![mention(0, "x")]);
        assert_eq!((index.count("x"), index.count("y")), (3, 1));
        index.set_file("a.txt".into(), text, vec![mention(10, "y")]);
        assert_eq!((index.count("x"), index.count("y")), (1, 1));
        index.remove_file(Path::new("b.txt"));
        assert_eq!(index.count("x"), 0);
        let found: Vec<(String, usize)> = index.mentions_of("y").map(|(p, r, _)| (p.display().to_string(), r.start)).collect();
        assert_eq!(found, [("a.txt".to_string(), 10)]);
        // "é" is two bytes but one UTF-16 unit: "abc" at byte 10 is line 1, column 3.
        index.set_file("c.txt".into(), text, vec![mention(10, "z"), mention(14, "z")]);
        let spans: Vec<Utf16Span> = index.mentions_of("z").map(|(_, _, s)| s).collect();
        assert_eq!(spans, [Utf16Span { line: 1, start_column: 3, end_column: 6 }, Utf16Span { line: 2, start_column: 0, end_column: 3 }]);
    }

    #[test]
    fn files_come_nearest_first_the_file_then_its_folder_then_the_rest() {
        let mut index = MentionIndex::default();
        for path in ["a/1.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "b0.txt", "c/1.txt"] {
            index.set_file(path.into(), "abc abc", vec![mention(0, "x"), mention(4, "y")]);
        }
        let order: Vec<String> = index.files_nearest("x", Path::new("b/2.txt")).map(|f| f.path.display().to_string()).collect();
        assert_eq!(order, ["b/2.txt", "b/1.txt", "a/1.txt", "b/c/3.txt", "b0.txt", "c/1.txt"]);
        let starts: Vec<usize> =
            index.files_nearest("y", Path::new("b/2.txt")).flat_map(|f| f.iter().map(|(r, _)| r.start).collect::<Vec<_>>()).collect();
        assert_eq!(starts, [4; 6]);
        // A file outside the index still puts its folder first.
        let order: Vec<String> = index.files_nearest("x", Path::new("c/9.txt")).map(|f| f.path.display().to_string()).collect();
        assert_eq!(order[0], "c/1.txt");
        assert_eq!(index.files_nearest("unknown", Path::new("b/2.txt")).map(|f| f.iter().count()).sum::<usize>(), 0);
    }

    #[test]
    fn positions_agree_with_counting_from_the_start_of_the_text() {
        let text = "é abc é abc 😀abc\rabc\r\n\r\nabc é\nabc abc";
        let starts: Vec<usize> = text.match_indices("abc").map(|(i, _)| i).collect();
        let found = positioned(text, starts.iter().map(|&s| (TextRange::new(s, s + 3), 0)));
        let naive = |offset: usize| {
            let before = &text[..offset];
            let line = before.matches(['\n', '\r']).count() - before.matches("\r\n").count();
            let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            (line as u32, before[line_start..].encode_utf16().count() as u32)
        };
        let got: Vec<(u32, u32)> = found.iter().map(|m| (m.line, m.column_utf16)).collect();
        let expected: Vec<(u32, u32)> = starts.iter().map(|&s| naive(s)).collect();
        assert_eq!(got, expected);
        assert!(found.iter().all(|m| m.len_utf16 == 3));
    }
}
