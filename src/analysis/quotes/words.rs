//! Words for cue matching, found by a single pass over the characters.
//!
//! The same words as [`crate::article::words`] (UAX #29) for the text quotes
//! sit in: runs of letters and digits, kept whole across an apostrophe between
//! letters ("Russia’s", "don't"), a period between letters ("U.S") and a comma
//! or period between digits ("1,000", "3.5"). The Unicode tables cost a fifth of
//! the analysis time; attribution looks at the words around every quote and
//! every cue, so it uses this instead.

use crate::text::TextRange;

/// The words of `range` in `text`, with their byte ranges.
pub fn words(text: &str, range: TextRange) -> Vec<(TextRange, &str)> {
    let slice = range.slice(text);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = slice.char_indices().peekable();
    let mut previous: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if start.is_some() && joins(previous, c, next) {
            // Inside a word: "Russia’s", "U.S", "1,000".
        } else if let Some(s) = start.take() {
            out.push((TextRange::new(range.start + s, range.start + i), &slice[s..i]));
        }
        previous = Some(c);
    }
    if let Some(s) = start {
        out.push((TextRange::new(range.start + s, range.end), &slice[s..]));
    }
    out
}

/// A character between two alphanumerics that does not break the word.
fn joins(previous: Option<char>, c: char, next: Option<char>) -> bool {
    let (Some(p), Some(n)) = (previous, next) else { return false };
    match c {
        '\'' | '’' | '.' => p.is_alphabetic() && n.is_alphabetic() || (c == '.' && p.is_ascii_digit() && n.is_ascii_digit()),
        ',' => p.is_ascii_digit() && n.is_ascii_digit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        words(text, TextRange::new(0, text.len())).into_iter().map(|w| w.1).collect()
    }

    #[test]
    fn words_match_the_unicode_rules_that_matter() {
        assert_eq!(
            split("Russia’s U.S. so-called “red line” 1,000 3.5 don't, Mr. Lew"),
            ["Russia’s", "U.S", "so", "called", "red", "line", "1,000", "3.5", "don't", "Mr", "Lew"]
        );
    }

    #[test]
    fn words_agree_with_the_article_words_on_news_text() {
        let text = "“We want peace,” Sergey Lavrov, Russia’s foreign minister, told reporters on Friday (Jan. 14) — 2,000 km away.";
        let range = TextRange::new(0, text.len());
        let ours: Vec<_> = words(text, range);
        let uax: Vec<_> = crate::article::words(text, range);
        assert_eq!(ours, uax);
    }
}
