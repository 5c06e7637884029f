//! W3C Web Annotation JSON-LD: one `AnnotationCollection` per article, each
//! annotation targeting the article with a `TextQuoteSelector` (exact, prefix,
//! suffix) and a `TextPositionSelector` (code points). Bodies:
//!
//! - the label: `TextualBody`, purpose `tagging`;
//! - the kind (`entity` or `quote`): `TextualBody`, purpose `classifying`;
//! - the knowledge-base entity: `SpecificResource`, purpose `identifying`, source `urn:marginalia:kb:<id>`;
//! - the speaker: `SpecificResource`, purpose `linking`, source the speaker annotation's IRI or the KB IRI;
//! - the review status: `TextualBody`, purpose `assessing`.

use serde_json::{Value, json};

use super::{ExportDocument, Notes, SpeakerTarget, place_annotations, speaker_target};
use crate::annotations::SUGGESTER;
use crate::annotations::{AnnotationKind, selector_for};

/// The W3C Web Annotation JSON-LD context.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The IRI of an annotation (by id).
pub fn annotation_iri(id: &str) -> String {
    format!("urn:marginalia:annotation:{id}")
}

/// The IRI of a KB entry (by id).
pub fn kb_iri(id: &str) -> String {
    format!("urn:marginalia:kb:{id}")
}

/// The collection for `doc`; its source (the article's path relative to the
/// corpus root) is the target's source IRI, resolved against the corpus, and
/// names the collection, so two articles with one file name never share an id.
pub fn to_w3c(doc: &ExportDocument, notes: &mut Notes) -> Value {
    let placed = place_annotations(doc.text, doc.annotations, notes);
    let items: Vec<Value> = placed
        .iter()
        .map(|p| {
            let a = p.annotation;
            let (exact, prefix, suffix) = selector_for(doc.text, p.range);
            let mut body = vec![
                json!({ "type": "TextualBody", "purpose": "tagging", "value": a.label }),
                json!({ "type": "TextualBody", "purpose": "classifying", "value": match a.kind {
                    AnnotationKind::Entity => "entity",
                    AnnotationKind::Quote => "quote",
                } }),
            ];
            if let Some(entity) = &a.entity {
                body.push(json!({ "type": "SpecificResource", "purpose": "identifying", "source": kb_iri(entity) }));
            }
            let speaker = a.speaker.as_deref().and_then(|speaker| speaker_target(doc, &placed, speaker, notes));
            if let Some(target) = speaker {
                let iri = match target {
                    SpeakerTarget::Annotation(id) => annotation_iri(id),
                    SpeakerTarget::KnowledgeBase(id) => kb_iri(id),
                };
                body.push(json!({ "type": "SpecificResource", "purpose": "linking", "source": iri }));
            }
            body.push(json!({ "type": "TextualBody", "purpose": "assessing", "value": a.status.as_str() }));
            let creator_type = if a.annotator == SUGGESTER { "Software" } else { "Person" };
            json!({
                "id": annotation_iri(&a.id),
                "type": "Annotation",
                "motivation": if a.entity.is_some() { "identifying" } else { "tagging" },
                "creator": { "type": creator_type, "nickname": a.annotator },
                "created": a.created,
                "body": body,
                "target": {
                    "source": doc.source,
                    "selector": [
                        { "type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix },
                        { "type": "TextPositionSelector", "start": p.start, "end": p.end },
                    ],
                },
            })
        })
        .collect();
    json!({
        "@context": CONTEXT,
        "id": format!("urn:marginalia:collection:{}", doc.source),
        "type": "AnnotationCollection",
        "label": doc.name,
        "total": items.len(),
        "first": {
            "id": format!("urn:marginalia:collection:{}:page:0", doc.source),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::test_support::annotate;

    #[test]
    fn annotation_has_both_selectors_and_linking_bodies() {
        let text = "“Peace,” Lavrov said.";
        let mut quote = annotate(text, "q1", AnnotationKind::Quote, "QUOTE", "“Peace,”");
        quote.speaker = Some("p1".into());
        let mut person = annotate(text, "p1", AnnotationKind::Entity, "PERSON", "Lavrov");
        person.entity = Some("sergey-lavrov".into());
        let annotations = [quote, person];
        let mut notes = Notes::default();
        let page = to_w3c(&ExportDocument { name: "x", source: "articles/x.txt", text, annotations: &annotations }, &mut notes);
        assert_eq!(page["@context"], CONTEXT);
        let items = page["first"]["items"].as_array().unwrap();
        assert_eq!(
            items[0]["body"][2],
            json!({ "type": "SpecificResource", "purpose": "linking", "source": "urn:marginalia:annotation:p1" })
        );
        assert_eq!(
            items[1]["target"]["selector"],
            json!([
                { "type": "TextQuoteSelector", "exact": "Lavrov", "prefix": "“Peace,” ", "suffix": " said." },
                { "type": "TextPositionSelector", "start": 9, "end": 15 },
            ])
        );
        assert_eq!(items[1]["motivation"], "identifying");
        assert_eq!(items[1]["body"][2]["source"], "urn:marginalia:kb:sergey-lavrov");
    }
}
