//! The article model: a news text split into its optional `date` header,
//! paragraphs, sentences and quotation marks, all as byte ranges.

mod header;
mod lang;
mod marks;
mod sentences;
mod words;

pub use header::{DateHeader, parse_date_header, parse_iso_date};
pub use lang::{Lang, LangSource, detect_lang};
pub use marks::{MarkRole, MarkShape, QuoteMark, find_quote_marks};

use unicode_segmentation::UnicodeSegmentation;

use crate::text::{TextDiff, TextMove, TextRange};

/// Bytes either side of a quotation mark that decide its role: one character.
const MARK_CONTEXT: usize = 4;

/// One paragraph: a run of non-blank lines, trimmed of surrounding white space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Its bytes.
    pub range: TextRange,
    /// Indices into [`Article::sentences`].
    pub sentences: std::ops::Range<usize>,
    /// The paragraph's word segments (byte offsets from the paragraph's start),
    /// for a paragraph whose every character the table-free word scanner knows;
    /// `None` for other text. Shared with the next version of the article when
    /// an edit leaves the paragraph alone.
    segments: Option<std::sync::Arc<[words::Segment]>>,
}

/// The structure of one article. It holds ranges only; the text stays with the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    /// The `date`/`lang` header, if the article starts with one.
    pub header: Option<DateHeader>,
    /// Paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences of every paragraph, in order.
    pub sentences: Vec<TextRange>,
    /// Quotation marks (apostrophes inside words left out).
    pub quote_marks: Vec<QuoteMark>,
}

impl Article {
    /// The structure of `text`.
    pub fn parse(text: &str) -> Article {
        let header = parse_date_header(text);
        let body_start = header.as_ref().map_or(0, |h| h.range.end);
        let mut article = Article { header, ..Article::default() };
        for range in paragraph_ranges(text, body_start) {
            article.push_paragraph(text, range);
        }
        article.quote_marks = find_quote_marks(text, body_start);
        article
    }

    /// The article of `text`, an edit (`diff`) of the text whose article is `self`.
    /// A paragraph the edit left alone keeps its sentences and word segments, and
    /// marks away from the edit are kept: the cost follows the edit, not the
    /// document. The result equals `Article::parse(text)`.
    pub fn reparse(&self, text: &str, diff: &TextDiff) -> Article {
        let header = parse_date_header(text);
        let carried_header = self.header.as_ref().and_then(|h| diff.carry(h.range, MARK_CONTEXT));
        if header.as_ref().map(|h| h.range) != carried_header || header.is_some() != self.header.is_some() {
            // Where the body starts moved: nothing is cheaper than parsing again.
            return Article::parse(text);
        }
        let body_start = header.as_ref().map_or(0, |h| h.range.end);
        // Sized like the previous version: growing vectors of a long document
        // costs copies and fresh pages on every keystroke.
        let mut article = Article {
            header,
            paragraphs: Vec::with_capacity(self.paragraphs.len() + 4),
            sentences: Vec::with_capacity(self.sentences.len() + 16),
            quote_marks: Vec::with_capacity(self.quote_marks.len() + 16),
        };
        let mut unchanged = UnchangedParagraphs::new(self, diff);
        for range in paragraph_ranges(text, body_start) {
            match unchanged.find(range) {
                Some(old) => article.push_carried_paragraph(self, &self.paragraphs[old], range),
                None => article.push_paragraph(text, range),
            }
        }
        let window = diff.rescan(text, MARK_CONTEXT, MARK_CONTEXT);
        let window = TextRange::new(window.start.max(body_start), window.end.max(body_start));
        let carried = self.quote_marks.iter().filter_map(|m| diff.carry(m.range, MARK_CONTEXT).map(|range| QuoteMark { range, ..*m }));
        let mut carried = carried.filter(|m| m.range.start >= body_start).peekable();
        while let Some(mark) = carried.next_if(|m| m.range.start < diff.prefix) {
            article.quote_marks.push(mark);
        }
        article
            .quote_marks
            .extend(marks::find_quote_marks_in(text, window).into_iter().filter(|m| diff.carry_back(m.range, MARK_CONTEXT).is_none()));
        article.quote_marks.extend(carried);
        article
    }

    fn push_paragraph(&mut self, text: &str, range: TextRange) {
        let first = self.sentences.len();
        let paragraph = range.slice(text);
        let paragraph_segments = words::latin_segments(paragraph).map(std::sync::Arc::from);
        let bounds = sentences::latin_sentences(paragraph)
            .unwrap_or_else(|| paragraph.split_sentence_bound_indices().map(|(start, s)| (start, start + s.len())).collect());
        for (start, end) in bounds {
            let sentence = &paragraph[start..end];
            let lead = sentence.len() - sentence.trim_start().len();
            let trimmed = sentence.trim();
            if !trimmed.is_empty() {
                let start = range.start + start + lead;
                self.sentences.push(TextRange::new(start, start + trimmed.len()));
            }
        }
        self.paragraphs.push(Paragraph { range, sentences: first..self.sentences.len(), segments: paragraph_segments });
    }

    /// `paragraph` of `previous`, moved to `range` with its sentences and segments.
    fn push_carried_paragraph(&mut self, previous: &Article, paragraph: &Paragraph, range: TextRange) {
        let moved = TextMove { from: paragraph.range.start, to: range.start };
        let first = self.sentences.len();
        self.sentences.extend(previous.sentences[paragraph.sentences.clone()].iter().map(|&s| moved.apply(s)));
        self.paragraphs.push(Paragraph { range, sentences: first..self.sentences.len(), segments: paragraph.segments.clone() });
    }

    /// The words of `range`, exactly as [`words`] finds them, from the segments
    /// of its paragraphs: only a word cut by either end of `range` is scanned again.
    /// Paragraphs are apart by white space, which no word crosses, so a range over
    /// several paragraphs has the words of each part.
    pub fn words<'t>(&self, text: &'t str, range: TextRange) -> Vec<(TextRange, &'t str)> {
        let first = self.paragraphs.partition_point(|p| p.range.end <= range.start);
        let mut found = Vec::new();
        let mut covered = range.start;
        for paragraph in self.paragraphs[first..].iter().take_while(|p| p.range.start < range.end) {
            let part = TextRange::new(paragraph.range.start.max(range.start), paragraph.range.end.min(range.end));
            if covered < part.start {
                // White space (and a date header) between paragraphs: scanned as it is.
                found.extend(words(text, TextRange::new(covered, part.start)));
            }
            match &paragraph.segments {
                Some(segments) => words_in_paragraph(text, segments, paragraph.range.start, part, &mut found),
                None => found.extend(words(text, part)),
            }
            covered = part.end;
        }
        if covered < range.end {
            found.extend(words(text, TextRange::new(covered, range.end)));
        }
        found
    }

    /// The date of the header, if it has a valid one.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        self.header.as_ref().and_then(|h| h.date)
    }

    /// Index of the paragraph containing byte `offset`, if any.
    pub fn paragraph_at(&self, offset: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.range.end < offset);
        (i < self.paragraphs.len() && self.paragraphs[i].range.start <= offset).then_some(i)
    }

    /// Index of the sentence containing byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        (i < self.sentences.len() && self.sentences[i].start <= offset).then_some(i)
    }
}

/// The words of `range`, inside one paragraph starting at `base` with these
/// segments (offsets from `base`).
fn words_in_paragraph<'t>(
    text: &'t str,
    segments: &[words::Segment],
    base: usize,
    range: TextRange,
    found: &mut Vec<(TextRange, &'t str)>,
) {
    let (start, end) = (range.start - base, range.end - base);
    let mut i = segments.partition_point(|s| s.end <= start);
    // Scanning from inside a segment splits it differently ("U.S" from the
    // "."), but the scan is back in step at the segment's end: a segment never
    // ends on a joining character, so nothing past it changes what comes before.
    if let Some(cut) = segments.get(i).filter(|s| s.start < start) {
        found.extend(words(text, TextRange::new(range.start, base + cut.end.min(end))));
        if cut.end >= end {
            return;
        }
        i += 1;
    }
    while let Some(segment) = segments.get(i).filter(|s| s.end <= end) {
        if segment.is_word {
            let (a, b) = (base + segment.start, base + segment.end);
            found.push((TextRange::new(a, b), &text[a..b]));
        }
        i += 1;
    }
    // A segment running past the end: the scan of the range stops it there.
    if let Some(cut) = segments.get(i).filter(|s| s.start < end) {
        found.extend(words(text, TextRange::new(base + cut.start, range.end)));
    }
}

/// Finds, for paragraphs of an edited text asked about in text order, the
/// paragraph of the previous article with the same text, moved by the edit.
pub struct UnchangedParagraphs<'a> {
    previous: &'a Article,
    diff: &'a TextDiff,
    next: usize,
}

impl<'a> UnchangedParagraphs<'a> {
    /// A walk over `previous`'s paragraphs through the edit `diff`.
    pub fn new(previous: &'a Article, diff: &'a TextDiff) -> UnchangedParagraphs<'a> {
        UnchangedParagraphs { previous, diff, next: 0 }
    }

    /// The index of the previous paragraph that the edit moved, unchanged, to
    /// `range`; `range` must come after the ranges asked about before.
    pub fn find(&mut self, range: TextRange) -> Option<usize> {
        // Old paragraphs are in text order, and so are the ranges they carry to.
        while let Some(paragraph) = self.previous.paragraphs.get(self.next) {
            match self.diff.carry(paragraph.range, 0) {
                Some(carried) if carried.start > range.start => return None,
                Some(carried) if carried == range => {
                    self.next += 1;
                    return Some(self.next - 1);
                }
                _ => self.next += 1,
            }
        }
        None
    }
}

/// Splits `text[from..]` into paragraphs at blank lines (lines holding only white space).
fn paragraph_ranges(text: &str, from: usize) -> Vec<TextRange> {
    let mut ranges = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_content_end = from;
    let mut line_start = from;
    let bytes = text.as_bytes();
    while line_start < text.len() {
        let line_end = memchr_line_end(bytes, line_start);
        let line = &text[line_start..line_end];
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                ranges.push(TextRange::new(s, last_content_end));
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            start.get_or_insert(line_start + lead);
            last_content_end = line_start + line.trim_end().len();
        }
        line_start = next_line_start(bytes, line_end);
    }
    if let Some(s) = start {
        ranges.push(TextRange::new(s, last_content_end));
    }
    ranges
}

/// Byte offset of the end of the line starting at `from` (before `\r` or `\n`).
fn memchr_line_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

fn next_line_start(bytes: &[u8], line_end: usize) -> usize {
    match bytes.get(line_end) {
        Some(b'\r') if bytes.get(line_end + 1) == Some(&b'\n') => line_end + 2,
        Some(_) => line_end + 1,
        None => line_end,
    }
}

/// The words of `range` (runs of letters and digits, with apostrophes inside
/// words kept: "Russia’s", "don't"), by UAX #29 word boundaries.
///
/// Attribution looks at words around every quote, so this runs over most of an
/// article several times: text made only of Latin letters, digits and common
/// punctuation takes [`words::latin_words`], which applies the same rules
/// without table lookups; anything else goes through `unicode-segmentation`.
pub fn words(text: &str, range: TextRange) -> Vec<(TextRange, &str)> {
    let slice = range.slice(text);
    if let Some(found) = words::latin_words(slice) {
        return found
            .into_iter()
            .map(|(start, end)| (TextRange::new(range.start + start, range.start + end), &slice[start..end]))
            .collect();
    }
    slice
        .split_word_bound_indices()
        .filter(|(_, w)| w.chars().next().is_some_and(char::is_alphanumeric))
        .map(|(i, w)| (TextRange::new(range.start + i, range.start + i + w.len()), w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic and good enough to pick characters, spans and edits.
    fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    fn paragraphs(text: &str) -> Vec<&str> {
        Article::parse(text).paragraphs.iter().map(|p| p.range.slice(text)).collect()
    }

    #[test]
    fn blank_lines_with_spaces_separate_paragraphs() {
        assert_eq!(paragraphs("One.\n  \nTwo a.\r\nTwo b.\n\n\nThree."), ["One.", "Two a.\r\nTwo b.", "Three."]);
    }

    #[test]
    fn header_glued_to_first_paragraph_is_not_part_of_it() {
        let text = " date 2022-01-27 “There is no positive reaction,” Lavrov said.\n\nNext.";
        let article = Article::parse(text);
        assert_eq!(article.date().unwrap().to_string(), "2022-01-27");
        assert_eq!(paragraphs(text)[0], "“There is no positive reaction,” Lavrov said.");
    }

    #[test]
    fn words_of_any_span_are_those_of_a_fresh_scan() {
        let alphabet: Vec<char> = "aZé9 .,;:'’‘_“”—\nx1.\nЖ".chars().collect();
        let mut next = xorshift(0x51a7_3e21_9d0c_44b3);
        for _ in 0..3_000 {
            let mut text: String = (0..40).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            if next().is_multiple_of(3) {
                text.insert_str(0, "date 2022-01-27 ");
            }
            let article = Article::parse(&text);
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            for _ in 0..20 {
                let a = boundaries[(next() % boundaries.len() as u64) as usize];
                let b = boundaries[(next() % boundaries.len() as u64) as usize];
                let range = TextRange::new(a.min(b), a.max(b));
                assert_eq!(article.words(&text, range), words(&text, range), "{text:?} {range:?}");
            }
        }
    }

    /// Random edits of a seed article, each reparsed from the article before it:
    /// the result must be the article parsed from scratch.
    #[test]
    fn reparse_after_any_edit_equals_parse_from_scratch() {
        let pieces = ["a", " ", "\n", "\n\n", "\r\n", "“", "”", "\"", "'", "’", ".", "Mr. ", "Ж", "date 2022-01-27 ", " \n \n", "U.S."];
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for seed in
            [include_str!("../../corpus/articles/002_861de67a3d0b5135.txt"), include_str!("../../corpus/articles/000_650f7ada08eebc05.txt")]
        {
            let mut text = seed.to_string();
            let mut article = Article::parse(&text);
            for _ in 0..1_500 {
                let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
                // Mostly near the start, so that header edits are frequent too.
                let pick = |r: u64| {
                    boundaries
                        [if r.is_multiple_of(4) { (r as usize / 4) % boundaries.len().min(40) } else { r as usize % boundaries.len() }]
                };
                let a = pick(next());
                let b = if next().is_multiple_of(2) { a } else { pick(next()).max(a).min(a + 12) };
                let b = (b..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap();
                let inserted = if next().is_multiple_of(3) { "" } else { pieces[(next() % pieces.len() as u64) as usize] };
                let mut edited = text.clone();
                edited.replace_range(a..b, inserted);
                let diff = TextDiff::between(&text, &edited);
                let reparsed = article.reparse(&edited, &diff);
                assert_eq!(reparsed, Article::parse(&edited), "after replacing {a}..{b} by {inserted:?}");
                text = edited;
                article = reparsed;
            }
        }
    }

    #[test]
    fn sentences_are_trimmed_and_stay_inside_their_paragraph() {
        let text = "Lavrov spoke. He left.\n\nPutin said “No.” Then he went.";
        let article = Article::parse(text);
        let sentences: Vec<_> = article.sentences.iter().map(|s| s.slice(text)).collect();
        assert_eq!(sentences, ["Lavrov spoke.", "He left.", "Putin said “No.”", "Then he went."]);
        assert_eq!(article.paragraphs[1].sentences, 2..4);
        assert_eq!(article.sentence_at(text.find("Then").unwrap()), Some(3));
        assert_eq!(article.paragraph_at(text.find("He").unwrap()), Some(0));
    }
}
