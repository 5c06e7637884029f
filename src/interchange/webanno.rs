//! WebAnno TSV 3.3 (read by WebAnno and INCEpTION), named-entity layer only
//! (columns tab-separated):
//!
//! ```text
//! #FORMAT=WebAnno TSV 3.3
//! #T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value
//!
//!
//! #Text=Sergey Lavrov met Blinken.
//! 1-1    0-6    Sergey    urn:marginalia:kb:sergey-lavrov[1]    PERSON[1]
//! 1-2    7-13    Lavrov    urn:marginalia:kb:sergey-lavrov[1]    PERSON[1]
//! 1-3    14-17    met    _    _
//! 1-4    18-25    Blinken    *    PERSON
//! 1-5    25-26    .    _    _
//! ```
//!
//! Character offsets are **UTF-16 code units**, as the format requires (they
//! are Java string offsets in INCEpTION), not code points. A multi-token entity
//! carries `[n]` on each of its tokens; `*` is an empty identifier. Escaping
//! follows WebAnno's writer: feature values escape `\ [ ] | _ -> ; *`, tab and
//! newline; sentence and token text escape only backslash and control characters.

use super::w3c::kb_iri;
use super::{ExportDocument, Notes, non_overlapping_entities, place_annotations, sentence_token_groups};
use crate::text::TextRange;

/// The DKPro named-entity layer WebAnno and INCEpTION import.
pub const NAMED_ENTITY_LAYER: &str = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity";

/// Escapes a feature value as WebAnno's own writer does (`Escaping.escapeValue`).
fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '[' | ']' | '|' | '_' | ';' | '*' => {
                out.push('\\');
                out.push(c);
            }
            '-' if chars.peek() == Some(&'>') => out.push_str("\\-"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes sentence and token text as WebAnno's writer does (`Escaping.escapeText`):
/// backslash and control characters only.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{c}' => out.push_str("\\f"),
            '\u{8}' => out.push_str("\\b"),
            c if (c as u32) < 32 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// One article as a WebAnno TSV 3.3 document (offsets in UTF-16 code units, as the format counts).
pub fn to_webanno(doc: &ExportDocument, notes: &mut Notes) -> String {
    let placed = place_annotations(doc.text, doc.annotations, notes);
    let entities = non_overlapping_entities(&placed, notes);
    let mut out = format!("#FORMAT=WebAnno TSV 3.3\n#T_SP={NAMED_ENTITY_LAYER}|identifier|value\n\n\n");
    let mut multi_token_ids = 0usize;
    let mut current: Option<(TextRange, Option<usize>)> = None;
    let mut next = 0;
    // UTF-16 counting restarts from the last token, so the whole pass stays linear.
    let (mut last_byte, mut last_unit) = (0usize, 0usize);
    let mut units = |byte: usize| {
        last_unit += doc.text[last_byte..byte].encode_utf16().count();
        last_byte = byte;
        last_unit
    };
    for (sentence_number, group) in sentence_token_groups(doc.text).iter().enumerate() {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        for line in doc.text[first.start..last.end].split('\n') {
            out.push_str(&format!("#Text={}\n", escape_text(line.trim_end_matches('\r'))));
        }
        for (token_number, token) in group.iter().enumerate() {
            while next < entities.len() && entities[next].range.end <= token.start {
                next += 1;
            }
            let (identifier, value) = match entities.get(next).filter(|e| e.range.overlaps(*token)) {
                Some(entity) => {
                    if token.start < entity.range.start || token.end > entity.range.end {
                        notes.add("entity spans that cut a token (the whole token is annotated)");
                    }
                    let number = match current {
                        Some((range, number)) if range == entity.range => number,
                        _ => {
                            let spans_tokens = group.iter().filter(|t| t.overlaps(entity.range)).count() > 1 || entity.range.end > last.end;
                            let number = spans_tokens.then(|| {
                                multi_token_ids += 1;
                                multi_token_ids
                            });
                            current = Some((entity.range, number));
                            number
                        }
                    };
                    let suffix = number.map_or(String::new(), |n| format!("[{n}]"));
                    let identifier = entity.annotation.entity.as_deref().map_or("*".to_string(), |id| escape_value(&kb_iri(id)));
                    (format!("{identifier}{suffix}"), format!("{}{suffix}", escape_value(&entity.annotation.label)))
                }
                None => ("_".to_string(), "_".to_string()),
            };
            let (start, end) = (units(token.start), units(token.end));
            out.push_str(&format!(
                "{}-{}\t{start}-{end}\t{}\t{identifier}\t{value}\n",
                sentence_number + 1,
                token_number + 1,
                escape_text(token.slice(doc.text))
            ));
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
    fn multi_token_entities_are_numbered_and_offsets_are_utf16() {
        let text = "😀 Sergey Lavrov met Blinken_2.";
        let mut lavrov = annotate(text, "a1", AnnotationKind::Entity, "PERSON", "Sergey Lavrov");
        lavrov.entity = Some("sergey-lavrov".into());
        let annotations = [lavrov, annotate(text, "a2", AnnotationKind::Entity, "PER_SON", "Blinken_2")];
        let mut notes = Notes::default();
        let out = to_webanno(&ExportDocument { name: "x", source: "articles/x.txt", text, annotations: &annotations }, &mut notes);
        // 😀 is two UTF-16 units, so Sergey starts at 3 (not 2 as in code points).
        let expected = "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n\n\n\
            #Text=😀 Sergey Lavrov met Blinken_2.\n\
            1-1\t0-2\t😀\t_\t_\n\
            1-2\t3-9\tSergey\turn:marginalia:kb:sergey-lavrov[1]\tPERSON[1]\n\
            1-3\t10-16\tLavrov\turn:marginalia:kb:sergey-lavrov[1]\tPERSON[1]\n\
            1-4\t17-20\tmet\t_\t_\n\
            1-5\t21-30\tBlinken_2\t*\tPER\\_SON\n\
            1-6\t30-31\t.\t_\t_\n\n";
        assert_eq!(out, expected);
    }
}
