//! Telling direct, partial and scare quotes apart.
//!
//! - **scare**: a short phrase (at most four words, no sentence punctuation
//!   inside) right after a naming verb ("what he called a “red line”", "so-called"),
//!   or one that no speech cue attributes;
//! - **partial**: quoted words inside a reported sentence: the quote does not open
//!   its sentence and does not follow a colon or a cue's comma, and it starts in
//!   lower case or is not a whole sentence;
//! - **direct**: everything else: a whole quoted sentence or clause.

use super::QuoteKind;
use super::QuoteSpan;
use super::cues::SpeechCues;
use crate::article::{Article, words};
use crate::text::TextRange;

pub fn classify(text: &str, article: &Article, cues: &SpeechCues, quote: &QuoteSpan) -> QuoteKind {
    let content = quote.content_range(text);
    let content_text = content.slice(text).trim();
    let word_count = words(text, content).len();
    let sentence_start = article.sentence_at(quote.range.start).map_or(quote.range.start, |s| article.sentences[s].start);
    let before = text[sentence_start.min(quote.range.start)..quote.range.start].trim_end();
    let paragraph_start = article.paragraph_at(quote.range.start).map(|p| article.paragraphs[p].range.start);
    let opens_sentence = before.is_empty() || paragraph_start == Some(quote.range.start);
    let short = word_count <= 4 && !content_text.trim_end_matches(['.', ',']).contains(['.', '!', '?', ';']);

    let before_words: Vec<&str> =
        words(text, TextRange::new(sentence_start.min(quote.range.start), quote.range.start)).into_iter().map(|w| w.1).collect();
    let tail = before_words.len().saturating_sub(4);
    let after_naming_verb = (tail..before_words.len()).any(|i| cues.naming_cue_at(&before_words, i).is_some());
    if short && !opens_sentence && (after_naming_verb || quote.speaker.is_none()) {
        return QuoteKind::Scare;
    }
    if short && opens_sentence && quote.speaker.is_none() && word_count <= 3 {
        // A quoted title or headline phrase: “room for progress”.
        return QuoteKind::Scare;
    }
    let after_colon_or_cue_comma = before.ends_with(':')
        || (before.ends_with(',') && !before_words.is_empty() && cues.speech_cue_at(&before_words, before_words.len() - 1).is_some());
    let starts_upper = content_text.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_uppercase);
    if opens_sentence || after_colon_or_cue_comma || (starts_upper && word_count > 4 && !quote.unclosed && ends_like_sentence(content_text))
    {
        QuoteKind::Direct
    } else {
        QuoteKind::Partial
    }
}

fn ends_like_sentence(content: &str) -> bool {
    content.trim_end_matches(['”', '"', '’', '\'']).ends_with(['.', '!', '?', ','])
}
