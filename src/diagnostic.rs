//! Findings about a document, as plain data with byte ranges: what every edge
//! (editor diagnostics, CLI code frames, JSON lines) renders in its own way.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::text::TextRange;

/// How serious a finding is; `check` fails on errors (and on warnings with
/// `--deny warnings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something is wrong and must be fixed.
    Error,
    /// Probably wrong; worth a look.
    Warning,
    /// A note (an unknown name, a conflict between annotators).
    Information,
    /// A faint suggestion.
    Hint,
}

impl Severity {
    /// The lower-case name printed and sent (`error`, `warning`, ...).
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
    /// A file is not UTF-8 (`invalid-utf8`, at the first bad byte).
    InvalidUtf8,
    /// A file cannot be read (`read-error`).
    ReadError,
    /// An article's `date` header is not a valid YYYY-MM-DD date (`invalid-date`).
    InvalidDate,
    /// An opening quotation mark with no closing one (`unclosed-quote`).
    UnclosedQuote,
    /// A closing quotation mark with no opening one (`stray-quote-mark`).
    StrayQuoteMark,
    /// A direct quote with no speaker found (`unattributed-quote`).
    UnattributedQuote,
    /// A quote two speakers could have said (`ambiguous-attribution`).
    AmbiguousAttribution,
    /// A capitalised name the knowledge base lacks (`unknown-entity`).
    UnknownEntity,
    /// A KB file's JSON does not parse there (`json-syntax`).
    JsonSyntax,
    /// A KB entry has a field marginalia does not know (`unknown-field`).
    UnknownField,
    /// A KB entry lacks a required field (`missing-field`).
    MissingField,
    /// A KB field has a value of the wrong type or form (`invalid-value`).
    InvalidValue,
    /// Two KB entries share an id (`duplicate-id`).
    DuplicateId,
    /// Two KB entries claim one alias (`duplicate-alias`).
    DuplicateAlias,
    /// An alias over 200 characters, kept but not searched for (`alias-too-long`).
    AliasTooLong,
    /// `marginalia.toml` is not valid (`invalid-config`).
    InvalidConfig,
    /// A sidecar line is not a valid annotation record (`malformed-annotation`).
    MalformedAnnotation,
    /// An annotation whose text cannot be found with confidence (`orphaned-annotation`).
    OrphanedAnnotation,
    /// An annotation's label is not in the corpus's label set (`unknown-label`).
    UnknownLabel,
    /// An annotation links to an id the KB lacks (`unknown-kb-id`).
    UnknownEntityId,
    /// A quote annotation's speaker is neither an annotation nor a KB id (`dangling-speaker`).
    DanglingSpeaker,
    /// Quote annotations name each other as speakers in a cycle (`speaker-cycle`).
    SpeakerCycle,
    /// One annotator gave one span two labels (`conflicting-labels`).
    ConflictingLabels,
    /// Two sidecar records share an id (`duplicate-annotation-id`).
    DuplicateAnnotationId,
    /// An open article too large for a full live analysis (`document-too-large`).
    DocumentTooLarge,
    /// Another article of the corpus has this file name (`duplicate-article-name`).
    DuplicateArticleName,
    /// A folder `marginalia.toml` names does not exist (`missing-folder`).
    MissingFolder,
    /// A sidecar whose article is gone (`orphaned-sidecar`).
    OrphanedSidecar,
    /// Annotators disagree on a span (`annotation-conflict`).
    AnnotationConflict,
    /// A KB file marked as a draft, whose entries are not used (`draft-kb`).
    DraftKb,
    /// An article's `lang` header names a language marginalia lacks (`unknown-language`).
    UnknownLanguage,
    /// A quotation mark of another language's convention (`misused-quote-mark`).
    MisusedQuoteMark,
}

impl DiagnosticCode {
    /// The public code, in kebab case (`unknown-entity`).
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
    /// Where, in bytes of that file.
    pub range: TextRange,
    /// What is there.
    pub message: String,
}

/// One finding: what (`code`, `message`), where (`range`, in bytes of the
/// document), how serious, and related places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The bytes it is about (empty for a point, such as the file's start).
    pub range: TextRange,
    /// How serious it is.
    pub severity: Severity,
    /// Which kind of finding it is.
    pub code: DiagnosticCode,
    /// The sentence shown to the user.
    pub message: String,
    /// Places elsewhere that explain it.
    pub related: Vec<RelatedSpan>,
}

impl Diagnostic {
    /// A diagnostic of any severity, with no related places.
    pub fn new(code: DiagnosticCode, severity: Severity, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic { range, severity, code, message: message.into(), related: Vec::new() }
    }

    /// An error.
    pub fn error(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, range, message)
    }

    /// A warning.
    pub fn warning(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, range, message)
    }

    /// An information (a note).
    pub fn information(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Information, range, message)
    }

    /// A hint.
    pub fn hint(code: DiagnosticCode, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Hint, range, message)
    }

    /// The same diagnostic with one more related place.
    pub fn with_related(mut self, related: RelatedSpan) -> Diagnostic {
        self.related.push(related);
        self
    }
}
