//! Findings about a document, as plain data with byte ranges: what every edge
//! (editor diagnostics, CLI code frames, JSON lines) renders in its own way.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// Stable machine-readable codes; the string forms are part of the CLI's JSON
/// contract and the editors' diagnostic codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiagnosticCode {
    InvalidUtf8,
    ReadError,
    InvalidDate,
    UnclosedQuote,
    StrayQuoteMark,
    UnattributedQuote,
    AmbiguousAttribution,
    UnknownEntity,
    JsonSyntax,
    UnknownField,
    MissingField,
    InvalidValue,
    DuplicateId,
    DuplicateAlias,
    AliasTooLong,
    InvalidConfig,
    MalformedAnnotation,
    OrphanedAnnotation,
    UnknownLabel,
    UnknownEntityId,
    DanglingSpeaker,
    SpeakerCycle,
    ConflictingLabels,
    DuplicateAnnotationId,
    DocumentTooLarge,
    DuplicateArticleName,
    MissingFolder,
    OrphanedSidecar,
    AnnotationConflict,
    DraftKb,
    UnknownLanguage,
    MisusedQuoteMark,
}

impl DiagnosticCode {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::InvalidUtf8 => "invalid-utf8",
            DiagnosticCode::ReadError => "read-error",
            DiagnosticCode::InvalidDate => "invalid-date",
            DiagnosticCode::UnclosedQuote => "unclosed-quote",
            DiagnosticCode::StrayQuoteMark => "stray-quote-mark",
            DiagnosticCode::UnattributedQuote => "unattributed-quote",
            DiagnosticCode::AmbiguousAttribution => "ambiguous-attribution",
            DiagnosticCode::UnknownEntity => "unknown-entity",
            DiagnosticCode::JsonSyntax => "json-syntax",
            DiagnosticCode::UnknownField => "unknown-field",
            DiagnosticCode::MissingField => "missing-field",
            DiagnosticCode::InvalidValue => "invalid-value",
            DiagnosticCode::DuplicateId => "duplicate-id",
            DiagnosticCode::DuplicateAlias => "duplicate-alias",
            DiagnosticCode::AliasTooLong => "alias-too-long",
            DiagnosticCode::InvalidConfig => "invalid-config",
            DiagnosticCode::MalformedAnnotation => "malformed-annotation",
            DiagnosticCode::OrphanedAnnotation => "orphaned-annotation",
            DiagnosticCode::UnknownLabel => "unknown-label",
            DiagnosticCode::UnknownEntityId => "unknown-kb-id",
            DiagnosticCode::DanglingSpeaker => "dangling-speaker",
            DiagnosticCode::SpeakerCycle => "speaker-cycle",
            DiagnosticCode::ConflictingLabels => "conflicting-labels",
            DiagnosticCode::DuplicateAnnotationId => "duplicate-annotation-id",
            DiagnosticCode::DocumentTooLarge => "document-too-large",
            DiagnosticCode::DuplicateArticleName => "duplicate-article-name",
            DiagnosticCode::MissingFolder => "missing-folder",
            DiagnosticCode::OrphanedSidecar => "orphaned-sidecar",
            DiagnosticCode::AnnotationConflict => "annotation-conflict",
            DiagnosticCode::DraftKb => "draft-kb",
            DiagnosticCode::UnknownLanguage => "unknown-language",
            DiagnosticCode::MisusedQuoteMark => "misused-quote-mark",
        }
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DiagnosticCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A place elsewhere that explains a diagnostic (the other claimant of an alias,
/// the other candidate speaker).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelatedSpan {
    /// `None` means the same document.
    pub file: Option<PathBuf>,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    pub code: DiagnosticCode,
    pub message: String,
    pub related: Vec<RelatedSpan>,
}

impl Diagnostic {
    pub fn new(code: DiagnosticCode, severity: Severity, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic { range, severity, code, message: message.into(), related: Vec::new() }
    }

    pub fn error(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, range, message)
    }

    pub fn warning(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, range, message)
    }

    pub fn information(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Information, range, message)
    }

    pub fn hint(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Hint, range, message)
    }

    pub fn with_related(mut self, related: RelatedSpan) -> Diagnostic {
        self.related.push(related);
        self
    }
}
