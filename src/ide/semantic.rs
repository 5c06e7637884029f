//! What each stretch of an article is, for semantic colouring: entity mentions
//! by kind, agreement references, quotations, and whether an annotation has
//! accepted or merely suggested it.

use crate::analysis::Analysis;
use crate::annotations::{AnchoredAnnotation, AnnotationKind, Status};
use crate::kb::EntryKind;
use crate::text::TextRange;

/// What a stretch of an article is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A mention of a person.
    Person,
    /// A mention of an organization.
    Organization,
    /// A mention of a place.
    Place,
    /// A mention of an agreement.
    Agreement,
    /// A quotation.
    Quote,
}

impl TokenKind {
    /// Every kind, in the order of the LSP legend.
    pub const ALL: [TokenKind; 5] = [TokenKind::Person, TokenKind::Organization, TokenKind::Place, TokenKind::Agreement, TokenKind::Quote];

    fn of(kind: EntryKind) -> TokenKind {
        match kind {
            EntryKind::Person => TokenKind::Person,
            EntryKind::Organization => TokenKind::Organization,
            EntryKind::Place => TokenKind::Place,
            EntryKind::Agreement => TokenKind::Agreement,
        }
    }

    fn of_label(label: &str) -> TokenKind {
        match label {
            "ORG" | "ORGANIZATION" => TokenKind::Organization,
            "PLACE" | "LOC" | "GPE" => TokenKind::Place,
            "AGREEMENT" | "LAW" => TokenKind::Agreement,
            _ => TokenKind::Person,
        }
    }
}

/// One coloured stretch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Its bytes.
    pub range: TextRange,
    /// What it is.
    pub kind: TokenKind,
    /// The status of the annotation covering this token, if any (accepted wins
    /// over suggested when several cover it; rejected ones do not count).
    pub annotation: Option<Status>,
}

fn annotation_status(range: TextRange, annotations: &[AnchoredAnnotation], kind: AnnotationKind) -> Option<Status> {
    let mut status = None;
    for a in annotations.iter().filter(|a| a.annotation.kind == kind && a.annotation.is_active()) {
        if a.range.is_some_and(|r| r.overlaps(range)) {
            if a.annotation.status == Status::Accepted {
                return Some(Status::Accepted);
            }
            status = Some(a.annotation.status);
        }
    }
    status
}

/// Non-overlapping tokens in text order: a quote is split around the names
/// inside it, since protocol tokens may not overlap.
pub fn semantic_tokens(analysis: &Analysis, annotations: &[AnchoredAnnotation]) -> Vec<Token> {
    let mut names: Vec<Token> = analysis
        .mentions()
        .map(|m| Token {
            range: m.range,
            kind: TokenKind::of(m.kind),
            annotation: annotation_status(m.range, annotations, AnnotationKind::Entity),
        })
        .collect();
    // Annotated spans the rules did not recognise are coloured by their label.
    for a in annotations.iter().filter(|a| a.annotation.kind == AnnotationKind::Entity && a.annotation.is_active()) {
        let Some(range) = a.range else { continue };
        if !names.iter().any(|t| t.range.overlaps(range)) {
            names.push(Token { range, kind: TokenKind::of_label(&a.annotation.label), annotation: Some(a.annotation.status) });
        }
    }
    names.sort_by_key(|t| t.range.start);
    let mut tokens = Vec::with_capacity(names.len() + analysis.quotes.len());
    let mut next = 0;
    for quote in &analysis.quotes {
        while next < names.len() && names[next].range.end <= quote.range.start {
            tokens.push(names[next]);
            next += 1;
        }
        let status = annotation_status(quote.range, annotations, AnnotationKind::Quote);
        let mut cursor = quote.range.start;
        while next < names.len() && names[next].range.start < quote.range.end {
            let name = names[next];
            if name.range.start > cursor {
                tokens.push(Token { range: TextRange::new(cursor, name.range.start), kind: TokenKind::Quote, annotation: status });
            }
            tokens.push(name);
            cursor = cursor.max(name.range.end);
            next += 1;
        }
        if cursor < quote.range.end {
            tokens.push(Token { range: TextRange::new(cursor, quote.range.end), kind: TokenKind::Quote, annotation: status });
        }
    }
    tokens.extend_from_slice(&names[next..]);
    tokens
}
