//! Inter-annotator agreement between two annotators, A (the reference) and B,
//! over a set of documents: span F1 (exact and overlap), Cohen's kappa and
//! Krippendorff's alpha (nominal) on tokens; per label, per document, overall.
//!
//! Tokens are the words of UAX #29 (`unicode_words`): punctuation and spaces
//! are not items, so they cannot inflate agreement. A token's label for an
//! annotator is the label of the span covering it (the shortest one if several
//! do) or `O`. Per label, kappa and alpha are binary: the label against
//! anything else. A document counts only if both annotators annotated it.

mod alpha;
mod kappa;
mod spans;

pub use alpha::Coincidences;
pub use kappa::Confusion;
pub use spans::{SpanCounts, count_spans};

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::annotations::{Annotation, anchor_all};
use crate::text::TextRange;

/// The label of a token nobody labelled.
pub const OUTSIDE: &str = "O";

/// A span one annotator labelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledSpan {
    /// Its label.
    pub label: String,
    /// Byte range in the document's text.
    pub range: TextRange,
}

/// One document's annotations by each annotator; `None` when that annotator
/// did not annotate the document at all (as opposed to finding nothing).
#[derive(Clone, Debug)]
pub struct AgreementDocument<'a> {
    /// The document's name in the report.
    pub name: String,
    /// Its text.
    pub text: &'a str,
    /// A's spans (`None`: A did not annotate it).
    pub a: Option<Vec<LabelledSpan>>,
    /// B's spans (`None`: B did not annotate it).
    pub b: Option<Vec<LabelledSpan>>,
}

/// The scores of one scope (a label, a document, the whole set).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// Span counts: matched exactly, overlapping, A's and B's totals.
    pub spans: SpanCounts,
    /// F1 of spans matched exactly (same range and label).
    pub exact_f1: Option<f64>,
    /// Share of B's spans that overlap one of A's with the same label.
    pub overlap_precision: Option<f64>,
    /// Share of A's spans that overlap one of B's with the same label.
    pub overlap_recall: Option<f64>,
    /// F1 of overlap precision and recall.
    pub overlap_f1: Option<f64>,
    /// Tokens compared.
    pub tokens: usize,
    /// Cohen's kappa on tokens (`None` when undefined, as with no variation).
    pub kappa: Option<f64>,
    /// Krippendorff's alpha (nominal) on tokens (`None` when undefined).
    pub alpha: Option<f64>,
}

/// The scores of one label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelScores {
    /// The label.
    pub label: String,
    /// Its scores.
    #[serde(flatten)]
    pub scores: Scores,
}

/// The scores of one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentScores {
    /// The document's name.
    pub name: String,
    /// `None` when the document was not compared; `skipped` says why.
    pub scores: Option<Scores>,
    /// Why the document was not compared (an annotator did not annotate it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// The whole comparison, as `agreement --format json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementReport {
    /// A (the reference) and B.
    pub annotators: [String; 2],
    /// Documents both annotated.
    pub documents_compared: usize,
    /// Scores over every compared document.
    pub overall: Scores,
    /// Scores per label.
    pub labels: Vec<LabelScores>,
    /// Scores per document.
    pub documents: Vec<DocumentScores>,
}

/// What a scope accumulates: span counts and the token tables behind kappa and alpha.
#[derive(Clone, Debug, Default)]
struct Tally {
    spans: SpanCounts,
    tokens: Confusion,
    coincidences: Coincidences,
}

impl Tally {
    fn add_token(&mut self, a: &str, b: &str) {
        self.tokens.add(a, b);
        self.coincidences.add_item(&[Some(a), Some(b)]);
    }

    fn merge(&mut self, other: &Tally) {
        self.spans += other.spans;
        self.tokens.merge(&other.tokens);
        self.coincidences.merge(&other.coincidences);
    }

    fn scores(&self) -> Scores {
        Scores {
            spans: self.spans,
            exact_f1: self.spans.exact_f1(),
            overlap_precision: self.spans.overlap_precision(),
            overlap_recall: self.spans.overlap_recall(),
            overlap_f1: self.spans.overlap_f1(),
            tokens: self.tokens.total(),
            kappa: self.tokens.kappa(),
            alpha: self.coincidences.alpha(),
        }
    }
}

/// The word tokens of `text`.
pub fn word_tokens(text: &str) -> Vec<TextRange> {
    text.unicode_word_indices().map(|(at, word)| TextRange::new(at, at + word.len())).collect()
}

/// For each token: every label covering it, and the one label it gets (that of
/// the shortest covering span, ties by label name), `O` if none.
fn token_labels<'s>(tokens: &[TextRange], spans: &'s [LabelledSpan]) -> Vec<(BTreeSet<&'s str>, &'s str)> {
    tokens
        .iter()
        .map(|token| {
            let covering: Vec<&LabelledSpan> = spans.iter().filter(|s| s.range.overlaps(*token)).collect();
            let single = covering.iter().min_by_key(|s| (s.range.len(), s.label.as_str())).map_or(OUTSIDE, |s| s.label.as_str());
            (covering.iter().map(|s| s.label.as_str()).collect(), single)
        })
        .collect()
}

/// Tallies for one document compared: overall and per label.
/// Every label of the set is tallied on every document, so that a document
/// where neither annotator used a label counts as agreement on it.
fn tally_document(text: &str, a: &[LabelledSpan], b: &[LabelledSpan], labels: &BTreeSet<&str>) -> (Tally, BTreeMap<String, Tally>) {
    let mut overall = Tally::default();
    let mut per_label: BTreeMap<String, Tally> = BTreeMap::new();
    let tokens = word_tokens(text);
    let (a_tokens, b_tokens) = (token_labels(&tokens, a), token_labels(&tokens, b));
    for label in labels {
        let ranges = |spans: &[LabelledSpan]| spans.iter().filter(|s| s.label == *label).map(|s| s.range).collect::<Vec<_>>();
        let mut tally = Tally { spans: count_spans(&ranges(a), &ranges(b)), ..Tally::default() };
        for ((a_set, _), (b_set, _)) in a_tokens.iter().zip(&b_tokens) {
            let binary = |set: &BTreeSet<&str>| if set.contains(*label) { *label } else { OUTSIDE };
            tally.add_token(binary(a_set), binary(b_set));
        }
        overall.spans += tally.spans;
        per_label.insert(label.to_string(), tally);
    }
    for ((_, a_label), (_, b_label)) in a_tokens.iter().zip(&b_tokens) {
        overall.add_token(a_label, b_label);
    }
    (overall, per_label)
}

/// Agreement between `annotators[0]` (A, the reference) and `annotators[1]` (B).
pub fn agreement(annotators: [String; 2], documents: &[AgreementDocument]) -> AgreementReport {
    let mut overall = Tally::default();
    let mut per_label: BTreeMap<String, Tally> = BTreeMap::new();
    let mut document_scores = Vec::with_capacity(documents.len());
    let mut compared = 0;
    let labels: BTreeSet<&str> = documents
        .iter()
        .filter(|d| d.a.is_some() && d.b.is_some())
        .flat_map(|d| d.a.iter().chain(&d.b).flatten())
        .map(|s| s.label.as_str())
        .collect();
    for doc in documents {
        let (a, b) = match (&doc.a, &doc.b) {
            (Some(a), Some(b)) => (a, b),
            (a, b) => {
                let skipped = match (a, b) {
                    (Some(_), None) => format!("only {} annotated it", annotators[0]),
                    (None, Some(_)) => format!("only {} annotated it", annotators[1]),
                    _ => "neither annotated it".to_string(),
                };
                document_scores.push(DocumentScores { name: doc.name.clone(), scores: None, skipped: Some(skipped) });
                continue;
            }
        };
        compared += 1;
        let (document, label_tallies) = tally_document(doc.text, a, b, &labels);
        for (label, tally) in label_tallies {
            per_label.entry(label).or_default().merge(&tally);
        }
        overall.merge(&document);
        document_scores.push(DocumentScores { name: doc.name.clone(), scores: Some(document.scores()), skipped: None });
    }
    AgreementReport {
        annotators,
        documents_compared: compared,
        overall: overall.scores(),
        labels: per_label.into_iter().map(|(label, tally)| LabelScores { label, scores: tally.scores() }).collect(),
        documents: document_scores,
    }
}

/// An annotator's active spans in a document, or `None` if they have no
/// annotation there at all (rejected ones count as having looked).
fn spans_of(text: &str, annotations: &[Annotation], annotator: &str) -> Option<Vec<LabelledSpan>> {
    let theirs: Vec<Annotation> = annotations.iter().filter(|a| a.annotator == annotator).cloned().collect();
    if theirs.is_empty() {
        return None;
    }
    let active: Vec<Annotation> = theirs.into_iter().filter(Annotation::is_active).collect();
    Some(
        anchor_all(text, &active)
            .into_iter()
            .filter_map(|anchored| anchored.range.map(|range| LabelledSpan { label: anchored.annotation.label, range }))
            .collect(),
    )
}

/// The agreement of `b` with `a` over `documents` (name, text, sidecar
/// annotations): each annotator's active records, anchored in the text. One
/// function for `marginalia agreement`, `status` and the Python package.
pub fn annotators_compared<'t>(documents: impl Iterator<Item = (&'t str, &'t str, &'t [Annotation])>, a: &str, b: &str) -> AgreementReport {
    let documents: Vec<AgreementDocument> = documents
        .map(|(name, text, annotations)| AgreementDocument {
            name: name.to_string(),
            text,
            a: spans_of(text, annotations, a),
            b: spans_of(text, annotations, b),
        })
        .collect();
    agreement([a.to_string(), b.to_string()], &documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Sergey Lavrov met Antony Blinken in Geneva on Friday.";

    fn span(label: &str, exact: &str) -> LabelledSpan {
        let at = TEXT.find(exact).unwrap();
        LabelledSpan { label: label.into(), range: TextRange::new(at, at + exact.len()) }
    }

    fn close(x: Option<f64>, expected: f64) -> bool {
        x.is_some_and(|x| (x - expected).abs() < 1e-9)
    }

    /// A: PERSON "Sergey Lavrov", PERSON "Antony Blinken", PLACE "Geneva".
    /// B: PERSON "Lavrov", PERSON "Antony Blinken", ORG "Geneva".
    /// Tokens: Sergey Lavrov met Antony Blinken in Geneva on Friday (9).
    /// A: P P O P P O PLACE O O;  B: O P O P P O ORG O O.
    fn report() -> AgreementReport {
        let doc = AgreementDocument {
            name: "d".into(),
            text: TEXT,
            a: Some(vec![span("PERSON", "Sergey Lavrov"), span("PERSON", "Antony Blinken"), span("PLACE", "Geneva")]),
            b: Some(vec![span("PERSON", "Lavrov"), span("PERSON", "Antony Blinken"), span("ORG", "Geneva")]),
        };
        let only_a = AgreementDocument { name: "e".into(), text: TEXT, a: Some(vec![span("PERSON", "Lavrov")]), b: None };
        agreement(["ann".into(), "bob".into()], &[doc, only_a])
    }

    #[test]
    fn overall_scores_match_hand_computation() {
        let report = report();
        assert_eq!(report.documents_compared, 1);
        let o = &report.overall;
        assert_eq!(o.spans, SpanCounts { a: 3, b: 3, exact: 1, a_overlapped: 2, b_overlapped: 2 });
        // exact F1 = 2·1/(3+3) = 1/3; overlap P = R = 2/3, F1 = 2/3.
        assert!(close(o.exact_f1, 1.0 / 3.0) && close(o.overlap_f1, 2.0 / 3.0));
        assert_eq!(o.tokens, 9);
        // Agreeing tokens: Lavrov, met, Antony, Blinken, in, on, Friday → p_o = 7/9.
        // A: PERSON 4, O 4, PLACE 1; B: PERSON 3, O 5, ORG 1 → p_e = (4·3 + 4·5)/81 = 32/81.
        // κ = (63/81 − 32/81)/(49/81) = 31/49.
        assert!(close(o.kappa, 31.0 / 49.0), "{:?}", o.kappa);
        // Coincidences: o_PP = 6, o_OO = 8, o_PO = o_OP = 1, o_PLACE,ORG = o_ORG,PLACE = 1;
        // n_PERSON = 7, n_O = 9, n_PLACE = n_ORG = 1, n = 18; Σ n_c n_k (c≠k) = 18² − (49+81+1+1) = 192.
        // α = 1 − 17·4/192 = 124/192.
        assert!(close(o.alpha, 124.0 / 192.0), "{:?}", o.alpha);
    }

    #[test]
    fn per_label_scores_are_binary() {
        let report = report();
        let person = &report.labels.iter().find(|l| l.label == "PERSON").unwrap().scores;
        // Spans: exact 1 of 2 + 2 → F1 = 0.5; overlap both ways → 1.
        assert!(close(person.exact_f1, 0.5) && close(person.overlap_f1, 1.0));
        // PERSON tokens A: 1,2,4,5; B: 2,4,5 → agree on 8 of 9, p_o = 72/81;
        // p_e = (4·3 + 5·6)/81 = 42/81; κ = 30/39.
        assert!(close(person.kappa, 30.0 / 39.0), "{:?}", person.kappa);
        let place = &report.labels.iter().find(|l| l.label == "PLACE").unwrap().scores;
        assert_eq!((place.exact_f1, place.overlap_precision, place.overlap_f1), (Some(0.0), None, Some(0.0)));
        // A labels one token PLACE, B none: p_o = 8/9, p_e = (8·9)/81 = 8/9 → κ = 0.
        assert!(close(place.kappa, 0.0));
        let labels: Vec<&str> = report.labels.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["ORG", "PERSON", "PLACE"]);
    }

    #[test]
    fn a_document_one_annotator_skipped_is_reported_not_scored() {
        let report = report();
        assert_eq!(report.documents[1].skipped.as_deref(), Some("only ann annotated it"));
        assert!(report.documents[1].scores.is_none());
    }

    #[test]
    fn nested_spans_give_the_token_the_innermost_label() {
        let spans = [span("AGREEMENT", "Sergey Lavrov met"), span("PERSON", "Lavrov")];
        let tokens = word_tokens(TEXT);
        let labels: Vec<&str> = token_labels(&tokens[..3], &spans).iter().map(|(_, l)| *l).collect();
        assert_eq!(labels, ["AGREEMENT", "PERSON", "AGREEMENT"]);
    }
}
