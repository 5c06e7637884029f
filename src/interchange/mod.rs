//! Converters between marginalia's standoff annotations and the formats other
//! annotation tools and training pipelines read: brat standoff, CoNLL-2003 BIO,
//! Prodigy/doccano JSONL, spaCy v3 training JSONL, WebAnno TSV 3.3 and W3C Web
//! Annotation JSON-LD; and imports from brat and JSONL back into sidecars; and
//! articles from news datasets (JSON lines, CSV) for `marginalia ingest`.
//!
//! Everything here is pure: text and annotations in, strings or plain data out.
//! Offsets in every format are Unicode code points (WebAnno TSV excepted: it
//! counts UTF-16 code units, as INCEpTION does); the byte offsets the core
//! works in are converted with [`crate::text::LineIndex`]. The mapping of each
//! format is documented in `docs/formats.md`.

pub mod articles;
pub mod brat;
pub mod conll;
mod import;
pub mod jsonl;
pub mod spacy;
pub mod w3c;
pub mod webanno;

pub use import::{ImportedSpan, MergeOutcome, SpeakerRef, merge_imported};

use std::collections::BTreeMap;

use unicode_segmentation::UnicodeSegmentation;

use crate::annotations::{Anchor, Annotation, AnnotationKind, Status, anchor_all};
use crate::text::{LineIndex, TextRange};

/// The knowledge-base namespace written in brat `N` lines and WebAnno identifiers.
pub const KB_NAMESPACE: &str = "marginalia_kb";

/// One article to export: its name (file stem), its id, its text and its annotations.
#[derive(Clone, Copy, Debug)]
pub struct ExportDocument<'a> {
    /// The file stem (brat and WebAnno files are named by it).
    pub name: &'a str,
    /// The article's path relative to the corpus root, `/`-separated: unique
    /// where names are not (`articles/000_x.txt`, `more/000_x.txt`), so it is
    /// the document's id in every format that has one.
    pub source: &'a str,
    /// The article's text.
    pub text: &'a str,
    /// The annotations to export.
    pub annotations: &'a [Annotation],
}

/// Which annotations leave the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Only reviewed, accepted annotations: the training-data default.
    Accepted,
    /// Accepted and suggested ones. Rejected annotations are never exported:
    /// they record that a span is *not* what was suggested.
    All,
    /// The curated layer: accepted curated records only (they settle the
    /// annotators' records, see `annotations::curation`).
    Curated,
}

/// The annotations an export includes: by status, and by annotator when one is
/// named. A quote whose speaker annotation is left out keeps the speaker's
/// knowledge-base id, if it has one; otherwise the link is dropped and noted,
/// since no format could resolve it.
pub fn select_for_export(annotations: &[Annotation], status: StatusFilter, annotator: Option<&str>, notes: &mut Notes) -> Vec<Annotation> {
    let included = |a: &Annotation| {
        let by_status = match status {
            StatusFilter::Accepted => a.status == Status::Accepted,
            StatusFilter::All => a.status != Status::Rejected,
            StatusFilter::Curated => a.status == Status::Accepted && crate::annotations::curation::is_curated(a),
        };
        by_status && annotator.is_none_or(|name| a.annotator == name)
    };
    let mut selected: Vec<Annotation> = annotations.iter().filter(|a| included(a)).cloned().collect();
    for a in &mut selected {
        let Some(speaker) = a.speaker.as_deref() else { continue };
        match annotations.iter().find(|other| other.id == speaker) {
            Some(other) if !included(other) => {
                if other.entity.is_none() {
                    notes.add("speaker links to annotations left out of the export (no KB id to keep)");
                }
                a.speaker = other.entity.clone();
            }
            _ => {}
        }
    }
    selected
}

/// Where a quote's speaker link points in an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpeakerTarget<'a> {
    /// An exported annotation, by id.
    Annotation(&'a str),
    /// A knowledge-base id.
    KnowledgeBase(&'a str),
}

/// Resolves `speaker` among the placed annotations: a placed annotation, else
/// (for an orphaned speaker annotation) its KB id, else the KB id it is.
pub fn speaker_target<'a>(
    doc: &ExportDocument<'a>,
    placed: &[PlacedAnnotation],
    speaker: &'a str,
    notes: &mut Notes,
) -> Option<SpeakerTarget<'a>> {
    if placed.iter().any(|p| p.annotation.id == speaker) {
        return Some(SpeakerTarget::Annotation(speaker));
    }
    match doc.annotations.iter().find(|a| a.id == speaker) {
        Some(orphan) => {
            let entity = orphan.entity.as_deref().map(SpeakerTarget::KnowledgeBase);
            if entity.is_none() {
                notes.add("speaker links to orphaned annotations dropped");
            }
            entity
        }
        None => Some(SpeakerTarget::KnowledgeBase(speaker)),
    }
}

/// An annotation placed in the current text: its byte range and code-point range.
#[derive(Clone, Debug)]
pub struct PlacedAnnotation<'a> {
    /// The annotation.
    pub annotation: &'a Annotation,
    /// Its bytes in the current text.
    pub range: TextRange,
    /// Its start, in code points of the current text.
    pub start: usize,
    /// Its end (exclusive), in code points.
    pub end: usize,
}

/// What an export could not carry over, counted by reason (for a summary line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes(pub BTreeMap<String, usize>);

impl Notes {
    /// Counts one more of `reason`.
    pub fn add(&mut self, reason: impl Into<String>) {
        *self.0.entry(reason.into()).or_default() += 1;
    }

    /// Adds another set of notes.
    pub fn extend(&mut self, other: Notes) {
        for (reason, count) in other.0 {
            *self.0.entry(reason).or_default() += count;
        }
    }

    /// Whether nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `"3 × reason; 1 × other"`.
    pub fn summary(&self) -> String {
        self.0.iter().map(|(reason, count)| format!("{count} × {reason}")).collect::<Vec<_>>().join("; ")
    }
}

/// Places every annotation in `text` (re-anchoring those whose text moved), sorted
/// by start, longer first, then label; orphaned ones are left out and noted, since
/// no format can say where they are.
pub fn place_annotations<'a>(text: &str, annotations: &'a [Annotation], notes: &mut Notes) -> Vec<PlacedAnnotation<'a>> {
    let index = LineIndex::new(text);
    let mut placed: Vec<PlacedAnnotation<'a>> = anchor_all(text, annotations)
        .into_iter()
        .zip(annotations)
        .filter_map(|(anchored, annotation)| match (anchored.anchor, anchored.range) {
            (Anchor::Orphaned, _) | (_, None) => {
                notes.add("orphaned annotations left out (their text is gone)");
                None
            }
            (_, Some(range)) => Some(PlacedAnnotation {
                annotation,
                range,
                start: index.code_point_offset(range.start),
                end: index.code_point_offset(range.end),
            }),
        })
        .collect();
    placed.sort_by(|a, b| {
        (a.start, std::cmp::Reverse(a.end), &a.annotation.label, &a.annotation.id).cmp(&(
            b.start,
            std::cmp::Reverse(b.end),
            &b.annotation.label,
            &b.annotation.id,
        ))
    });
    placed
}

/// Entity spans that token-level formats can hold: no two overlap. Of
/// overlapping spans the earlier (then the longer) wins; the rest are noted.
pub fn non_overlapping_entities<'a, 'b>(placed: &'b [PlacedAnnotation<'a>], notes: &mut Notes) -> Vec<&'b PlacedAnnotation<'a>> {
    let mut kept: Vec<&PlacedAnnotation> = Vec::new();
    for p in placed.iter().filter(|p| p.annotation.kind == AnnotationKind::Entity) {
        if kept.last().is_some_and(|last| last.range.overlaps(p.range)) {
            notes.add("overlapping entity spans left out (the format allows one label per token)");
        } else {
            kept.push(p);
        }
    }
    kept
}

/// Tokens for the token-based formats (CoNLL, WebAnno): UAX #29 word-boundary
/// segments that are not white space, so punctuation is a token of its own.
pub fn tokens(text: &str) -> Vec<TextRange> {
    text.split_word_bound_indices()
        .filter(|(_, segment)| !segment.chars().all(char::is_whitespace))
        .map(|(at, segment)| TextRange::new(at, at + segment.len()))
        .collect()
}

/// Sentences as token groups: the article's sentences, with anything outside
/// them (the date header) as a group of its own.
pub fn sentence_token_groups(text: &str) -> Vec<Vec<TextRange>> {
    let article = crate::article::Article::parse(text);
    let mut groups: Vec<Vec<TextRange>> = Vec::new();
    let mut current: Option<Option<usize>> = None;
    for token in tokens(text) {
        let sentence = article.sentence_at(token.start);
        if current != Some(sentence) {
            groups.push(Vec::new());
            current = Some(sentence);
        }
        groups.last_mut().expect("pushed above").push(token);
    }
    groups
}

/// The byte range of a code-point span (clamped to the text).
pub(crate) fn code_point_range(index: &LineIndex, start: usize, end: usize) -> TextRange {
    TextRange::new(index.byte_offset(start), index.byte_offset(end.max(start)))
}

/// The kind an imported label implies: quote labels are quotes, the rest entities.
pub fn kind_for_label(label: &str) -> AnnotationKind {
    if crate::annotations::QUOTE_LABELS.contains(&label) { AnnotationKind::Quote } else { AnnotationKind::Entity }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::annotations::{Annotation, AnnotationKind, Authorship, Status};
    use crate::text::{LineIndex, TextRange};

    /// An accepted annotation on the first occurrence of `exact` in `text`.
    pub fn annotate(text: &str, id: &str, kind: AnnotationKind, label: &str, exact: &str) -> Annotation {
        let at = text.find(exact).unwrap_or_else(|| panic!("{exact:?} not in text"));
        let range = TextRange::new(at, at + exact.len());
        let by = Authorship { annotator: "alice", created: "2026-01-01T00:00:00Z", status: Status::Accepted };
        Annotation { id: id.into(), ..Annotation::on_span(text, &LineIndex::new(text), range, kind, label, by) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speaker_left_out_of_the_export_leaves_its_kb_id() {
        use crate::annotations::AnnotationKind;
        use test_support::annotate;
        let text = "“Yes,” Lavrov said, and Putin agreed.";
        let mut lavrov = annotate(text, "p1", AnnotationKind::Entity, "PERSON", "Lavrov");
        lavrov.entity = Some("sergey-lavrov".into());
        lavrov.status = Status::Suggested;
        let mut putin = annotate(text, "p2", AnnotationKind::Entity, "PERSON", "Putin");
        putin.status = Status::Suggested;
        let mut quote = annotate(text, "q1", AnnotationKind::Quote, "QUOTE", "“Yes,”");
        quote.speaker = Some("p1".into());
        let mut second = quote.clone();
        second.id = "q2".into();
        second.speaker = Some("p2".into());
        let mut notes = Notes::default();
        let selected = select_for_export(&[quote, second, lavrov, putin], StatusFilter::Accepted, None, &mut notes);
        let speakers: Vec<Option<&str>> = selected.iter().map(|a| a.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("sergey-lavrov"), None]);
        assert_eq!(notes.summary(), "1 × speaker links to annotations left out of the export (no KB id to keep)");
    }

    #[test]
    fn tokens_keep_punctuation_and_drop_white_space() {
        let text = "“Lavrov’s plan,” he said.";
        let words: Vec<&str> = tokens(text).iter().map(|r| r.slice(text)).collect();
        assert_eq!(words, ["“", "Lavrov’s", "plan", ",", "”", "he", "said", "."]);
    }

    #[test]
    fn header_and_sentences_are_separate_groups() {
        let text = "date 2021-12-02\nPutin spoke. Lavrov listened.\n";
        let groups: Vec<Vec<&str>> = sentence_token_groups(text).iter().map(|g| g.iter().map(|r| r.slice(text)).collect()).collect();
        assert_eq!(groups, [vec!["date", "2021", "-", "12", "-", "02"], vec!["Putin", "spoke", "."], vec!["Lavrov", "listened", "."]]);
    }
}
