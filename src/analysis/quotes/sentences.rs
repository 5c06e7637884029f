//! Sentences as attribution needs them. The article's segmenter (UAX #29) breaks
//! after every period followed by a capital, so "Mr. Lew said" or "the U.S.
//! Senate" would end a sentence in the middle of a speaker's name; here such
//! pieces are joined again. Lookups are binary searches over sorted ranges.
//!
//! A sentence longer than [`MAX_SENTENCE_BYTES`] is cut into pieces of at most
//! that length (at spaces where it has any). Attribution and classification
//! look back from every quote to the start of its sentence; in an article that
//! is one endless sentence (50,000 quotes in it, or a file of nothing but
//! quotation marks) that made them quadratic: 50,000 quote pairs took 48 s.
//! No sentence of real prose comes near the bound.

use super::vocabulary::Vocabulary;
use crate::article::Article;
use crate::text::TextRange;

/// The longest sentence, in bytes, that attribution and classification look
/// back over (about 700 words).
pub const MAX_SENTENCE_BYTES: usize = 4_096;

/// The sentences of an article, abbreviations joined, in text order.
pub struct Sentences {
    ranges: Vec<TextRange>,
}

impl Sentences {
    /// The sentences of `article`, read with the abbreviations of `vocabulary`.
    pub fn new(text: &str, article: &Article, vocabulary: &Vocabulary) -> Sentences {
        let mut ranges: Vec<TextRange> = Vec::with_capacity(article.sentences.len());
        for paragraph in &article.paragraphs {
            let mut open: Option<TextRange> = None;
            for &sentence in &article.sentences[paragraph.sentences.clone()] {
                open = Some(match open {
                    Some(previous) if ends_with_abbreviation(vocabulary, previous.slice(text)) => {
                        TextRange::new(previous.start, sentence.end)
                    }
                    Some(previous) => {
                        ranges.push(previous);
                        sentence
                    }
                    None => sentence,
                });
            }
            ranges.extend(open);
        }
        if ranges.iter().any(|s| s.len() > MAX_SENTENCE_BYTES) {
            ranges = ranges.into_iter().flat_map(|s| bounded_pieces(text, s)).collect();
        }
        Sentences { ranges }
    }

    pub fn get(&self, index: usize) -> Option<TextRange> {
        self.ranges.get(index).copied()
    }

    /// Index of the sentence holding byte `offset`.
    pub fn index_at(&self, offset: usize) -> Option<usize> {
        let i = self.ranges.partition_point(|s| s.end <= offset);
        (i < self.ranges.len() && self.ranges[i].start <= offset).then_some(i)
    }

    pub fn at(&self, offset: usize) -> Option<TextRange> {
        self.index_at(offset).map(|i| self.ranges[i])
    }
}

/// `sentence` cut into pieces of at most [`MAX_SENTENCE_BYTES`], each ending
/// after a space where there is one in its second half, else on a character
/// boundary.
fn bounded_pieces(text: &str, sentence: TextRange) -> Vec<TextRange> {
    let mut pieces = Vec::new();
    let mut start = sentence.start;
    while sentence.end - start > MAX_SENTENCE_BYTES {
        let mut end = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let window = &text.as_bytes()[start + MAX_SENTENCE_BYTES / 2..end];
        if let Some(space) = memchr::memrchr(b' ', window) {
            end = start + MAX_SENTENCE_BYTES / 2 + space + 1;
        }
        pieces.push(TextRange::new(start, end));
        start = end;
    }
    pieces.push(TextRange::new(start, sentence.end));
    pieces
}

/// "Mr.", "U.S.", "J." (an initial) end a segment but not a sentence.
fn ends_with_abbreviation(vocabulary: &Vocabulary, sentence: &str) -> bool {
    let Some(body) = sentence.trim_end().strip_suffix('.') else { return false };
    let last = body.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"').next().unwrap_or(body);
    if last.is_empty() {
        return false;
    }
    let initial = last.chars().count() == 1 && last.chars().all(char::is_uppercase);
    let dotted = last.contains('.') && last.split('.').all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic));
    initial || dotted || vocabulary.abbreviations.contains(&last.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let s = Sentences::new(text, &Article::parse(text), super::super::vocabulary::vocabulary(crate::article::Lang::En));
        s.ranges.iter().map(|r| r.slice(text)).collect()
    }

    #[test]
    fn titles_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences("“Yes,” Mr. Lew said. The U.S. Senate met. J. Smith left."),
            ["“Yes,” Mr. Lew said.", "The U.S. Senate met.", "J. Smith left."]
        );
    }

    #[test]
    fn an_endless_sentence_is_cut_into_bounded_pieces() {
        let text = "He said “yes” and “no” again ".repeat(1_000) + "“”".repeat(2_000).as_str();
        let pieces = sentences(&text);
        assert!(pieces.len() > 10, "{}", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= MAX_SENTENCE_BYTES));
        assert_eq!(pieces.concat(), text.trim_end(), "the pieces cover the sentence");
    }
}
