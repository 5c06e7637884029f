//! Quotations in an article: found from their marks, classified (direct, partial,
//! scare) and attributed to a speaker through speech cues.
//!
//! The steps, one module each:
//! - `marks`: the article's quotation marks as pairing should see them
//!   (typewriter `''` as one double mark, marks inside markup tags dropped);
//! - `pairing`: marks paired into quote parts and utterances, with the
//!   conventions of news writing and `unclosed-quote`/`stray-quote-mark`;
//! - `sentences`: sentence ranges that do not end after "Mr." or "U.S.";
//! - `cues`: the speech and naming verbs of each language plus the corpus's
//!   own, indexed by first word;
//! - `attribution`: the speaker of each part, and how it was found, reading
//!   sentences with the closed word lists of `vocabulary`;
//! - `kind`: direct, partial or scare;
//! - `rules`: the names of the rules, and the switch that proves each needed;
//! - `rules_de`: the German rules (capitalised nouns, the verb second), one
//!   function each, called from `kind` and `attribution`;
//! - `vocabulary`: every word list, one module a language (en, de, fr, ru, uk).
//!
//! Everything reads the article in its language (`crate::article::Lang`): the
//! marks that pair („…“, «…», »…«), the cues and the pronouns.
//!
//! Every rule is named (`rules`): the quote carries the rule that decided its
//! kind and the one that found its speaker, and hovers and fixtures show them.
//!
//! Measured on brat gold with `cargo run --release --example eval` (see
//! `tests/gold/README.md` for the figures).

#![warn(missing_docs)]

mod attribution;
mod cues;
mod kind;
mod marks;
mod pairing;
pub mod rules;
mod rules_de;
mod sentences;
mod vocabulary;

use serde::Serialize;

use super::Mention;
use crate::article::{Article, Lang};
use crate::diagnostic::{Diagnostic, DiagnosticCode, RelatedSpan};
use crate::text::{RangeWalk, TextMove, TextRange};

use attribution::AttributionFacts;
pub use attribution::AttributionVia;
pub use cues::SpeechCues;
pub use pairing::QuotePart;
pub use rules::{AttributionRule, KindRule};

/// Direct, partial or scare: how much of a sentence a quote is, and whether
/// anybody is said to speak it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// A full quoted sentence or clause.
    Direct,
    /// Quoted words inside a reported sentence.
    Partial,
    /// A short phrase used as a term or title, with no speech event.
    Scare,
}

impl QuoteKind {
    /// The kind's name in diagnostics and exports (`direct`).
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Scare => "scare",
        }
    }
}

/// The mention that attributes a quote, and the KB entry it resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerMention {
    /// The mention in the text (a pronoun stays a pronoun).
    pub range: TextRange,
    /// KB id, when the speaker (or a pronoun's antecedent) is in the KB.
    pub entity: Option<String>,
    /// For pronouns and inherited speakers: the mention they resolve to.
    pub antecedent: Option<TextRange>,
}

/// One part of a quotation, marks included. An utterance interrupted by its
/// attribution, or running over several paragraphs, has several parts sharing
/// one `utterance` number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteSpan {
    /// The part, marks included.
    pub range: TextRange,
    /// The utterance the part belongs to, numbered in text order.
    pub utterance: usize,
    /// Direct, partial or scare.
    pub kind: QuoteKind,
    /// The rule that decided [`Self::kind`].
    pub kind_rule: KindRule,
    /// The closing mark is missing; the span ends where the quotation evidently stops.
    pub unclosed: bool,
    /// Who speaks it, if anybody was found.
    pub speaker: Option<SpeakerMention>,
    /// The speech cue that names the speaker ("said", a colon, a dash).
    pub cue: Option<TextRange>,
    /// How the speaker was found, broadly ([`Self::rule`] says exactly).
    pub via: Option<AttributionVia>,
    /// The rule that found the speaker (none for a manual annotation).
    pub rule: Option<AttributionRule>,
    /// Other plausible speakers, best first (for code actions and ambiguity).
    pub candidates: Vec<SpeakerMention>,
    /// The best two candidates are equally good.
    pub ambiguous: bool,
}

impl QuoteSpan {
    /// The quoted words without the marks.
    pub fn content_range(&self, text: &str) -> TextRange {
        let inner = self.range.slice(text);
        let lead = mark_len(inner, true);
        let trail = if self.unclosed { 0 } else { mark_len(&inner[lead..], false) };
        TextRange::new(self.range.start + lead, self.range.end - trail)
    }
}

/// Length of the quotation mark at the start (or end) of `s`; the typewriter
/// `''` counts as one mark.
fn mark_len(s: &str, at_start: bool) -> usize {
    let doubled = if at_start { s.starts_with("''") } else { s.ends_with("''") };
    if doubled {
        return 2;
    }
    let c = if at_start { s.chars().next() } else { s.chars().next_back() };
    c.filter(|c| is_mark(*c)).map_or(0, char::len_utf8)
}

/// Most closing quotation marks in a row that [`without_closing_marks`] looks back over.
const MAX_CLOSING_MARKS: usize = 8;

/// `text` without the closing quotation marks it ends with (`”`, `"`, `’`,
/// `'`, `“`, `»` and the like: [`is_closing_glyph`]), as `trim_end_matches` gives it, to see how the quoted words ended
/// ("…,” he said). After more than [`MAX_CLOSING_MARKS`] marks in a row, ""
/// instead: the words end nowhere near, and reading back over the whole run from
/// every quote made a file of nothing but quotation marks quadratic.
pub(crate) fn without_closing_marks(text: &str) -> &str {
    for (count, (i, c)) in text.char_indices().rev().enumerate() {
        if !is_closing_glyph(c) {
            return &text[..i + c.len_utf8()];
        }
        if count == MAX_CLOSING_MARKS {
            return "";
        }
    }
    ""
}

fn is_mark(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '"' | '\'' | '„' | '‚' | '«' | '»' | '‹' | '›')
}

/// Glyphs that may close a quotation in some language: `”` and `’` in
/// English, `“` and `‘` in German, `»`/`«` and `›`/`‹` either way round.
fn is_closing_glyph(c: char) -> bool {
    matches!(c, '”' | '"' | '’' | '\'' | '“' | '‘' | '»' | '«' | '›' | '‹')
}

/// The quotation parts of an article and the diagnostics about them.
pub struct QuoteExtraction {
    /// The parts in text order.
    pub quotes: Vec<QuoteSpan>,
    /// Unclosed quotes, stray marks, unattributed and ambiguous quotes.
    pub diagnostics: Vec<Diagnostic>,
    /// For each paragraph, the previous analysis's paragraph with the same text,
    /// KB mentions and quotation parts, when there was a previous analysis.
    pub(crate) same_paragraphs: Vec<Option<usize>>,
    pub(crate) facts: QuoteFacts,
}

/// The previous analysis, as quotation extraction carries it over.
pub(crate) struct PreviousQuotes<'a> {
    /// For each paragraph, the previous paragraph with the same text and KB mentions.
    pub same_paragraphs: Vec<Option<usize>>,
    pub article: &'a Article,
    pub quotes: &'a [QuoteSpan],
    pub facts: &'a QuoteFacts,
}

/// Finds, attributes and classifies the quotations of `article`, read in `lang`.
pub fn extract_quotes(text: &str, article: &Article, mentions: &[Mention], cues: &SpeechCues, lang: Lang) -> QuoteExtraction {
    extract_quotes_reusing(text, article, mentions, cues, lang, None)
}

/// [`extract_quotes`], carrying over what `previous` found in paragraphs an
/// edit left alone.
pub(crate) fn extract_quotes_reusing(
    text: &str,
    article: &Article,
    mentions: &[Mention],
    cues: &SpeechCues,
    lang: Lang,
    previous: Option<PreviousQuotes<'_>>,
) -> QuoteExtraction {
    let cues = cues.index_for(lang);
    let vocabulary = cues.vocabulary();
    let sentences = sentences::Sentences::new(text, article, vocabulary);
    let pairing = pairing::pair_quote_marks(text, article, cues, vocabulary);
    let mut diagnostics = pairing.diagnostics;
    let mut quotes: Vec<QuoteSpan> = pairing
        .parts
        .iter()
        .map(|part| QuoteSpan {
            range: part.range,
            utterance: part.utterance,
            kind: QuoteKind::Direct,
            kind_rule: KindRule::InsideReport,
            unclosed: part.unclosed,
            speaker: None,
            cue: None,
            via: None,
            rule: None,
            candidates: Vec::new(),
            ambiguous: false,
        })
        .collect();
    let (same_paragraphs, moved_quotes) = match &previous {
        Some(p) => same_quote_parts(article, &quotes, p),
        None => (Vec::new(), Vec::new()),
    };
    let carried = previous.as_ref().map(|p| attribution::CarriedAttribution {
        same_paragraphs: &same_paragraphs,
        moved_quotes: &moved_quotes,
        old_article: p.article,
        facts: &p.facts.attribution,
    });
    let attribution = attribution::attribute_speakers(text, article, &sentences, mentions, cues, &mut quotes, carried.as_ref());
    let mut classified = Vec::with_capacity(quotes.len());
    for (i, quote) in quotes.iter_mut().enumerate() {
        let reads = Classification::reads(quote);
        (quote.kind, quote.kind_rule) = previous
            .as_ref()
            .and_then(|p| p.carried_kind(moved_quotes.get(i).copied().flatten()?, reads))
            .unwrap_or_else(|| kind::classify(text, article, &sentences, cues, quote));
        classified.push(Classification { kind: quote.kind, kind_rule: quote.kind_rule, ..reads });
        if quote.kind == QuoteKind::Scare {
            // A label or title is nobody's words; the candidates stay for code actions.
            quote.speaker = None;
            quote.cue = None;
            quote.via = None;
            quote.rule = None;
            quote.ambiguous = false;
        }
    }
    for quote in &quotes {
        if quote.kind == QuoteKind::Scare {
            continue;
        }
        if quote.speaker.is_none() {
            diagnostics.push(Diagnostic::warning(
                DiagnosticCode::UnattributedQuote,
                quote.range,
                format!("{} quote has no speaker: no one is said to have spoken it", quote.kind.as_str()),
            ));
        } else if let [first, second, ..] = quote.candidates.as_slice()
            && quote.ambiguous
        {
            diagnostics.push(
                Diagnostic::information(DiagnosticCode::AmbiguousAttribution, quote.range, "two speakers fit this quote equally well")
                    .with_related(RelatedSpan { file: None, range: first.range, message: "candidate speaker".into() })
                    .with_related(RelatedSpan { file: None, range: second.range, message: "candidate speaker".into() }),
            );
        }
    }
    QuoteExtraction { quotes, diagnostics, same_paragraphs, facts: QuoteFacts { attribution, classified } }
}

/// What quotation extraction found that the analysis after an edit can carry over.
#[derive(Debug, Default)]
pub(crate) struct QuoteFacts {
    attribution: AttributionFacts,
    /// By quote part.
    classified: Vec<Classification>,
}

/// What [`kind::classify`] reads of a quote part besides the text of its
/// paragraph, and the kind it decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Classification {
    range: TextRange,
    unclosed: bool,
    has_speaker: bool,
    cue: Option<TextRange>,
    kind: QuoteKind,
    kind_rule: KindRule,
}

impl Classification {
    fn reads(quote: &QuoteSpan) -> Classification {
        Classification {
            range: quote.range,
            unclosed: quote.unclosed,
            has_speaker: quote.speaker.is_some(),
            cue: quote.cue,
            kind: quote.kind,
            kind_rule: quote.kind_rule,
        }
    }
}

impl PreviousQuotes<'_> {
    /// The kind found before for a quote part that reads the same as then: in an
    /// unchanged paragraph, with the same attribution and a cue (if any) inside
    /// the paragraph.
    fn carried_kind(&self, moved: MovedQuote, now: Classification) -> Option<(QuoteKind, KindRule)> {
        let back = moved.forward.inverse();
        if now.cue.is_some_and(|cue| !moved.forward.apply(moved.old_paragraph).contains_range(cue)) {
            return None;
        }
        let then = self.facts.classified.get(moved.old_index)?;
        let same = then.range == back.apply(now.range)
            && then.unclosed == now.unclosed
            && then.has_speaker == now.has_speaker
            && then.cue == now.cue.map(|cue| back.apply(cue));
        same.then_some((then.kind, then.kind_rule))
    }
}

/// A quote part in a paragraph the edit left alone, and where it was before.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MovedQuote {
    /// Its index among the previous analysis's quote parts.
    pub old_index: usize,
    /// Its paragraph, where it was before.
    pub old_paragraph: TextRange,
    /// How that paragraph moved.
    pub forward: TextMove,
}

/// Narrows `previous.same_paragraphs` to paragraphs whose quotation parts are
/// also the same, moved with the paragraph, and tells where each quote part of
/// those paragraphs was before. Both quote lists are walked once.
fn same_quote_parts(
    article: &Article,
    quotes: &[QuoteSpan],
    previous: &PreviousQuotes<'_>,
) -> (Vec<Option<usize>>, Vec<Option<MovedQuote>>) {
    let mut moved = vec![None; quotes.len()];
    let start = |q: &QuoteSpan| q.range.start;
    let (mut new_walk, mut old_walk) = (RangeWalk::new(quotes, start), RangeWalk::new(previous.quotes, start));
    let same = article
        .paragraphs
        .iter()
        .zip(&previous.same_paragraphs)
        .map(|(paragraph, &same)| {
            let old = same?;
            let old_paragraph = previous.article.paragraphs[old].range;
            let forward = TextMove { from: old_paragraph.start, to: paragraph.range.start };
            let new_parts = new_walk.starting_inside(paragraph.range);
            let old_parts = old_walk.starting_inside(old_paragraph);
            let alike = new_parts.len() == old_parts.len()
                && quotes[new_parts.clone()]
                    .iter()
                    .zip(&previous.quotes[old_parts.clone()])
                    .all(|(n, o)| n.range == forward.apply(o.range));
            if !alike {
                return None;
            }
            for (i, old_index) in new_parts.zip(old_parts) {
                moved[i] = Some(MovedQuote { old_index, old_paragraph, forward });
            }
            Some(old)
        })
        .collect();
    (same, moved)
}
