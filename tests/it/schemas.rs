//! The shipped JSON Schemas agree with the files marginalia reads and writes:
//! the bundled knowledge base, an entry added by the add-to-KB fix, and a sidecar
//! written from suggestions all validate, and typical mistakes do not.

use std::collections::HashMap;
use std::path::PathBuf;

use marginalia::analysis::analyze;
use marginalia::annotations::serialize_annotations;
use marginalia::ide::annotate::{ActionContext, Annotator, suggested_annotations};
use marginalia::workspace::Corpus;
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema(name: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(repo().join("editors/schemas").join(name)).unwrap()).unwrap();
    jsonschema::draft202012::options().should_validate_formats(true).build(&schema).expect("the schema itself is valid")
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn bundled_knowledge_base_validates() {
    let validator = schema("kb.schema.json");
    for name in ["entities.json", "agreements.json"] {
        let value: Value = serde_json::from_str(&std::fs::read_to_string(repo().join("corpus/kb").join(name)).unwrap()).unwrap();
        assert_eq!(errors(&validator, &value), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn kb_schema_rejects_typical_mistakes() {
    let validator = schema("kb.schema.json");
    let bad = [
        json!({"entities": [{"id": "Bad Id", "name": "X", "kind": "person", "roles": []}]}),
        json!({"entities": [{"id": "x", "name": "X", "kind": "planet"}]}),
        json!({"entities": [{"id": "x", "name": "X", "kind": "person", "roles": [{"title": "T", "start": "2021-02-30", "end": null}]}]}),
        json!({"entities": [{"id": "x", "name": "X", "kind": "place", "colour": "red"}]}),
    ];
    for value in bad {
        assert!(!errors(&validator, &value).is_empty(), "{value} should not validate");
    }
}

#[test]
fn entry_added_by_the_fix_validates() {
    let corpus = Corpus::load(&repo().join("corpus"), &HashMap::new());
    let text = std::fs::read_to_string(repo().join("corpus/kb/entities.json")).unwrap();
    for kind in [marginalia::kb::EntryKind::Person, marginalia::kb::EntryKind::Organization] {
        let unknown = marginalia::analysis::UnknownEntity {
            range: marginalia::text::TextRange::empty(0),
            name: "Tatiana Volkova".into(),
            likely_kind: kind,
        };
        let change =
            &marginalia::ide::fixes::add_to_knowledge_base(&unknown, &corpus.kb, &[(repo().join("corpus/kb/entities.json"), text.clone())])
                [0];
        let edit = &change.edits[0];
        let mut edited = text.clone();
        edited.replace_range(edit.range.start..edit.range.end, &edit.new_text);
        assert_eq!(errors(&schema("kb.schema.json"), &serde_json::from_str(&edited).unwrap()), Vec::<String>::new(), "{kind:?}");
    }
}

#[test]
fn sidecar_lines_validate() {
    let corpus = Corpus::load(&repo().join("corpus"), &HashMap::new());
    let text = std::fs::read_to_string(repo().join("corpus/articles/000_650f7ada08eebc05.txt")).unwrap();
    let analysis = analyze(&text, &corpus.kb, &corpus.analysis_config);
    let who = Annotator { name: "alice".into(), curator: false };
    let cx = ActionContext::new(&text, &analysis, &corpus.kb, &corpus.config.labels.entity, &[], &who, "2026-11-23T00:00:00Z");
    let annotations = suggested_annotations(&cx);
    let validator = schema("annotations.schema.json");
    for line in serialize_annotations(&annotations).lines() {
        assert_eq!(errors(&validator, &serde_json::from_str(line).unwrap()), Vec::<String>::new(), "{line}");
    }
    let bad = json!({"id": "x", "kind": "speech", "label": "QUOTE", "start": -1, "end": 3, "exact": "abc", "annotator": "a", "created": "yesterday", "status": "maybe"});
    assert!(errors(&validator, &bad).len() >= 4, "{:?}", errors(&validator, &bad));
}
