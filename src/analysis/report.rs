//! The stored and printed shape of an analysis: the `analyze --format json`
//! contract, with every offset in Unicode code points.

use std::path::Path;

use serde::Serialize;

use super::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::{LineIndex, TextRange};

/// One article's analysis as `analyze --format json` prints it.
#[derive(Debug, Serialize)]
pub struct AnalysisReport {
    /// The article's path, as given.
    pub path: String,
    /// Its date (the header's), YYYY-MM-DD.
    pub date: Option<String>,
    /// Mentions of people, organizations and places.
    pub entities: Vec<EntityReport>,
    /// Mentions of agreements.
    pub agreements: Vec<AgreementReport>,
    /// Quotations, with their kind and speaker.
    pub quotes: Vec<QuoteReport>,
    /// The analysis's diagnostics.
    pub diagnostics: Vec<DiagnosticReport>,
}

/// A mention of a KB entity.
#[derive(Debug, Serialize)]
pub struct EntityReport {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The mention's text.
    pub text: String,
    /// The KB id it resolves to.
    pub id: String,
    /// `person`, `organization` or `place`.
    pub kind: &'static str,
}

/// A mention of a KB agreement.
#[derive(Debug, Serialize)]
pub struct AgreementReport {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The mention's text.
    pub text: String,
    /// The KB id it resolves to.
    pub id: String,
}

/// A stretch of text (a speech cue).
#[derive(Debug, Serialize)]
pub struct SpanReport {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The text.
    pub text: String,
}

/// Who said a quote.
#[derive(Debug, Serialize)]
pub struct SpeakerReport {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The speaker's words in the article.
    pub text: String,
    /// The KB id of the speaker, when the words name an entry.
    pub id: Option<String>,
}

/// A quotation (one part of an utterance).
#[derive(Debug, Serialize)]
pub struct QuoteReport {
    /// Start, in code points (at the opening mark).
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The quotation, marks included.
    pub text: String,
    /// `direct`, `partial` or `scare`.
    pub kind: &'static str,
    /// Parts of one utterance (interrupted or multi-paragraph) share this number.
    pub utterance: usize,
    /// Who said it, if found.
    pub speaker: Option<SpeakerReport>,
    /// The speech verb or cue that names the speaker.
    pub cue: Option<SpanReport>,
}

/// One diagnostic as `check --format json` prints it.
#[derive(Debug, Serialize)]
pub struct DiagnosticReport {
    /// The file's path, as shown.
    pub path: String,
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in code points.
    pub column: usize,
    /// How serious.
    pub severity: Severity,
    /// The diagnostic's public code (`unknown-entity`).
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl DiagnosticReport {
    /// `diagnostic` of the file at `path`, its offsets converted with `index`.
    pub fn new(path: &Path, index: &LineIndex, diagnostic: &Diagnostic) -> DiagnosticReport {
        let start = index.position(diagnostic.range.start);
        DiagnosticReport {
            path: path.display().to_string(),
            start: start.offset,
            end: index.code_point_offset(diagnostic.range.end),
            line: start.line,
            column: start.column,
            severity: diagnostic.severity,
            code: diagnostic.code.as_str(),
            message: diagnostic.message.clone(),
        }
    }
}

impl AnalysisReport {
    /// The report of `analysis` of `text`, the article at `path`.
    pub fn new(path: &Path, text: &str, analysis: &Analysis) -> AnalysisReport {
        let index = LineIndex::new(text);
        let span = |r: TextRange| SpanReport {
            start: index.code_point_offset(r.start),
            end: index.code_point_offset(r.end),
            text: r.slice(text).to_string(),
        };
        AnalysisReport {
            path: path.display().to_string(),
            date: analysis.date().map(|d| d.to_string()),
            entities: analysis
                .entities
                .iter()
                .map(|m| {
                    let s = span(m.range);
                    EntityReport { start: s.start, end: s.end, text: s.text, id: m.id.clone(), kind: m.kind.as_str() }
                })
                .collect(),
            agreements: analysis
                .agreements
                .iter()
                .map(|m| {
                    let s = span(m.range);
                    AgreementReport { start: s.start, end: s.end, text: s.text, id: m.id.clone() }
                })
                .collect(),
            quotes: analysis
                .quotes
                .iter()
                .map(|q| {
                    let s = span(q.range);
                    QuoteReport {
                        start: s.start,
                        end: s.end,
                        text: s.text,
                        kind: q.kind.as_str(),
                        utterance: q.utterance,
                        speaker: q.speaker.as_ref().map(|sp| {
                            let s = span(sp.range);
                            SpeakerReport { start: s.start, end: s.end, text: s.text, id: sp.entity.clone() }
                        }),
                        cue: q.cue.map(span),
                    }
                })
                .collect(),
            diagnostics: analysis.diagnostics.iter().map(|d| DiagnosticReport::new(path, &index, d)).collect(),
        }
    }
}
