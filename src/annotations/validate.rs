//! Checks on a set of anchored annotations: labels from the corpus's label set,
//! knowledge-base ids that exist, speakers that point somewhere and never back
//! to the quote itself, no two labels on one span, and nothing orphaned.

use std::collections::{HashMap, HashSet};

use super::{Anchor, AnchoredAnnotation, AnnotationKind, QUOTE_LABELS, anchor_all, parse_annotation_file};
use crate::diagnostic::{Diagnostic, DiagnosticCode, RelatedSpan, Severity};
use crate::kb::KnowledgeBase;
use crate::text::{LineIndex, TextRange};

/// A problem with one annotation (by index into the anchored list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationProblem {
    /// Index of the annotation in the list checked.
    pub index: usize,
    /// The diagnostic code.
    pub code: DiagnosticCode,
    /// How serious.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Another annotation involved (for conflicting labels, duplicate ids, the
    /// next speaker of a cycle).
    pub other: Option<usize>,
    /// Places in the article involved: for an annotation orphaned by a tie, each
    /// place that fits it equally well.
    pub candidates: Vec<TextRange>,
}

/// Checks anchored annotations against the KB and the label set: orphans, unknown labels and ids, dangling speakers, cycles, conflicting labels, duplicate ids.
pub fn validate_annotations(anchored: &[AnchoredAnnotation], kb: &KnowledgeBase, entity_labels: &[String]) -> Vec<AnnotationProblem> {
    let mut problems = Vec::new();
    let mut push = |index, code, severity, message: String, other| {
        problems.push(AnnotationProblem { index, code, severity, message, other, candidates: Vec::new() })
    };
    let mut first_with_id: HashMap<&str, usize> = HashMap::new();
    let ids: HashSet<&str> = anchored.iter().map(|a| a.annotation.id.as_str()).collect();
    for (index, item) in anchored.iter().enumerate() {
        let a = &item.annotation;
        if let Some(&first) = first_with_id.get(a.id.as_str()) {
            push(
                index,
                DiagnosticCode::DuplicateAnnotationId,
                Severity::Error,
                format!("annotation id `{}` is used twice", a.id),
                Some(first),
            );
        } else {
            first_with_id.insert(&a.id, index);
        }
        let label_known = match a.kind {
            AnnotationKind::Entity => entity_labels.iter().any(|l| l == &a.label),
            AnnotationKind::Quote => QUOTE_LABELS.contains(&a.label.as_str()),
        };
        if !label_known {
            let allowed = match a.kind {
                AnnotationKind::Entity => entity_labels.join(", "),
                AnnotationKind::Quote => QUOTE_LABELS.join(", "),
            };
            push(
                index,
                DiagnosticCode::UnknownLabel,
                Severity::Error,
                format!("unknown label `{}` (this corpus allows: {allowed})", a.label),
                None,
            );
        }
        if let Some(entity) = &a.entity
            && kb.get(entity).is_none()
            && !kb.is_unreadable(entity)
        {
            push(index, DiagnosticCode::UnknownEntityId, Severity::Error, format!("`{entity}` is not an id in the knowledge base"), None);
        }
        if let Some(speaker) = &a.speaker
            && !ids.contains(speaker.as_str())
            && kb.get(speaker).is_none()
            && !kb.is_unreadable(speaker)
        {
            push(
                index,
                DiagnosticCode::DanglingSpeaker,
                Severity::Error,
                format!("speaker `{speaker}` is neither an annotation id in this file nor a knowledge-base id"),
                None,
            );
        }
        match item.anchor {
            // Its candidates are attached below, once `push` is done with.
            Anchor::Orphaned if !item.candidates.is_empty() => push(
                index,
                DiagnosticCode::OrphanedAnnotation,
                Severity::Warning,
                format!(
                    "annotation `{}` (\"{}\") fits {} places equally well, so it was put on none; it is kept until you fix or remove it",
                    a.id,
                    a.exact,
                    item.candidates.len()
                ),
                None,
            ),
            Anchor::Orphaned => push(
                index,
                DiagnosticCode::OrphanedAnnotation,
                Severity::Warning,
                format!(
                    "annotation `{}` (\"{}\") no longer matches the text and could not be re-anchored; it is kept until you fix or remove it",
                    a.id, a.exact
                ),
                None,
            ),
            Anchor::Fuzzy => push(
                index,
                DiagnosticCode::OrphanedAnnotation,
                Severity::Hint,
                format!("annotation `{}` was re-anchored approximately: the text changed from \"{}\"", a.id, a.exact),
                None,
            ),
            Anchor::InPlace | Anchor::Moved => {}
        }
    }
    for cycle in speaker_cycles(anchored) {
        let ids: Vec<&str> = cycle.iter().chain(cycle.first()).map(|&i| anchored[i].annotation.id.as_str()).collect();
        for (n, &index) in cycle.iter().enumerate() {
            let message = match cycle.len() {
                1 => format!("annotation `{}` names itself as its speaker", ids[0]),
                _ => format!(
                    "speakers form a cycle: {} (a quote's speaker cannot be found by following speakers back to it)",
                    ids.join(" → ")
                ),
            };
            let next = cycle[(n + 1) % cycle.len()];
            push(index, DiagnosticCode::SpeakerCycle, Severity::Error, message, (next != index).then_some(next));
        }
    }
    // Overlapping active entity spans with different labels.
    let mut spans: Vec<(usize, crate::text::TextRange)> = anchored
        .iter()
        .enumerate()
        .filter(|(_, a)| a.annotation.kind == AnnotationKind::Entity && a.annotation.is_active())
        .filter_map(|(i, a)| a.range.map(|r| (i, r)))
        .collect();
    spans.sort_by_key(|(_, r)| (r.start, r.end));
    for (n, &(i, range)) in spans.iter().enumerate() {
        for &(j, other) in spans[n + 1..].iter().take_while(|(_, o)| o.start < range.end) {
            if range.overlaps(other) && anchored[i].annotation.label != anchored[j].annotation.label {
                push(
                    j,
                    DiagnosticCode::ConflictingLabels,
                    Severity::Warning,
                    format!(
                        "labelled {} here but {} by an overlapping annotation",
                        anchored[j].annotation.label, anchored[i].annotation.label
                    ),
                    Some(i),
                );
            }
        }
    }
    for problem in &mut problems {
        if problem.code == DiagnosticCode::OrphanedAnnotation {
            problem.candidates.clone_from(&anchored[problem.index].candidates);
        }
    }
    problems
}

/// Annotation problems as diagnostics in the article: at the annotated words,
/// or for an orphan where it used to be.
pub fn diagnostics_in_article(
    article_text: &str,
    anchored: &[AnchoredAnnotation],
    kb: &KnowledgeBase,
    entity_labels: &[String],
) -> Vec<Diagnostic> {
    let index = LineIndex::new(article_text);
    let at = |i: usize| {
        let a = &anchored[i];
        a.range.unwrap_or_else(|| TextRange::empty(index.byte_offset(a.annotation.start)))
    };
    validate_annotations(anchored, kb, entity_labels)
        .into_iter()
        .map(|problem| {
            let mut diagnostic = Diagnostic::new(problem.code, problem.severity, at(problem.index), problem.message);
            if let Some(other) = problem.other {
                diagnostic = diagnostic.with_related(RelatedSpan { file: None, range: at(other), message: "the other annotation".into() });
            }
            for range in problem.candidates {
                diagnostic = diagnostic.with_related(RelatedSpan { file: None, range, message: "a place that fits equally well".into() });
            }
            diagnostic
        })
        .collect()
}

/// Diagnostics inside a sidecar: malformed lines, and each annotation's problems
/// on its own line, with annotations anchored against `article_text`.
pub fn diagnostics_in_sidecar(sidecar_text: &str, article_text: &str, kb: &KnowledgeBase, entity_labels: &[String]) -> Vec<Diagnostic> {
    let file = parse_annotation_file(sidecar_text);
    let anchored = anchor_all(article_text, &file.annotations);
    let mut diagnostics = file.diagnostics;
    let article_index = LineIndex::new(article_text);
    for problem in validate_annotations(&anchored, kb, entity_labels) {
        // The tied places are in the article, not in this file: named by position.
        let mut message = problem.message;
        if !problem.candidates.is_empty() {
            let places: Vec<String> = problem
                .candidates
                .iter()
                .map(|r| {
                    let p = article_index.position(r.start);
                    format!("{}:{}", p.line, p.column)
                })
                .collect();
            message = format!("{message} (in the article at {})", places.join(", "));
        }
        diagnostics.push(Diagnostic::new(problem.code, problem.severity, file.lines[problem.index], message));
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    diagnostics
}

/// The annotations whose speakers, followed from one annotation id to the next,
/// lead back to themselves: each cycle once, in the order it is followed. A
/// speaker that is a knowledge-base id, or no id at all, ends the chain. Linear:
/// each annotation is walked from once.
fn speaker_cycles(anchored: &[AnchoredAnnotation]) -> Vec<Vec<usize>> {
    let mut index_of: HashMap<&str, usize> = HashMap::with_capacity(anchored.len());
    for (i, a) in anchored.iter().enumerate() {
        index_of.entry(a.annotation.id.as_str()).or_insert(i);
    }
    let speaker_of: Vec<Option<usize>> =
        anchored.iter().map(|a| a.annotation.speaker.as_deref().and_then(|s| index_of.get(s).copied())).collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Walk {
        Unseen,
        OnPath,
        Done,
    }
    let mut state = vec![Walk::Unseen; anchored.len()];
    let mut cycles = Vec::new();
    let mut path: Vec<usize> = Vec::new();
    for start in 0..anchored.len() {
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| state[i] == Walk::Unseen) {
            state[i] = Walk::OnPath;
            path.push(i);
            at = speaker_of[i];
        }
        if let Some(i) = at.filter(|&i| state[i] == Walk::OnPath) {
            let from = path.iter().position(|&p| p == i).expect("a node on the path is in it");
            cycles.push(path[from..].to_vec());
        }
        for i in path.drain(..) {
            state[i] = Walk::Done;
        }
    }
    cycles
}
