//! Manual annotations win over rules: accepted quote annotations set the speaker
//! or kind of the quote they cover, accepted entity links add or replace mentions,
//! and rejected entity annotations remove the mention they reject.

use super::quotes::{AttributionVia, KindRule, QuoteKind, SpeakerMention};
use super::{Analysis, Mention};
use crate::annotations::{AnchoredAnnotation, AnnotationKind, Status};
use crate::diagnostic::DiagnosticCode;
use crate::kb::KnowledgeBase;
use crate::text::TextRange;

fn placed(a: &AnchoredAnnotation) -> Option<(TextRange, &crate::annotations::Annotation)> {
    a.range.map(|r| (r, &a.annotation))
}

/// Applies annotations to a rule-based analysis.
pub fn apply_manual_annotations(analysis: &mut Analysis, annotations: &[AnchoredAnnotation], kb: &KnowledgeBase) {
    for (range, annotation) in annotations.iter().filter_map(placed).filter(|(_, a)| a.kind == AnnotationKind::Entity) {
        match annotation.status {
            Status::Rejected => {
                analysis.entities.retain(|m| m.range != range);
                analysis.agreements.retain(|m| m.range != range);
            }
            Status::Accepted => {
                let Some(entry) = annotation.entity.as_deref().and_then(|id| kb.get(id)) else { continue };
                analysis.entities.retain(|m| !m.range.overlaps(range));
                analysis.agreements.retain(|m| !m.range.overlaps(range));
                let mention = Mention { range, id: entry.id.clone(), kind: entry.kind };
                if entry.kind == crate::kb::EntryKind::Agreement {
                    analysis.agreements.push(mention);
                } else {
                    analysis.entities.push(mention);
                }
            }
            Status::Suggested => {}
        }
    }
    analysis.entities.sort_by_key(|m| m.range.start);
    analysis.agreements.sort_by_key(|m| m.range.start);

    let mut decided: Vec<TextRange> = Vec::new();
    for (range, annotation) in
        annotations.iter().filter_map(placed).filter(|(_, a)| a.kind == AnnotationKind::Quote && a.status == Status::Accepted)
    {
        for quote in analysis.quotes.iter_mut().filter(|q| q.range.overlaps(range)) {
            decided.push(quote.range);
            quote.via = Some(AttributionVia::Annotation);
            quote.rule = None;
            quote.ambiguous = false;
            match annotation.label.as_str() {
                "SCARE" => {
                    quote.kind = QuoteKind::Scare;
                    quote.kind_rule = KindRule::Annotation;
                    quote.speaker = None;
                }
                "ANONYMOUS" => quote.speaker = None,
                _ => {
                    if quote.kind == QuoteKind::Scare {
                        quote.kind = QuoteKind::Partial;
                        quote.kind_rule = KindRule::Annotation;
                    }
                    quote.speaker = annotation.speaker.as_deref().map(|speaker| resolve_speaker(speaker, annotations, kb, quote.range));
                }
            }
        }
    }
    // A quote decided by hand is no longer unattributed or ambiguous.
    analysis.diagnostics.retain(|d| {
        !(matches!(d.code, DiagnosticCode::UnattributedQuote | DiagnosticCode::AmbiguousAttribution)
            && decided.iter().any(|r| r.overlaps(d.range)))
    });
}

/// The speaker of an annotation: another annotation (its span, and its KB link if
/// any) or a KB id (shown at the quote itself).
fn resolve_speaker(speaker: &str, annotations: &[AnchoredAnnotation], kb: &KnowledgeBase, quote: TextRange) -> SpeakerMention {
    if let Some(target) = annotations.iter().find(|a| a.annotation.id == speaker) {
        return SpeakerMention { range: target.range.unwrap_or(quote), entity: target.annotation.entity.clone(), antecedent: None };
    }
    SpeakerMention { range: quote, entity: kb.get(speaker).map(|e| e.id.clone()), antecedent: None }
}
