//! Merging imported spans into a sidecar's annotations: an imported span that
//! the same annotator already has (same kind, label and offsets) is updated in
//! place, never added twice, so importing the same file again changes nothing.

use crate::annotations::{Annotation, AnnotationKind, Authorship, Status};
use crate::text::LineIndex;

/// A span read from another format, in code points, not yet an annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedSpan {
    /// The span's id in its source file (brat `T3`, a JSONL span id), for speaker links.
    pub key: String,
    /// Entity or quote.
    pub kind: AnnotationKind,
    /// Its label.
    pub label: String,
    /// Start, in code points of the article.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The KB id it links to, if any.
    pub entity: Option<String>,
    /// For quotes: who said it.
    pub speaker: Option<SpeakerRef>,
    /// The annotator named in the source, when it names one per span.
    pub annotator: Option<String>,
}

/// Who a quote's speaker is, in the source's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpeakerRef {
    /// Another imported span, by its key.
    Span(String),
    /// A knowledge-base id.
    KnowledgeBase(String),
}

/// What a merge of imported spans into a sidecar did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeOutcome {
    /// New annotations.
    pub added: usize,
    /// Already present; its entity, speaker or status changed to the imported one.
    pub updated: usize,
    /// Already present, as imported.
    pub unchanged: usize,
}

impl std::ops::AddAssign for MergeOutcome {
    fn add_assign(&mut self, other: MergeOutcome) {
        self.added += other.added;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// Adds `imported` to `annotations` as accepted annotations of `annotator`
/// (unless a span names its own), with exact/prefix/suffix computed from
/// `text`. Returns what changed.
pub fn merge_imported(
    annotations: &mut Vec<Annotation>,
    text: &str,
    imported: &[ImportedSpan],
    annotator: &str,
    now: &str,
) -> MergeOutcome {
    let index = LineIndex::new(text);
    let mut outcome = MergeOutcome::default();
    // First place every span (so speakers can point at spans listed later), then link.
    let mut ids: Vec<(usize, String)> = Vec::with_capacity(imported.len());
    let mut fresh = vec![false; imported.len()];
    for (n, span) in imported.iter().enumerate() {
        let who = span.annotator.as_deref().unwrap_or(annotator);
        let existing = annotations
            .iter()
            .position(|a| a.kind == span.kind && a.label == span.label && a.start == span.start && a.end == span.end && a.annotator == who);
        let position = match existing {
            Some(position) => position,
            None => {
                let range = super::code_point_range(&index, span.start, span.end);
                let by = Authorship { annotator: who, created: now, status: Status::Accepted };
                annotations.push(Annotation::on_span(text, &index, range, span.kind, &span.label, by));
                fresh[n] = true;
                annotations.len() - 1
            }
        };
        ids.push((position, annotations[position].id.clone()));
    }
    for (n, span) in imported.iter().enumerate() {
        let speaker = span.speaker.as_ref().and_then(|speaker| match speaker {
            SpeakerRef::KnowledgeBase(id) => Some(id.clone()),
            SpeakerRef::Span(key) => imported.iter().position(|s| &s.key == key).map(|i| ids[i].1.clone()),
        });
        let annotation = &mut annotations[ids[n].0];
        let before = (annotation.entity.clone(), annotation.speaker.clone(), annotation.status);
        if span.entity.is_some() {
            annotation.entity = span.entity.clone();
        }
        if speaker.is_some() {
            annotation.speaker = speaker;
        }
        annotation.status = Status::Accepted;
        if fresh[n] {
            outcome.added += 1;
        } else if before == (annotation.entity.clone(), annotation.speaker.clone(), annotation.status) {
            outcome.unchanged += 1;
        } else {
            outcome.updated += 1;
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(key: &str, kind: AnnotationKind, label: &str, start: usize, end: usize, speaker: Option<SpeakerRef>) -> ImportedSpan {
        ImportedSpan { key: key.into(), kind, label: label.into(), start, end, entity: None, speaker, annotator: None }
    }

    #[test]
    fn importing_twice_adds_nothing_the_second_time() {
        let text = "“We want peace,” Lavrov said.";
        let spans = [
            span("T1", AnnotationKind::Quote, "QUOTE", 0, 16, Some(SpeakerRef::Span("T2".into()))),
            span("T2", AnnotationKind::Entity, "PERSON", 17, 23, None),
        ];
        let mut annotations = Vec::new();
        let first = merge_imported(&mut annotations, text, &spans, "bob", "2026-01-01T00:00:00Z");
        assert_eq!(first, MergeOutcome { added: 2, updated: 0, unchanged: 0 });
        assert_eq!(annotations[0].exact, "“We want peace,”");
        assert_eq!(annotations[0].speaker.as_deref(), Some(annotations[1].id.as_str()));
        assert_eq!(annotations[1].prefix, "“We want peace,” ");
        let second = merge_imported(&mut annotations, text, &spans, "bob", "2026-01-02T00:00:00Z");
        assert_eq!(second, MergeOutcome { added: 0, updated: 0, unchanged: 2 });
        assert_eq!(annotations.len(), 2);
    }

    #[test]
    fn another_annotators_span_is_kept_apart() {
        let text = "Lavrov said.";
        let spans = [span("T1", AnnotationKind::Entity, "PERSON", 0, 6, None)];
        let mut annotations = Vec::new();
        merge_imported(&mut annotations, text, &spans, "bob", "t");
        let outcome = merge_imported(&mut annotations, text, &spans, "carol", "t");
        assert_eq!(outcome.added, 1);
        assert_eq!(annotations.len(), 2);
    }
}
