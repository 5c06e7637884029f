//! The analysis of one article against a knowledge base: entity and agreement
//! mentions, quotations with their speakers, and the diagnostics that follow.
//! Pure: text in, plain data with byte offsets out.

pub mod incremental;
mod inflected_names;
pub mod manual;
pub mod mentions;
pub mod quotes;
pub mod report;
pub mod unknown_entities;

use chrono::NaiveDate;

use crate::article::{Article, Lang, LangSource, detect_lang};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::kb::KnowledgeBase;

pub use incremental::IncrementalAnalysis;
pub use mentions::{Mention, find_mentions};
pub use quotes::{QuoteKind, QuoteSpan, SpeakerMention, SpeechCues};
pub use unknown_entities::{UnknownEntity, find_unknown_entities};

/// Settings that shape the analysis, from `marginalia.toml`.
#[derive(Clone, Debug, Default)]
pub struct AnalysisConfig {
    /// Speech verbs, naming verbs and cues, built in plus the corpus's.
    pub speech_cues: SpeechCues,
    /// The corpus's default language (`[corpus] lang`), for articles without a
    /// `lang` header; `None` detects it from the text.
    pub language: Option<Lang>,
}

/// One article's analysis, in byte offsets of its text: plain data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The article's structure (header, paragraphs, sentences, quotation marks).
    pub article: Article,
    /// Mentions of people, organizations and places.
    pub entities: Vec<Mention>,
    /// Mentions of agreements.
    pub agreements: Vec<Mention>,
    /// Quotations, in text order, with their kind and speaker.
    pub quotes: Vec<QuoteSpan>,
    /// Capitalised names the knowledge base lacks.
    pub unknown_entities: Vec<UnknownEntity>,
    /// Findings about the article (quotes, names, the header).
    pub diagnostics: Vec<Diagnostic>,
    /// The language the quotations were read in, and where it came from.
    pub language: Lang,
    /// Where the language came from (header, corpus default, detection).
    pub language_source: LangSource,
}

impl Analysis {
    /// The article's date, from its header.
    pub fn date(&self) -> Option<NaiveDate> {
        self.article.date()
    }

    /// All KB mentions (entities and agreements), in text order.
    pub fn mentions(&self) -> impl Iterator<Item = &Mention> {
        let mut all: Vec<&Mention> = self.entities.iter().chain(&self.agreements).collect();
        all.sort_by_key(|m| m.range.start);
        all.into_iter()
    }

    /// The mention at `offset` (a cursor just after it counts).
    pub fn mention_at(&self, offset: usize) -> Option<&Mention> {
        self.entities.iter().chain(&self.agreements).find(|m| m.range.touches(offset))
    }

    /// The quotation at `offset`.
    pub fn quote_at(&self, offset: usize) -> Option<&QuoteSpan> {
        self.quotes.iter().find(|q| q.range.touches(offset))
    }
}

/// Documents larger than this are analysed for names only while they are open
/// in an editor: a full analysis of 100 MB would hold the server for minutes.
pub const LIVE_ANALYSIS_LIMIT: usize = 32 * 1024 * 1024;

/// The names in a very large document (the cheap part of the analysis), with an
/// information diagnostic saying what was left out and how to get it.
pub fn analyze_names_only(text: &str, kb: &KnowledgeBase) -> Analysis {
    let header = crate::article::parse_date_header(text);
    let body_start = header.as_ref().map_or(0, |h| h.range.end);
    let (agreements, entities): (Vec<Mention>, Vec<Mention>) =
        mentions::find_mentions_from(text, body_start, kb).into_iter().partition(|m| m.kind == crate::kb::EntryKind::Agreement);
    let message = format!(
        "this document is {:.1} MB: above {} MB only names are analysed while editing (no quotations, speakers or unknown names); run `marginalia check` for the full analysis",
        text.len() as f64 / 1e6,
        LIVE_ANALYSIS_LIMIT / (1024 * 1024)
    );
    let article = Article { header, ..Article::default() };
    Analysis {
        article,
        entities,
        agreements,
        diagnostics: vec![Diagnostic::information(DiagnosticCode::DocumentTooLarge, crate::text::TextRange::empty(0), message)],
        ..Analysis::default()
    }
}

/// The analysis with manual annotations applied on top of the rules.
pub fn analyze_annotated(
    text: &str,
    kb: &KnowledgeBase,
    config: &AnalysisConfig,
    annotations: &[crate::annotations::AnchoredAnnotation],
) -> Analysis {
    let mut analysis = analyze(text, kb, config);
    if !annotations.is_empty() {
        manual::apply_manual_annotations(&mut analysis, annotations, kb);
    }
    analysis
}

/// The rules' analysis of `text` against `kb` (no annotations applied).
pub fn analyze(text: &str, kb: &KnowledgeBase, config: &AnalysisConfig) -> Analysis {
    analyze_reusing(text, kb, config, None).0
}

/// The analysis of `text`, carrying over from `previous` (the analysis of an
/// earlier version of the text) what the edit between them left alone; the
/// facts returned let the next analysis do the same.
fn analyze_reusing(
    text: &str,
    kb: &KnowledgeBase,
    config: &AnalysisConfig,
    previous: Option<incremental::Previous<'_>>,
) -> (Analysis, incremental::Facts) {
    let article = match &previous {
        Some(p) => p.analysis.article.reparse(text, &p.diff),
        None => Article::parse(text),
    };
    let mut diagnostics = Vec::new();
    if let Some(header) = &article.header
        && header.has_date()
        && header.date.is_none()
    {
        diagnostics.push(Diagnostic::error(
            DiagnosticCode::InvalidDate,
            header.date_range,
            format!("date header \"{}\" is not a valid YYYY-MM-DD date", header.date_range.slice(text)),
        ));
    }
    if let Some(header) = &article.header
        && let Some(code) = header.lang_range
        && header.lang.is_none()
    {
        let known: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        diagnostics.push(Diagnostic::warning(
            DiagnosticCode::UnknownLanguage,
            code,
            format!(
                "unknown language \"{}\" (known: {}); the language is taken from the corpus or the text",
                code.slice(text),
                known.join(", ")
            ),
        ));
    }
    let (language, language_source) = article_language(text, &article, config);
    let alias_candidates = match &previous {
        Some(p) => mentions::carry_alias_candidates(text, kb, &p.facts.alias_candidates, &p.diff),
        None => kb.alias_index().candidates_in(text, crate::text::TextRange::new(0, text.len())),
    };
    let body_start = article.header.as_ref().map_or(0, |h| h.range.end);
    let (agreements, mut entities): (Vec<Mention>, Vec<Mention>) = mentions::mentions_from_candidates(&alias_candidates, body_start, kb)
        .into_iter()
        .partition(|m| m.kind == crate::kb::EntryKind::Agreement);
    let inflected = inflected_names::inflected_mentions(text, &article, language, kb, &entities);
    if !inflected.is_empty() {
        entities.extend(inflected);
        entities.sort_by_key(|m| m.range.start);
    }
    let all_mentions: Vec<Mention> = {
        let mut all = Vec::with_capacity(entities.len() + agreements.len());
        all.extend(entities.iter().cloned());
        all.extend(agreements.iter().cloned());
        all.sort_by_key(|m| m.range.start);
        all
    };
    // Facts found in another language read the text with other cues: not carried.
    let previous_quotes = previous.as_ref().filter(|p| p.analysis.language == language).map(|p| quotes::PreviousQuotes {
        same_paragraphs: incremental::same_paragraphs(p, &article, &entities, &agreements),
        article: &p.analysis.article,
        quotes: &p.analysis.quotes,
        facts: &p.facts.quotes,
    });
    let quote_result = quotes::extract_quotes_reusing(text, &article, &all_mentions, &config.speech_cues, language, previous_quotes);
    diagnostics.extend(quote_result.diagnostics);
    let previous_unknown = previous.as_ref().map(|p| unknown_entities::PreviousUnknown {
        same_paragraphs: &quote_result.same_paragraphs,
        article: &p.analysis.article,
        found: &p.analysis.unknown_entities,
    });
    let unknown_entities =
        unknown_entities::find_unknown_entities_reusing(text, &article, &all_mentions, &quote_result.quotes, language, previous_unknown);
    diagnostics.extend(unknown_entities.iter().map(UnknownEntity::diagnostic));
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    let analysis =
        Analysis { article, entities, agreements, quotes: quote_result.quotes, unknown_entities, diagnostics, language, language_source };
    (analysis, incremental::Facts { alias_candidates, quotes: quote_result.facts })
}

/// The language of an article: its `lang` header, else the corpus default, else
/// detected from its text, else English.
pub fn article_language(text: &str, article: &Article, config: &AnalysisConfig) -> (Lang, LangSource) {
    if let Some(lang) = article.header.as_ref().and_then(|h| h.lang) {
        return (lang, LangSource::Header);
    }
    if let Some(lang) = config.language {
        return (lang, LangSource::Corpus);
    }
    let body_start = article.header.as_ref().map_or(0, |h| h.range.end);
    match detect_lang(text, body_start) {
        Some(lang) => (lang, LangSource::Detected),
        None => (Lang::En, LangSource::Default),
    }
}
