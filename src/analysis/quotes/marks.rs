//! The quotation marks pairing works on: the article's marks, with two typewriter
//! conventions undone before pairing.
//!
//! - `''` (two straight single marks) stands for a double mark in texts set on
//!   ASCII-only systems (the New York Times' wire copy writes ''Yes,'' he said);
//! - marks inside markup tags (`<tweet author="…">`) are attribute quotes, not
//!   quotation marks;
//! - an opening glyph glued to the end of a word or sentence and followed by a
//!   space ("They see that.“ ¶", "called the KKK “abhorrent“ in a tweet") is a
//!   misused closing mark.

use crate::article::{Lang, MarkRole, MarkShape, QuoteMark};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::text::TextRange;

/// The marks pairing sees, and the marks of the wrong direction read as
/// closing ones (reported so that the text can be cleaned).
pub struct EffectiveMarks {
    pub marks: Vec<QuoteMark>,
    pub misused: Vec<MisusedMark>,
}

/// An opening glyph that closes a quotation (`…done.“` in English text).
pub struct MisusedMark {
    pub range: TextRange,
    /// The mark that should stand there.
    pub replacement: &'static str,
}

impl MisusedMark {
    /// A hint with the right mark, which the quick fix puts in its place.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::hint(
            DiagnosticCode::MisusedQuoteMark,
            self.range,
            format!("this opening mark closes the quotation; the closing mark is {}", self.replacement),
        )
    }
}

/// The marks of `text` as pairing should see them, in order, read in `lang`.
pub fn effective_marks(text: &str, marks: &[QuoteMark], lang: Lang) -> EffectiveMarks {
    let tags = markup_tags(text);
    let mut misused = Vec::new();
    let mut out: Vec<QuoteMark> = Vec::with_capacity(marks.len());
    let mut i = 0;
    while i < marks.len() {
        let mark = marks[i];
        if inside_any(&tags, mark.range.start) {
            i += 1;
            continue;
        }
        if let Some(&next) = marks.get(i + 1)
            && is_straight_single(mark)
            && is_straight_single(next)
            && next.range.start == mark.range.end
        {
            out.push(doubled_single(text, mark.range.start, next.range.end));
            i += 2;
            continue;
        }
        // `"“You don’t win…`, `: ““Radical…`: an opening double mark doubled by a
        // slip opens once.
        if let Some(&next) = marks.get(i + 1)
            && is_opening_double(mark)
            && is_opening_double(next)
            && next.range.start == mark.range.end
            // “„ is German's closing mark and the next opening one („Ja.“„Nein.“).
            && !(text[mark.range.start..].starts_with('“') && text[next.range.start..].starts_with('„'))
        {
            i += 1;
            continue;
        }
        if lang == Lang::De && closes_in_german(text, mark) {
            out.push(QuoteMark { role: MarkRole::Closing, ..mark });
        } else if is_misused_opening(text, mark) {
            // After „ the mark is German's own closing mark, no slip; only
            // English sets “ as a slip for ”.
            let after_low_opening = out.last().is_some_and(|m| text[m.range.start..].starts_with('„'));
            if lang == Lang::En && !after_low_opening {
                misused.push(MisusedMark { range: mark.range, replacement: "”" });
            }
            out.push(QuoteMark { role: MarkRole::Closing, ..mark });
        } else {
            out.push(mark);
        }
        i += 1;
    }
    EffectiveMarks { marks: out, misused }
}

/// German closes with `“` and `‘` („…“, ‚…‘): one glued to the word before
/// it closes, wherever it stands. Only one with white space (or an opening
/// bracket) before it and a word after it opens, as in English.
fn closes_in_german(text: &str, mark: QuoteMark) -> bool {
    let c = text[mark.range.start..].chars().next();
    if mark.straight || !matches!(c, Some('“' | '‘')) {
        return false;
    }
    let prev = text[..mark.range.start].chars().next_back();
    let next = text[mark.range.end..].chars().next();
    let opens = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/„‚".contains(p)) && next.is_some_and(|n| !n.is_whitespace());
    !opens
}

/// A curly opening double mark with a word or punctuation right before it and
/// white space, punctuation or the end of the text right after it.
fn is_misused_opening(text: &str, mark: QuoteMark) -> bool {
    if mark.straight || mark.shape != MarkShape::Double || mark.role != MarkRole::Opening {
        return false;
    }
    let prev = text[..mark.range.start].chars().next_back();
    let next = text[mark.range.end..].chars().next();
    let glued = prev.is_some_and(|c| c.is_alphanumeric() || ".,;:!?…—–-".contains(c));
    let ends = next.is_none_or(|c| c.is_whitespace() || ".,;:!?)[]".contains(c));
    // "They see that. “¶": nothing follows on its line for it to open.
    let ends_its_line = next.is_none_or(|c| c == '\n' || c == '\r');
    (glued && ends) || ends_its_line
}

fn is_opening_double(mark: QuoteMark) -> bool {
    mark.shape == MarkShape::Double && mark.role == MarkRole::Opening
}

fn is_straight_single(mark: QuoteMark) -> bool {
    mark.straight && mark.shape == MarkShape::Single
}

/// `''` read as one straight double mark, its role taken from the characters
/// around the pair (the two halves only see each other).
fn doubled_single(text: &str, start: usize, end: usize) -> QuoteMark {
    let prev = text[..start].chars().next_back();
    let next = text[end..].chars().next();
    let opens = prev.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c)) && next.is_some_and(|c| !c.is_whitespace());
    let closes = prev.is_some_and(|c| !c.is_whitespace()) && next.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}—–-…".contains(c));
    let role = match (opens, closes) {
        (true, false) => MarkRole::Opening,
        (false, true) => MarkRole::Closing,
        _ => MarkRole::Ambiguous,
    };
    QuoteMark { range: TextRange::new(start, end), shape: MarkShape::Double, role, straight: true, may_be_apostrophe: false }
}

/// Byte ranges of markup tags: `<` then a letter or `/`, up to the next `>` on
/// the same line with no `<` between; an attribute value left open at the end
/// of a line carries the tag over to the next (`tweet-date="May 9, 2016⏎">`).
fn markup_tags(text: &str) -> Vec<TextRange> {
    let bytes = text.as_bytes();
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find('<') {
        let start = from + offset;
        from = start + 1;
        if !bytes.get(start + 1).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/') {
            continue;
        }
        let rest = &text[start + 1..];
        let Some(mut stop) = rest.find(['<', '>', '\n']) else { break };
        if rest.as_bytes()[stop] == b'\n' && rest[..stop].matches('"').count() % 2 == 1 {
            let Some(next) = rest[stop + 1..].find(['<', '>', '\n']) else { break };
            stop += 1 + next;
        }
        if rest.as_bytes()[stop] == b'>' {
            tags.push(TextRange::new(start, start + 2 + stop));
            from = start + 2 + stop;
        }
    }
    tags
}

fn inside_any(sorted: &[TextRange], offset: usize) -> bool {
    let i = sorted.partition_point(|r| r.end <= offset);
    sorted.get(i).is_some_and(|r| r.start <= offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::find_quote_marks;

    fn marks(text: &str) -> Vec<(&str, MarkShape, MarkRole)> {
        effective_marks(text, &find_quote_marks(text, 0), Lang::En).marks.iter().map(|m| (m.range.slice(text), m.shape, m.role)).collect()
    }

    #[test]
    fn typewriter_double_marks_are_one_double_mark() {
        use MarkRole::*;
        assert_eq!(marks("''Yes,'' he said."), [("''", MarkShape::Double, Opening), ("''", MarkShape::Double, Closing)]);
    }

    #[test]
    fn opening_glyph_glued_to_a_word_closes() {
        let text = "called it “abhorrent“ in a tweet";
        assert_eq!(marks(text)[1].2, MarkRole::Closing);
        assert_eq!(marks("“Yes,” he said, “no.”")[2].2, MarkRole::Opening);
    }

    #[test]
    fn marks_inside_tags_are_dropped() {
        let text = r#"<tweet id="1" author="x">"Hi," he said.</tweet>"#;
        assert_eq!(marks(text).len(), 2);
    }

    /// Regression (PolNeAR train): a doubled opening mark made a quote of one
    /// mark, and an opening glyph ending its line opened nothing.
    #[test]
    fn doubled_opening_marks_open_once_and_a_mark_ending_its_line_closes() {
        use MarkRole::*;
        assert_eq!(marks("\"“No,” he said."), [("“", MarkShape::Double, Opening), ("”", MarkShape::Double, Closing)]);
        assert_eq!(marks("He said. “They see that. “\nNext."), [("“", MarkShape::Double, Opening), ("“", MarkShape::Double, Closing)]);
    }

    /// Regression (PolNeAR train): a tweet tag whose date attribute wraps onto
    /// the next line opened a bogus quote at its closing `">`.
    #[test]
    fn a_tag_wrapped_inside_an_attribute_value_is_still_a_tag() {
        let text = "<tweet tweet-author=\"@x\" tweet-date=\"January 19, 2016\n\">I love it. Big fan.<tweet/>.";
        assert_eq!(marks(text), []);
        // A line that merely ends inside a quotation is no tag.
        assert_eq!(marks("a <b \"c\nd").len(), 1);
    }
}
