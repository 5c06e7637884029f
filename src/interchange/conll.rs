//! CoNLL-2003 BIO: one token a line as `TOKEN _ _ TAG` (the part-of-speech and
//! chunk columns are left `_`), `-DOCSTART- -X- -X- O` before each article,
//! a blank line after each sentence. Entity annotations only, since BIO has
//! one label per token.

use super::{ExportDocument, Notes, non_overlapping_entities, place_annotations, sentence_token_groups};

/// The BIO tag of every token of `doc`, sentence by sentence.
pub fn bio_tags<'t>(doc: &ExportDocument<'t>, notes: &mut Notes) -> Vec<Vec<(&'t str, String)>> {
    let placed = place_annotations(doc.text, doc.annotations, notes);
    let entities = non_overlapping_entities(&placed, notes);
    let mut next = 0;
    let mut sentences = Vec::new();
    for group in sentence_token_groups(doc.text) {
        let mut tagged = Vec::with_capacity(group.len());
        for token in group {
            while next < entities.len() && entities[next].range.end <= token.start {
                next += 1;
            }
            let tag = match entities.get(next) {
                Some(entity) if entity.range.overlaps(token) => {
                    let prefix = if token.start <= entity.range.start { "B" } else { "I" };
                    if token.start < entity.range.start || token.end > entity.range.end {
                        notes.add("entity spans that cut a token (the whole token is tagged)");
                    }
                    format!("{prefix}-{}", entity.annotation.label)
                }
                _ => "O".to_string(),
            };
            tagged.push((token.slice(doc.text), tag));
        }
        sentences.push(tagged);
    }
    sentences
}

/// The article as a CoNLL-2003 document, `-DOCSTART-` line included.
pub fn to_conll(doc: &ExportDocument, notes: &mut Notes) -> String {
    let mut out = String::from("-DOCSTART- -X- -X- O\n\n");
    for sentence in bio_tags(doc, notes) {
        for (token, tag) in sentence {
            out.push_str(&format!("{token} _ _ {tag}\n"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::AnnotationKind;
    use crate::interchange::test_support::annotate;

    #[test]
    fn multi_token_entities_get_b_then_i_and_quotes_are_ignored() {
        let text = "Sergey Lavrov met Blinken in Geneva. “Fine,” he said.";
        let annotations = [
            annotate(text, "a1", AnnotationKind::Entity, "PERSON", "Sergey Lavrov"),
            annotate(text, "a2", AnnotationKind::Entity, "PLACE", "Geneva"),
            annotate(text, "a3", AnnotationKind::Quote, "QUOTE", "“Fine,”"),
        ];
        let mut notes = Notes::default();
        let out = to_conll(&ExportDocument { name: "x", source: "articles/x.txt", text, annotations: &annotations }, &mut notes);
        let expected = "-DOCSTART- -X- -X- O\n\nSergey _ _ B-PERSON\nLavrov _ _ I-PERSON\nmet _ _ O\nBlinken _ _ O\nin _ _ O\n\
                        Geneva _ _ B-PLACE\n. _ _ O\n\n“ _ _ O\nFine _ _ O\n, _ _ O\n” _ _ O\nhe _ _ O\nsaid _ _ O\n. _ _ O\n\n";
        assert_eq!(out, expected);
        assert!(notes.is_empty());
    }

    #[test]
    fn overlapping_entities_keep_the_first() {
        let text = "the Minsk agreements";
        let annotations = [
            annotate(text, "a1", AnnotationKind::Entity, "AGREEMENT", "Minsk agreements"),
            annotate(text, "a2", AnnotationKind::Entity, "PLACE", "Minsk"),
        ];
        let mut notes = Notes::default();
        let out = to_conll(&ExportDocument { name: "x", source: "articles/x.txt", text, annotations: &annotations }, &mut notes);
        assert!(out.contains("Minsk _ _ B-AGREEMENT\nagreements _ _ I-AGREEMENT\n"), "{out}");
        assert_eq!(notes.summary(), "1 × overlapping entity spans left out (the format allows one label per token)");
    }
}
