//! Byte ranges and the conversions every edge needs: the core works in UTF-8
//! byte offsets; everything printed or stored uses Unicode code points.

use serde::Serialize;

/// A half-open byte range `[start, end)` into a document's UTF-8 text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TextRange {
    /// The first byte.
    pub start: usize,
    /// The byte after the last.
    pub end: usize,
}

impl TextRange {
    /// The range `[start, end)`; `start` must not be after `end`.
    pub const fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end);
        TextRange { start, end }
    }

    /// The empty range at byte `at` (a point).
    pub const fn empty(at: usize) -> TextRange {
        TextRange { start: at, end: at }
    }

    /// Its length in bytes.
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether it holds no byte.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `offset` lies inside the range; an empty range or the end
    /// position counts, so that a cursor just after a word still finds it.
    pub const fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Whether `other` lies wholly inside this range.
    pub const fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two ranges share at least one byte.
    pub const fn overlaps(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The text of this range (which must lie on char boundaries of `text`).
    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// How a text differs from an earlier version of itself: an unchanged prefix,
/// one changed stretch, and an unchanged suffix. Re-analysis after an edit
/// carries over what it found in the unchanged parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextDiff {
    /// Bytes at the start that both versions share (a char boundary in both).
    pub prefix: usize,
    /// Where the shared suffix starts in the old text.
    pub old_suffix: usize,
    /// Where the shared suffix starts in the new text.
    pub new_suffix: usize,
}

impl TextDiff {
    /// What changed between `old` and `new`: their shared prefix and suffix, on char boundaries.
    pub fn between(old: &str, new: &str) -> TextDiff {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut prefix = common_prefix(a, b);
        while !(old.is_char_boundary(prefix) && new.is_char_boundary(prefix)) {
            prefix -= 1;
        }
        // The suffix may not reach into the prefix of either text.
        let limit = a.len().min(b.len()) - prefix;
        let mut suffix = common_suffix(a, b).min(limit);
        while !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix)) {
            suffix -= 1;
        }
        TextDiff { prefix, old_suffix: a.len() - suffix, new_suffix: b.len() - suffix }
    }

    /// Whether the two versions are the same text.
    pub fn is_unchanged(&self) -> bool {
        self.prefix == self.old_suffix && self.prefix == self.new_suffix
    }

    /// Where an old range is in the new text, when it and `margin` bytes on each
    /// side of it (the neighbouring characters a finding may have looked at) lie
    /// in the unchanged prefix or suffix.
    pub fn carry(&self, old: TextRange, margin: usize) -> Option<TextRange> {
        self.across(old, margin, TextMove { from: self.old_suffix, to: self.new_suffix })
    }

    /// The inverse of [`carry`](Self::carry) for a range of the new text.
    pub fn carry_back(&self, new: TextRange, margin: usize) -> Option<TextRange> {
        self.across(new, margin, TextMove { from: self.new_suffix, to: self.old_suffix })
    }

    /// `range` unmoved in the prefix, or moved by `suffix` in the suffix.
    fn across(&self, range: TextRange, margin: usize, suffix: TextMove) -> Option<TextRange> {
        if range.end + margin <= self.prefix {
            Some(range)
        } else if range.start >= suffix.from + margin {
            Some(suffix.apply(range))
        } else {
            None
        }
    }
}

/// Items sorted by start, read range after increasing range: each call walks
/// on from where the last one stopped, so a whole document costs one pass.
pub struct RangeWalk<'a, T> {
    items: &'a [T],
    start_of: fn(&T) -> usize,
    next: usize,
}

impl<'a, T> RangeWalk<'a, T> {
    /// A walk over `items` (sorted by `start_of`) from the first.
    pub fn new(items: &'a [T], start_of: fn(&T) -> usize) -> RangeWalk<'a, T> {
        RangeWalk { items, start_of, next: 0 }
    }

    /// The indices of the items starting inside `range`, which must not start
    /// before the range asked about last.
    pub fn starting_inside(&mut self, range: TextRange) -> std::ops::Range<usize> {
        while self.items.get(self.next).is_some_and(|item| (self.start_of)(item) < range.start) {
            self.next += 1;
        }
        let first = self.next;
        while self.items.get(self.next).is_some_and(|item| (self.start_of)(item) < range.end) {
            self.next += 1;
        }
        first..self.next
    }
}

/// Text that moved unchanged from byte `from` of one version to byte `to` of
/// another (a paragraph an edit left alone): ranges inside it move the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextMove {
    /// Where the text started in the old version.
    pub from: usize,
    /// Where it starts in the new version.
    pub to: usize,
}

impl TextMove {
    /// `range` (inside the moved text) where it is in the new version.
    pub fn apply(self, range: TextRange) -> TextRange {
        TextRange::new(range.start - self.from + self.to, range.end - self.from + self.to)
    }

    /// The move back, from the new version to the old.
    pub fn inverse(self) -> TextMove {
        TextMove { from: self.to, to: self.from }
    }
}

impl TextDiff {
    /// The stretch of the new text to scan again for findings up to `longest`
    /// bytes long that look `margin` bytes past their ends: every finding that
    /// [`carry`](Self::carry) cannot bring over lies inside it.
    pub fn rescan(&self, text: &str, margin: usize, longest: usize) -> TextRange {
        let mut start = self.prefix.saturating_sub(margin + longest);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (self.new_suffix + margin + longest).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        TextRange::new(start, end)
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    // Word-sized chunks first: this runs on every keystroke over megabytes.
    let chunks = a.chunks_exact(64).zip(b.chunks_exact(64)).take_while(|(x, y)| x == y).count();
    let from = chunks * 64;
    from + a[from..].iter().zip(&b[from..]).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let chunks = a.rchunks_exact(64).zip(b.rchunks_exact(64)).take_while(|(x, y)| x == y).count();
    let from = chunks * 64;
    from + a[..a.len() - from].iter().rev().zip(b[..b.len() - from].iter().rev()).take_while(|(x, y)| x == y).count()
}

/// Maps byte offsets of one text to code-point offsets and 1-based line/column
/// (columns counted in code points), in O(log n) per query.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, the same rule LSP uses, so the CLI and
/// the editor agree on line numbers for CRLF files.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Byte offset and cumulative code points before it, at every non-ASCII char
    /// (so ASCII-only text costs nothing).
    wide_chars: Vec<(usize, usize)>,
    len: usize,
}

/// A position as printed by the CLI: code-point offset plus 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CodePointPosition {
    /// Code points before the position.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in code points.
    pub column: usize,
}

impl LineIndex {
    /// Indexes `text`'s line starts and non-ASCII characters (one pass).
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // "\r\n" is one line break, counted at its "\n".
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i + 1);
            }
        }
        let mut wide_chars = Vec::new();
        let mut extra = 0usize;
        // The text is UTF-8: each lead byte of a multi-byte character tells its width.
        for (offset, &byte) in bytes.iter().enumerate().filter(|(_, b)| **b >= 0xC0) {
            let width = match byte {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            extra += width - 1;
            // Store the offset *after* the char with the bytes-minus-chars surplus so far.
            wide_chars.push((offset + width, extra));
        }
        LineIndex { line_starts, wide_chars, len: text.len() }
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of code points in the text before byte `offset` (which must be on a
    /// char boundary; offsets inside a char count the char as already passed).
    pub fn code_point_offset(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        let surplus = match self.wide_chars.partition_point(|&(end, _)| end <= offset) {
            0 => 0,
            n => self.wide_chars[n - 1].1,
        };
        offset - surplus
    }

    /// Byte offset of the `n`th code point (clamped to the end of the text).
    pub fn byte_offset(&self, code_point: usize) -> usize {
        // Search for the last wide char whose end, in code points, is <= code_point.
        let n = self.wide_chars.partition_point(|&(end, surplus)| end - surplus <= code_point);
        let surplus = if n == 0 { 0 } else { self.wide_chars[n - 1].1 };
        (code_point + surplus).min(self.len)
    }

    /// 0-based line containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// Byte offset where 0-based `line` starts (`None` past the last line).
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// The number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Code-point offset with 1-based line and column, as printed by the CLI.
    pub fn position(&self, offset: usize) -> CodePointPosition {
        let line = self.line_of(offset.min(self.len));
        let column = self.code_point_offset(offset) - self.code_point_offset(self.line_starts[line]);
        CodePointPosition { offset: self.code_point_offset(offset), line: line + 1, column: column + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_finds_the_changed_stretch_on_char_boundaries() {
        let old = "Lavrov said “no” today. Peskov agreed.";
        let new = "Lavrov said “yes” today. Peskov agreed.";
        let diff = TextDiff::between(old, new);
        assert_eq!(&old[..diff.prefix], "Lavrov said “");
        assert_eq!(&old[diff.old_suffix..], "” today. Peskov agreed.");
        assert_eq!(&new[diff.prefix..diff.new_suffix], "yes");
        // “ and ” share their first two bytes: the prefix stops before the char.
        let diff = TextDiff::between("a“b", "a”b");
        assert_eq!((diff.prefix, diff.old_suffix, diff.new_suffix), (1, 4, 4));
        // Repeated text: the suffix does not overlap the prefix.
        let diff = TextDiff::between("aaaa", "aaaaaa");
        assert_eq!((diff.prefix, diff.old_suffix, diff.new_suffix), (4, 4, 6));
        assert!(TextDiff::between("same", "same").is_unchanged());
    }

    #[test]
    fn carry_maps_ranges_in_unchanged_text_only() {
        let old = "one two three four";
        let new = "one two THREE! four";
        let diff = TextDiff::between(old, new);
        let word = |text: &str, w: &str| {
            let start = text.find(w).unwrap();
            TextRange::new(start, start + w.len())
        };
        assert_eq!(diff.carry(word(old, "one"), 1), Some(word(new, "one")));
        assert_eq!(diff.carry(word(old, "four"), 1), Some(word(new, "four")));
        assert_eq!(diff.carry(word(old, "three"), 0), None);
        // "two" ends right before the change: with a margin its neighbour counts.
        assert_eq!(diff.carry(word(old, "two"), 0), Some(word(new, "two")));
        assert_eq!(diff.carry(word(old, "two"), 2), None);
        assert_eq!(diff.carry_back(word(new, "four"), 1), Some(word(old, "four")));
    }

    #[test]
    fn code_points_count_multibyte_and_astral_chars_once() {
        let text = "a“b”😀c\r\nd";
        let index = LineIndex::new(text);
        let c = text.find('c').unwrap();
        assert_eq!(index.code_point_offset(c), 5);
        assert_eq!(index.byte_offset(5), c);
        let d = text.find('d').unwrap();
        assert_eq!(index.position(d), CodePointPosition { offset: 8, line: 2, column: 1 });
        for (cp, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(index.code_point_offset(byte), cp);
            assert_eq!(index.byte_offset(cp), byte);
        }
        assert_eq!(index.byte_offset(100), text.len());
    }

    #[test]
    fn lone_carriage_return_ends_a_line() {
        let index = LineIndex::new("a\rb\nc\r\nd");
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_of(7), 3);
    }
}
