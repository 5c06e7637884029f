//! One annotation: a labelled span of an article, addressed by code-point
//! offsets plus a text-quote selector (exact, prefix, suffix) that lets it find
//! its place again when the text changes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::selector_for;
use crate::text::{LineIndex, TextRange};

/// What is annotated. Entities carry a label from the corpus's label set and may
/// link to the knowledge base; quotes carry one of [`QUOTE_LABELS`] and a speaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    /// A span that names something (a person, an organization, ...).
    Entity,
    /// A quotation, with its speaker.
    Quote,
}

/// Labels of quote annotations: an attributed quotation, a scare quote (no
/// speech event), a quotation from an anonymous source.
pub const QUOTE_LABELS: [&str; 3] = ["QUOTE", "SCARE", "ANONYMOUS"];

/// How settled an annotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Proposed by marginalia's rules, not yet reviewed.
    Suggested,
    /// Reviewed and kept: it wins over the rules.
    Accepted,
    /// Reviewed and refused: kept in the file, counted nowhere.
    Rejected,
}

impl Status {
    /// The lower-case name stored in the sidecar.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Suggested => "suggested",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

/// The stored form. Field order here is the order on disk; fields this version
/// does not know are kept in `extra` and written back unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Unique in the sidecar (see [`new_annotation_id`]).
    pub id: String,
    /// Entity or quote.
    pub kind: AnnotationKind,
    /// A label of the corpus's set, or one of [`QUOTE_LABELS`].
    pub label: String,
    /// Code points, end exclusive.
    pub start: usize,
    /// Code points, exclusive.
    pub end: usize,
    /// The annotated text (a W3C TextQuoteSelector's `exact`).
    pub exact: String,
    /// Up to 32 code points before it, to find it again after edits.
    #[serde(default)]
    pub prefix: String,
    /// Up to 32 code points after it.
    #[serde(default)]
    pub suffix: String,
    /// Knowledge-base id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// For quotes: the speaker, as an annotation id or a knowledge-base id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Who made it (or `marginalia` for a suggestion).
    pub annotator: String,
    /// RFC 3339 timestamp.
    pub created: String,
    /// Suggested, accepted or rejected.
    pub status: Status,
    /// Fields this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A fresh id: stable once written, unique across annotators working in parallel
/// branches (it hashes who, what, where and when), short enough to read in a diff.
pub fn new_annotation_id(annotator: &str, kind: AnnotationKind, start: usize, end: usize, created: &str) -> String {
    use std::hash::{Hash, Hasher};
    // FNV-1a: stable across Rust versions, unlike DefaultHasher.
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100000001b3);
            }
        }
    }
    let mut hasher = Fnv(0xcbf29ce484222325);
    (annotator, kind as u8, start, end, created).hash(&mut hasher);
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed).hash(&mut hasher);
    std::process::id().hash(&mut hasher);
    format!("a{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

/// Who makes an annotation, when, and how settled it is.
#[derive(Clone, Copy, Debug)]
pub struct Authorship<'a> {
    /// Who.
    pub annotator: &'a str,
    /// RFC 3339 timestamp.
    pub created: &'a str,
    /// Suggested, accepted or rejected.
    pub status: Status,
}

impl Annotation {
    /// A new annotation on the byte range `range` of `text`, with its code-point
    /// offsets and text-quote selector; `index` is `text`'s line index, built once
    /// per text by the caller.
    pub fn on_span(text: &str, index: &LineIndex, range: TextRange, kind: AnnotationKind, label: &str, by: Authorship) -> Annotation {
        let (exact, prefix, suffix) = selector_for(text, range);
        let (start, end) = (index.code_point_offset(range.start), index.code_point_offset(range.end));
        Annotation {
            id: new_annotation_id(by.annotator, kind, start, end, by.created),
            kind,
            label: label.to_string(),
            start,
            end,
            exact,
            prefix,
            suffix,
            entity: None,
            speaker: None,
            annotator: by.annotator.to_string(),
            created: by.created.to_string(),
            status: by.status,
            extra: Default::default(),
        }
    }

    /// Whether it counts (not rejected).
    pub fn is_active(&self) -> bool {
        self.status != Status::Rejected
    }
}
