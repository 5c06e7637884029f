//! Regression tests for what fuzzing found (fuzz/, RELIABILITY.md), one per
//! finding, named for it, on the minimised input.

use std::path::PathBuf;
use std::sync::Arc;

use marginalia::annotations::{anchor_all, parse_annotation_file};
use marginalia::kb::{KnowledgeBase, parse_kb_file};

/// F7 (fuzz target `annotation_file`, crash-a2f8681b…): a line ending inside an
/// unterminated string whose last character is multi-byte made the parser
/// slice inside that character and panic.
#[test]
fn f7_sidecar_line_truncated_after_a_multibyte_character() {
    for text in ["{\"id\": \"”", "{\"id\": \"”\n", "{\"exact\": \"😀", "{\"id\": \"é\r\n{\"id\": \"x\", \"kind\": \"€", "\"”"] {
        let file = parse_annotation_file(text);
        assert!(file.annotations.is_empty(), "{text:?}");
        assert!(!file.diagnostics.is_empty(), "{text:?}: the malformed line is reported");
        for d in &file.diagnostics {
            assert!(text.get(d.range.start..d.range.end).is_some(), "{text:?}: {:?} is not on character boundaries", d.range);
        }
        let _ = anchor_all("Lavrov said “We want peace.”", &file.annotations);
    }
}

/// F8 (found while rewriting KB parsing for F3): a knowledge-base file nested
/// 20,000 levels deep or more overflowed the stack — `marginalia check` aborted,
/// and the language server would have died loading the corpus — because the
/// syntax tree was walked recursively. Now values deeper than 128 levels are
/// reported and dropped, and the walk over syntax errors is iterative.
#[test]
fn f8_kb_file_nested_deeper_than_the_stack() {
    let depth = 200_000;
    for text in [
        format!("{{\"entities\": {}{}}}", "[".repeat(depth), "]".repeat(depth)),
        format!("{{\"entities\": [{}", "{\"a\": [".repeat(depth)),
        format!(
            "{{\"entities\": [{{\"id\": \"x\", \"name\": \"X\", \"kind\": \"person\", \"roles\": {}{}}}]}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    ] {
        let file = parse_kb_file(Arc::new(PathBuf::from("kb/deep.json")), &text);
        assert!(file.diagnostics.iter().any(|d| d.severity == marginalia::diagnostic::Severity::Error), "the file is reported");
        for d in &file.diagnostics {
            assert!(text.get(d.range.start..d.range.end).is_some(), "{:?}", d.range);
        }
        let _ = KnowledgeBase::build(vec![file]);
    }
}
