//! JSONL in the shape Prodigy and doccano read and write: one article a line,
//! `{"text", "spans": [{"start", "end", "label"}], "meta"}`, offsets in code
//! points. marginalia adds fields those tools keep and ignore: per span `text`,
//! `id`, `kind`, `entity`, `speaker`, `annotator`, `status`; in `meta` the
//! article's `name` and `source` path, so an import finds its article again.

use serde_json::{Map, Value, json};

use super::{ExportDocument, ImportedSpan, Notes, SpeakerRef, SpeakerTarget, kind_for_label, place_annotations, speaker_target};
use crate::annotations::AnnotationKind;

/// One record for `doc`, its `meta.source` the article's path relative to the corpus root.
pub fn to_jsonl_record(doc: &ExportDocument, notes: &mut Notes) -> Value {
    let placed = place_annotations(doc.text, doc.annotations, notes);
    let spans: Vec<Value> = placed
        .iter()
        .map(|p| {
            let a = p.annotation;
            let mut span = json!({
                "start": p.start,
                "end": p.end,
                "label": a.label,
                "text": p.range.slice(doc.text),
                "id": a.id,
                "kind": match a.kind { AnnotationKind::Entity => "entity", AnnotationKind::Quote => "quote" },
            });
            let fields = span.as_object_mut().expect("object literal");
            if let Some(entity) = &a.entity {
                fields.insert("entity".into(), entity.as_str().into());
            }
            match a.speaker.as_deref().and_then(|speaker| speaker_target(doc, &placed, speaker, notes)) {
                Some(SpeakerTarget::Annotation(id) | SpeakerTarget::KnowledgeBase(id)) => {
                    fields.insert("speaker".into(), id.into());
                }
                None => {}
            }
            fields.insert("annotator".into(), a.annotator.as_str().into());
            fields.insert("status".into(), a.status.as_str().into());
            span
        })
        .collect();
    json!({ "text": doc.text, "spans": spans, "meta": { "name": doc.name, "source": doc.source } })
}

/// A record read back: its text, spans, and what it says about its article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonlRecord {
    /// The article's text in the record.
    pub text: String,
    /// Its spans.
    pub spans: Vec<ImportedSpan>,
    /// `meta.name`, or the file stem of `meta.source` / `meta.path`.
    pub name: Option<String>,
    /// `meta.source`: the article's path relative to the corpus root, where
    /// names may repeat (marginalia's export writes it).
    pub source: Option<String>,
    /// `meta.annotator` or Prodigy's `_annotator_id`.
    pub annotator: Option<String>,
    /// Prodigy's `answer` was `reject` or `ignore`: the record is not an annotation.
    pub rejected: bool,
}

/// Parses one line. Besides `spans` (Prodigy), doccano's `label: [[start, end,
/// label]]` and `entities: [{start_offset, end_offset, label}]` are read.
pub fn parse_jsonl_record(line: &str) -> Result<JsonlRecord, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let object = value.as_object().ok_or("not a JSON object")?;
    let text = object.get("text").and_then(Value::as_str).ok_or("no \"text\" string")?.to_string();
    let meta = object.get("meta").and_then(Value::as_object);
    let meta_str = |key: &str| meta.and_then(|m| m.get(key)).and_then(Value::as_str);
    let name = meta_str("name").map(str::to_string).or_else(|| {
        meta_str("source")
            .or_else(|| meta_str("path"))
            .and_then(|p| std::path::Path::new(p).file_stem())
            .map(|s| s.to_string_lossy().into())
    });
    let annotator = meta_str("annotator").or_else(|| object.get("_annotator_id").and_then(Value::as_str)).map(str::to_string);
    let rejected = matches!(object.get("answer").and_then(Value::as_str), Some("reject" | "ignore"));
    let raw: Vec<Map<String, Value>> = if let Some(spans) = object.get("spans").and_then(Value::as_array) {
        spans.iter().map(|s| s.as_object().cloned().ok_or("a span is not an object")).collect::<Result<_, _>>()?
    } else if let Some(entities) = object.get("entities").and_then(Value::as_array) {
        entities.iter().map(doccano_entity).collect::<Result<_, _>>()?
    } else if let Some(labels) = object.get("label").and_then(Value::as_array) {
        labels.iter().map(doccano_entity).collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    let ids: std::collections::HashSet<&str> = raw.iter().filter_map(|s| s.get("id").and_then(Value::as_str)).collect();
    let length = text.chars().count();
    let mut spans = Vec::with_capacity(raw.len());
    for (n, span) in raw.iter().enumerate() {
        let number = |key: &str| span.get(key).and_then(Value::as_u64).map(|v| v as usize);
        let (Some(start), Some(end)) = (number("start"), number("end")) else { return Err(format!("span {n} has no start/end")) };
        let label = span.get("label").and_then(Value::as_str).ok_or(format!("span {n} has no label"))?;
        if start > end || end > length {
            return Err(format!("span {n} ({start}..{end}) lies outside the text ({length} code points)"));
        }
        let string = |key: &str| span.get(key).and_then(Value::as_str).map(str::to_string);
        let kind = match span.get("kind").and_then(Value::as_str) {
            Some("quote") => AnnotationKind::Quote,
            Some("entity") => AnnotationKind::Entity,
            _ => kind_for_label(label),
        };
        let speaker = string("speaker").map(|s| if ids.contains(s.as_str()) { SpeakerRef::Span(s) } else { SpeakerRef::KnowledgeBase(s) });
        spans.push(ImportedSpan {
            key: string("id").unwrap_or_else(|| format!("#{n}")),
            kind,
            label: label.to_string(),
            start,
            end,
            entity: string("entity"),
            speaker,
            annotator: string("annotator"),
        });
    }
    let source = meta_str("source").map(str::to_string);
    Ok(JsonlRecord { text, spans, name, source, annotator, rejected })
}

/// doccano's `[start, end, label]` or `{start_offset, end_offset, label}` as a span object.
fn doccano_entity(value: &Value) -> Result<Map<String, Value>, String> {
    let (start, end, label) = match value {
        Value::Array(items) if items.len() == 3 => (items[0].clone(), items[1].clone(), items[2].clone()),
        Value::Object(o) => (
            o.get("start_offset").or_else(|| o.get("start")).cloned().unwrap_or_default(),
            o.get("end_offset").or_else(|| o.get("end")).cloned().unwrap_or_default(),
            o.get("label").cloned().unwrap_or_default(),
        ),
        _ => return Err("an entity is neither [start, end, label] nor an object".into()),
    };
    let mut span = Map::new();
    span.insert("start".into(), start);
    span.insert("end".into(), end);
    span.insert("label".into(), label);
    Ok(span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::test_support::annotate;

    #[test]
    fn record_reads_back_with_links_and_meta() {
        let text = "“Мир,” сказал Лавров.";
        let mut quote = annotate(text, "q", AnnotationKind::Quote, "QUOTE", "“Мир,”");
        quote.speaker = Some("p".into());
        let mut person = annotate(text, "p", AnnotationKind::Entity, "PERSON", "Лавров");
        person.entity = Some("sergey-lavrov".into());
        let annotations = [quote, person];
        let mut notes = Notes::default();
        let record = to_jsonl_record(&ExportDocument { name: "x", source: "articles/x.txt", text, annotations: &annotations }, &mut notes);
        assert_eq!(record["spans"][1]["start"], 14, "code points: “Мир,” (6) + space + сказал (6) + space = 14");
        assert_eq!(record["spans"][1]["text"], "Лавров");
        let parsed = parse_jsonl_record(&record.to_string()).unwrap();
        assert_eq!(parsed.name.as_deref(), Some("x"));
        assert_eq!(parsed.spans[0].speaker, Some(SpeakerRef::Span("p".into())));
        assert_eq!(parsed.spans[1].entity.as_deref(), Some("sergey-lavrov"));
        assert_eq!((parsed.spans[1].start, parsed.spans[1].end), (14, 20));
    }

    #[test]
    fn doccano_shapes_and_prodigy_answers_are_read() {
        let classic = parse_jsonl_record(r#"{"text":"Putin spoke","label":[[0,5,"PERSON"]]}"#).unwrap();
        assert_eq!((classic.spans[0].start, classic.spans[0].end, classic.spans[0].label.as_str()), (0, 5, "PERSON"));
        let newer =
            parse_jsonl_record(r#"{"text":"Putin spoke","entities":[{"id":1,"start_offset":0,"end_offset":5,"label":"PERSON"}]}"#).unwrap();
        assert_eq!(newer.spans[0].end, 5);
        let rejected = parse_jsonl_record(r#"{"text":"x","spans":[],"answer":"reject","_annotator_id":"news-bob"}"#).unwrap();
        assert!(rejected.rejected);
        assert_eq!(rejected.annotator.as_deref(), Some("news-bob"));
        assert!(parse_jsonl_record(r#"{"text":"ab","spans":[{"start":0,"end":3,"label":"X"}]}"#).unwrap_err().contains("outside"));
    }
}
