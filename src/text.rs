//! Byte ranges and the conversions every edge needs: the core works in UTF-8
//! byte offsets; everything printed or stored uses Unicode code points.

use serde::Serialize;

/// A half-open byte range `[start, end)` into a document's UTF-8 text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end);
        TextRange { start, end }
    }

    pub const fn empty(at: usize) -> TextRange {
        TextRange { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `offset` lies inside the range; an empty range or the end
    /// position counts, so that a cursor just after a word still finds it.
    pub const fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub const fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub const fn overlaps(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
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
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
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

    pub fn len(&self) -> usize {
        self.len
    }

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

    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

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
