//! Pairing quotation marks into quotation parts, with the conventions of news
//! writing: a quote running over paragraphs reopens each one and closes once; an
//! utterance interrupted by its attribution continues after it. The opening glyph
//! says which mark closes it (German „…“ and »…«, French, Russian and Ukrainian
//! «…»), marks inside guillemets are nested quotes, and in Russian and Ukrainian
//! a paragraph opened by a dash is a line of dialogue. Linear: each mark is
//! looked at once, each dialogue paragraph scanned once.

use super::cues::CueIndex;
use super::vocabulary::Vocabulary;
use crate::article::{Article, Lang, MarkRole, MarkShape, QuoteMark};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::text::TextRange;

/// One part of a quotation as pairing finds it, before attribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotePart {
    /// The part, marks included.
    pub range: TextRange,
    /// The utterance it belongs to (an interrupted quote has several parts).
    pub utterance: usize,
    /// The closing mark is missing.
    pub unclosed: bool,
}

/// The quote parts of an article and the diagnostics about its marks.
pub struct Pairing {
    /// The parts in text order.
    pub parts: Vec<QuotePart>,
    /// `unclosed-quote`, `stray-quote-mark` and the like.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Copy)]
struct Open {
    mark: QuoteMark,
    part_start: usize,
    paragraph: usize,
    utterance: usize,
}

struct Pairer<'a> {
    text: &'a str,
    article: &'a Article,
    cues: &'a CueIndex,
    vocabulary: &'a Vocabulary,
    parts: Vec<QuotePart>,
    diagnostics: Vec<Diagnostic>,
    utterances: usize,
}

/// Pairs the quotation marks of `article` into quote parts and utterances.
pub fn pair_quote_marks(text: &str, article: &Article, cues: &CueIndex, vocabulary: &Vocabulary) -> Pairing {
    let mut pairer = Pairer { text, article, cues, vocabulary, parts: Vec::new(), diagnostics: Vec::new(), utterances: 0 };
    let mut open: Option<Open> = None;
    let effective = super::marks::effective_marks(text, &article.quote_marks, vocabulary.lang);
    pairer.diagnostics.extend(effective.misused.iter().map(|m| m.diagnostic()));
    let dialogue = dialogue_lines(text, article, vocabulary.lang);
    let mut next_dialogue = 0;
    for mark in effective.marks {
        let Some(paragraph) = article.paragraph_at(mark.range.start) else { continue };
        // Lines of dialogue opened by a dash are quotations of their own: the
        // marks inside them are nested quotes.
        while let Some(line) = dialogue.get(next_dialogue).filter(|l| l.paragraph <= paragraph && open.is_none()) {
            pairer.push_dialogue(line);
            next_dialogue += 1;
        }
        if dialogue.get(next_dialogue.wrapping_sub(1)).is_some_and(|l| l.paragraph == paragraph) && open.is_none() {
            continue;
        }
        if let Some(o) = open
            && closes(glyph(text, o.mark), glyph(text, mark))
            && paragraph == o.paragraph
        {
            // „…“, «…», »…«, ‚…‘, ‹…›: the opening glyph says which mark closes it.
            pairer.push(o.part_start, mark.range.end, o.utterance, false);
            open = None;
            continue;
        }
        if let Some(o) = open
            && paragraph == o.paragraph
            && is_guillemet(glyph(text, o.mark))
            && !is_guillemet(glyph(text, mark))
        {
            // «… „…“ …»: marks inside guillemets are nested quotes.
            continue;
        }
        if let Some(o) = open
            && paragraph != o.paragraph
        {
            let paragraph_start = article.paragraphs[paragraph].range.start;
            let reopens = o.mark.shape == MarkShape::Double
                && mark.shape == MarkShape::Double
                && mark.role != MarkRole::Closing
                && mark.range.start == paragraph_start;
            let paragraph_end = article.paragraphs[o.paragraph].range.end;
            if reopens {
                pairer.push(o.part_start, paragraph_end, o.utterance, false);
                open = Some(Open { part_start: mark.range.start, paragraph, ..o });
                continue;
            }
            pairer.unclosed(o, paragraph_end);
            open = None;
        }
        open = match open {
            None => pairer.open_outer(mark, paragraph),
            Some(o) if o.mark.shape == MarkShape::Double => match (mark.shape, mark.role) {
                // Single marks inside double quotes are nested quotes or apostrophes:
                // either way, part of the outer quotation.
                (MarkShape::Single, _) => Some(o),
                (MarkShape::Double, MarkRole::Closing | MarkRole::Ambiguous) => {
                    // "“…budgets.⏎Dean Baker, Center for Policy Research.”": the
                    // mark closes a pull quote and its byline; the quote ends at the line break.
                    let end = byline_before(text, o.part_start, mark.range.start).map_or(mark.range.end, |byline| byline.quote_end);
                    pairer.push(o.part_start, end, o.utterance, false);
                    None
                }
                (MarkShape::Double, MarkRole::Opening) if pairer.attribution_follows(mark) => {
                    // “..., “Blinken told reporters: an opening mark misused as a closing one.
                    pairer.push(o.part_start, mark.range.end, o.utterance, false);
                    None
                }
                (MarkShape::Double, MarkRole::Opening) => {
                    let end = pairer.text[..mark.range.start].trim_end().len().max(o.part_start + 1);
                    pairer.unclosed(o, end);
                    pairer.open_outer(mark, paragraph)
                }
            },
            Some(o) => match (mark.shape, mark.role) {
                (MarkShape::Single, MarkRole::Closing | MarkRole::Ambiguous) => {
                    pairer.push(o.part_start, mark.range.end, o.utterance, false);
                    None
                }
                // A single quote never closed before the next opening was an
                // apostrophe or elision after all: drop it quietly.
                (MarkShape::Single, MarkRole::Opening) | (MarkShape::Double, _) => pairer.open_outer(mark, paragraph),
            },
        };
    }
    if let Some(o) = open {
        let end = article.paragraphs[o.paragraph].range.end;
        pairer.unclosed(o, end);
    }
    for line in &dialogue[next_dialogue.min(dialogue.len())..] {
        pairer.push_dialogue(line);
    }
    // A dialogue line reached while a quotation was still open was pushed late.
    pairer.parts.sort_by_key(|p| p.range.start);
    Pairing { parts: pairer.parts, diagnostics: pairer.diagnostics }
}

/// The character of a mark (the first, for the typewriter `''`).
fn glyph(text: &str, mark: QuoteMark) -> char {
    text[mark.range.start..].chars().next().unwrap_or('"')
}

fn is_guillemet(c: char) -> bool {
    matches!(c, '«' | '»')
}

/// `closing` closes a quotation opened by `opening` whatever the roles its
/// neighbours suggest: German „…“ (or „…”) and ‚…‘, guillemets either way
/// round. English “…” and straight marks are left to the rules below.
fn closes(opening: char, closing: char) -> bool {
    match opening {
        '„' => matches!(closing, '“' | '”'),
        '‚' => matches!(closing, '‘' | '’'),
        '«' => closing == '»',
        '»' => closing == '«',
        '‹' => closing == '›',
        '›' => closing == '‹',
        _ => false,
    }
}

/// A line of dialogue (Russian and Ukrainian): a paragraph opened by a dash,
/// whose words run to the author's words (", — заявил Лавров. — …").
#[derive(Debug)]
struct DialogueLine {
    paragraph: usize,
    /// The quoted stretches, dashes included: before and after the author's words.
    parts: Vec<TextRange>,
}

/// The dialogue lines of the article: paragraphs opened by `—` or `–` and a
/// space, in Russian and Ukrainian, where that is how speech is set. The
/// author's words start at the next dash with white space before it after
/// `,`, `!`, `?`, `…` or `.`; after them, a dash after a period resumes the speech.
fn dialogue_lines(text: &str, article: &Article, lang: Lang) -> Vec<DialogueLine> {
    if !matches!(lang, Lang::Ru | Lang::Uk) {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for (index, paragraph) in article.paragraphs.iter().enumerate() {
        let body = paragraph.range.slice(text);
        let Some(rest) = body.strip_prefix(['—', '–']) else { continue };
        if !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let dash_at = |from: usize| {
            body[from..].match_indices([' ', '\u{a0}']).map(|(i, _)| from + i).find(|&i| {
                let after = &body[i..];
                let spaced = after.trim_start_matches([' ', '\u{a0}']);
                let before = body[..i].trim_end();
                spaced.starts_with(['—', '–']) && before.ends_with([',', '!', '?', '…', '.'])
            })
        };
        let mut parts = Vec::new();
        let mut start = 0;
        loop {
            let after_dash = start + body[start..].chars().next().map_or(1, char::len_utf8);
            match dash_at(after_dash) {
                Some(space) => {
                    let end = body[..space].trim_end().len();
                    parts.push(TextRange::new(paragraph.range.start + start, paragraph.range.start + end));
                    // The author's words run to a period followed by another dash.
                    let author = space + body[space..].find(['—', '–']).map_or(0, |i| i + '—'.len_utf8());
                    let resume =
                        body[author..].match_indices(['—', '–']).map(|(i, _)| author + i).find(|&i| body[..i].trim_end().ends_with('.'));
                    match resume {
                        Some(next) => start = next,
                        None => break,
                    }
                }
                None => {
                    parts.push(TextRange::new(paragraph.range.start + start, paragraph.range.end));
                    break;
                }
            }
        }
        lines.push(DialogueLine { paragraph: index, parts });
    }
    lines
}

/// A byline closing a pull quote: the last line inside the marks is a name,
/// maybe with an affiliation after a comma ("Josh Bivens, Economic Policy
/// Institute."), under a line that ends a sentence.
pub struct Byline {
    /// Where the quoted words end: the end of the line before the byline.
    pub quote_end: usize,
    /// The name, without the affiliation.
    pub name: TextRange,
}

/// The byline between the line break inside `[start, closing_mark)` and the mark.
pub fn byline_before(text: &str, start: usize, closing_mark: usize) -> Option<Byline> {
    let line_break = start + text[start..closing_mark].rfind('\n')?;
    let quoted = text[start..line_break].trim_end();
    let line = &text[line_break + 1..closing_mark];
    if !quoted.trim_end_matches(['”', '"', '’', '\'']).ends_with(['.', '!', '?']) || !line.ends_with('.') || line.len() > 100 {
        return None;
    }
    let name_len = line.find(',').unwrap_or(line.len() - 1);
    let name = &line[..name_len];
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    let name_like = (2..=6).contains(&words.len())
        && capitalised(&words[0])
        && words.iter().rev().take(2).all(capitalised)
        && !name.contains(['“', '”', '"', ':', ';'])
        && line.split_whitespace().count() <= 12;
    let offset = line_break + 1;
    name_like.then(|| Byline { quote_end: start + quoted.len(), name: TextRange::new(offset, offset + name.trim_end().len()) })
}

impl Pairer<'_> {
    fn push_dialogue(&mut self, line: &DialogueLine) {
        let utterance = self.utterances;
        self.utterances += 1;
        for part in &line.parts {
            self.push(part.start, part.end, utterance, false);
        }
    }

    fn push(&mut self, start: usize, end: usize, utterance: usize, unclosed: bool) {
        self.parts.push(QuotePart { range: TextRange::new(start, end), utterance, unclosed });
    }

    fn unclosed(&mut self, open: Open, end: usize) {
        // An unclosed single mark is far more often an apostrophe than a quote.
        if open.mark.shape == MarkShape::Double {
            self.diagnostics.push(Diagnostic::warning(
                DiagnosticCode::UnclosedQuote,
                open.mark.range,
                "quotation mark is never closed; the quote is taken to end at the next quotation or the end of its paragraph",
            ));
            self.push(open.part_start, end, open.utterance, true);
        }
    }

    fn open_outer(&mut self, mark: QuoteMark, paragraph: usize) -> Option<Open> {
        match (mark.shape, mark.role) {
            (MarkShape::Double, MarkRole::Closing) => {
                self.diagnostics.push(Diagnostic::warning(
                    DiagnosticCode::StrayQuoteMark,
                    mark.range,
                    "closing quotation mark with no opening mark before it",
                ));
                None
            }
            (MarkShape::Single, MarkRole::Closing | MarkRole::Ambiguous) => None,
            _ => {
                let utterance = self.continued_utterance(mark.range.start, paragraph).unwrap_or_else(|| {
                    self.utterances += 1;
                    self.utterances - 1
                });
                Some(Open { mark, part_start: mark.range.start, paragraph, utterance })
            }
        }
    }

    /// The utterance a new part continues: the previous part in the same paragraph,
    /// when only white space or a short attribution ("he said,") stands between.
    fn continued_utterance(&self, start: usize, paragraph: usize) -> Option<usize> {
        let previous = self.parts.last()?;
        if self.article.paragraph_at(previous.range.start) != Some(paragraph) {
            return None;
        }
        let gap = TextRange::new(previous.range.end, start);
        let gap_words: Vec<&str> = self.article.words(self.text, gap).into_iter().map(|w| w.1).collect();
        if previous.unclosed {
            // “a. . “b.”: the reopening right after an unclosed part continues it.
            return gap_words.is_empty().then_some(previous.utterance);
        }
        let attribution_only = gap_words.len() <= 10 && (0..gap_words.len()).any(|i| self.cues.speech_cue_at(&gap_words, i).is_some());
        let quote_ended_mid_sentence = super::without_closing_marks(&self.text[..previous.range.end]).ends_with([',', '—', '–']);
        (gap_words.is_empty() || (attribution_only && (quote_ended_mid_sentence || gap_words.len() <= 8))).then_some(previous.utterance)
    }

    /// After `, “` a speaker and a cue ("Blinken told", "he said") show the mark
    /// closes the quote rather than opening a new one.
    fn attribution_follows(&self, mark: QuoteMark) -> bool {
        let before = self.text[..mark.range.start].trim_end();
        if !before.ends_with([',', '.', '?', '!']) {
            return false;
        }
        let line_end = self.text[mark.range.end..].find(['\n', '\r', '“', '”', '"']).map_or(self.text.len(), |i| mark.range.end + i);
        let after: Vec<&str> =
            self.article.words(self.text, TextRange::new(mark.range.end, line_end)).into_iter().take(5).map(|w| w.1).collect();
        // "shell-shocked. “And she said, ‘…’”": a sentence opening with a
        // conjunction is quoted speech that tells of speech, not an attribution.
        if after
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase) && super::attribution::is_in(self.vocabulary.speech_opening_conjunctions, w))
        {
            return false;
        }
        // “…, “said Clyburn: the cue may come first.
        (0..after.len()).any(|i| self.cues.speech_cue_at(&after, i).is_some())
    }
}
