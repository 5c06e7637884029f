//! spaCy v3 training data as JSONL, one article a line:
//! `{"text", "entities": [[start, end, label]], "spans": {"quotes": [[start, end, label]]}, "meta": {"name", "source"}}`,
//! `source` (the article's path relative to the corpus root) being the document's id.
//! Offsets are code points, as Python counts, so `doc.char_span(start, end,
//! label=label)` gives the span; `entities` never overlap (they become
//! `doc.ents`), quotes go to the span group `doc.spans["quotes"]`. The loader
//! that turns the file into a `DocBin` is in `docs/formats.md`.

use serde_json::{Value, json};

use super::{ExportDocument, Notes, non_overlapping_entities, place_annotations};
use crate::annotations::AnnotationKind;

/// The span group quotes are written to.
pub const QUOTE_SPAN_GROUP: &str = "quotes";

/// One article as a spaCy v3 JSONL record (`text`, `ents`, `spans`, `meta`).
pub fn to_spacy_record(doc: &ExportDocument, notes: &mut Notes) -> Value {
    let placed = place_annotations(doc.text, doc.annotations, notes);
    let entities: Vec<Value> =
        non_overlapping_entities(&placed, notes).iter().map(|p| json!([p.start, p.end, p.annotation.label])).collect();
    let quotes: Vec<Value> =
        placed.iter().filter(|p| p.annotation.kind == AnnotationKind::Quote).map(|p| json!([p.start, p.end, p.annotation.label])).collect();
    json!({ "text": doc.text, "entities": entities, "spans": { QUOTE_SPAN_GROUP: quotes }, "meta": { "name": doc.name, "source": doc.source } })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::test_support::annotate;

    #[test]
    fn entities_and_quotes_in_code_points() {
        let text = "“Да,” said Лавров.";
        let annotations = [
            annotate(text, "a1", AnnotationKind::Entity, "PERSON", "Лавров"),
            annotate(text, "a2", AnnotationKind::Quote, "QUOTE", "“Да,”"),
        ];
        let mut notes = Notes::default();
        let record = to_spacy_record(&ExportDocument { name: "x", source: "articles/x.txt", text, annotations: &annotations }, &mut notes);
        // “Да,” is 5 code points, then " said " (6): Лавров starts at 11.
        assert_eq!(record["entities"], json!([[11, 17, "PERSON"]]));
        assert_eq!(record["spans"]["quotes"], json!([[0, 5, "QUOTE"]]));
    }
}
