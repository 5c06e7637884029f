//! The stored and printed shape of an analysis: the `analyze --format json`
//! contract, with every offset in Unicode code points.

use std::path::Path;

use serde::Serialize;

use super::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::{LineIndex, TextRange};

#[derive(Debug, Serialize)]
pub struct AnalysisReport {
    pub path: String,
    pub date: Option<String>,
    pub entities: Vec<EntityReport>,
    pub agreements: Vec<AgreementReport>,
    pub quotes: Vec<QuoteReport>,
    pub diagnostics: Vec<DiagnosticReport>,
}

#[derive(Debug, Serialize)]
pub struct EntityReport {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub id: String,
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct AgreementReport {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub id: String,
}

#[derive(Debug, Serialize)]
pub struct SpanReport {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct SpeakerReport {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QuoteReport {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: &'static str,
    /// Parts of one utterance (interrupted or multi-paragraph) share this number.
    pub utterance: usize,
    pub speaker: Option<SpeakerReport>,
    pub cue: Option<SpanReport>,
}

/// One diagnostic as `check --format json` prints it.
#[derive(Debug, Serialize)]
pub struct DiagnosticReport {
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

impl DiagnosticReport {
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
