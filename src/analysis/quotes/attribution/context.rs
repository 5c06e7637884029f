//! What attribution reads an article with: the text, its sentences, KB
//! mentions, cues and word lists, and lookups over them (which quote holds an
//! offset, which mention ends there, where a line starts).

use super::super::cues::CueIndex;
use super::super::sentences::Sentences;
use super::super::vocabulary::Vocabulary;
use super::is_in;
use crate::analysis::Mention;
use crate::article::Article;
use crate::kb::EntryKind;
use crate::text::TextRange;

/// An article as attribution reads it.
pub(super) struct Context<'a> {
    /// The article's text.
    pub(super) text: &'a str,
    /// Its paragraphs and words.
    pub(super) article: &'a Article,
    /// Its sentences, abbreviations joined.
    pub(super) sentences: &'a Sentences,
    /// KB mentions sorted by start.
    pub(super) mentions: &'a [Mention],
    /// The speech and naming cues of the article's language.
    pub(super) cues: &'a CueIndex,
    /// The word lists of the article's language.
    pub(super) v: &'static Vocabulary,
    /// Quote ranges in text order.
    pub(super) quotes: Vec<TextRange>,
    /// Where each line starts, and the first colon of each line looked at:
    /// found once, not by reading back from every quote to its line's start
    /// (an article of one line of several MB held thousands of quotes).
    pub(super) lines: LineColons,
}

/// Line starts and first colons, found when first asked for.
#[derive(Default)]
pub(super) struct LineColons {
    pub(super) starts: std::cell::OnceCell<Vec<usize>>,
    pub(super) first_colon: std::cell::RefCell<rustc_hash::FxHashMap<usize, Option<usize>>>,
}

impl Context<'_> {
    /// The start of the line holding byte `offset`.
    pub(super) fn line_start(&self, offset: usize) -> usize {
        let starts = self
            .lines
            .starts
            .get_or_init(|| std::iter::once(0).chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1)).collect());
        starts[starts.partition_point(|&s| s <= offset) - 1]
    }

    /// The first colon of the line starting at `line_start`, before `limit`.
    pub(super) fn first_colon_before(&self, line_start: usize, limit: usize) -> Option<usize> {
        let colon = *self.lines.first_colon.borrow_mut().entry(line_start).or_insert_with(|| {
            let line = &self.text.as_bytes()[line_start..];
            let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
            memchr::memchr(b':', line).map(|i| line_start + i)
        });
        colon.filter(|&c| c < limit)
    }
}

impl Context<'_> {
    // ------------------------------------------------------------ lookups

    /// A cue after which the speaker follows: "according to X", "laut X",
    /// "selon X", "по словам X", "за словами X".
    pub(super) fn speaker_follows(&self, word: &str) -> bool {
        is_in(self.v.speaker_follows, word)
    }

    /// A KB mention ending at `end`, or just before a possessive `’s` ending there.
    pub(super) fn mention_ending_at(&self, end: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.range.start < end);
        self.mentions[..i].iter().rev().take(4).find(|m| {
            m.range.end == end || (m.range.end < end && self.text[m.range.end..end].trim_start_matches(['’', '\'', 's']).is_empty())
        })
    }

    pub(super) fn mention_starting_at(&self, start: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.range.start < start);
        self.mentions.get(i).filter(|m| m.range.start == start)
    }

    /// The last person mentioned inside `range`.
    pub(super) fn person_inside(&self, range: TextRange) -> Option<&Mention> {
        let end = self.mentions.partition_point(|m| m.range.start < range.end);
        self.mentions[..end]
            .iter()
            .rev()
            .take_while(|m| m.range.start >= range.start)
            .find(|m| range.contains_range(m.range) && m.kind == EntryKind::Person)
    }

    pub(super) fn inside_quote(&self, offset: usize) -> bool {
        let i = self.quotes.partition_point(|q| q.end <= offset);
        self.quotes.get(i).is_some_and(|q| q.start <= offset)
    }

    /// End of the last quote ending at or before `offset`, if any.
    pub(super) fn quote_end_before(&self, offset: usize) -> Option<usize> {
        let i = self.quotes.partition_point(|q| q.end <= offset);
        i.checked_sub(1).map(|j| self.quotes[j].end)
    }

    pub(super) fn paragraph_start(&self, offset: usize) -> Option<usize> {
        self.article.paragraph_at(offset).map(|p| self.article.paragraphs[p].range.start)
    }

    /// The text between two offsets holds nothing but white space.
    pub(super) fn blank_between(&self, a: usize, b: usize) -> bool {
        a >= b || self.text[a..b].trim().is_empty()
    }

    // ------------------------------------------------------------ sentences

    /// The text around quote `i` that may hold its cue: from the start of the
    /// sentence holding its opening to the end of the sentence holding its close.
    /// A quote ending in a comma, question mark or dash runs on into the next
    /// segment ("…?” he asked.): the segmenter may have split them.
    pub(super) fn sentence_span(&self, quote: TextRange) -> TextRange {
        let start = self.sentences.at(quote.start).map_or(quote.start, |s| s.start.min(quote.start));
        let Some(index) = self.sentences.index_at(quote.end.saturating_sub(1)) else { return TextRange::new(start, quote.end) };
        let sentence = self.sentences.get(index).expect("index from lookup");
        let mut end = sentence.end.max(quote.end);
        if self.blank_between(quote.end, end)
            && let Some(next) = self.sentences.get(index + 1)
            && self.paragraph_start(next.start) == self.paragraph_start(quote.start)
        {
            let closing = super::super::without_closing_marks(&self.text[..quote.end]);
            let runs_on = closing.ends_with([',', '?', '!', '—', '–', '-'])
                || self.text[next.start..].starts_with(char::is_lowercase)
                || (self.blank_between(start, quote.start) && self.is_short_attribution(next));
            if runs_on {
                end = next.end;
            }
        }
        TextRange::new(start, end)
    }

    /// "“… missing.” Trump said on Wednesday.": a short sentence with a cue among
    /// its first words and no quote of its own attributes the quote before it.
    pub(super) fn is_short_attribution(&self, sentence: TextRange) -> bool {
        let ws = self.article.words(self.text, sentence);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        ws.len() <= 12
            && !self.inside_quote(sentence.start)
            && self.quote_end_before(sentence.end).is_none_or(|e| e <= sentence.start)
            && (0..ws.len().min(5)).any(|i| self.cues.speech_cue_at(&names, i).is_some())
    }
}
