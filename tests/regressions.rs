//! Regression tests for what fuzzing found (fuzz/, RELIABILITY.md), one per
//! finding, named for it, on the minimised input; and for the worst-case inputs
//! and anchoring findings of issue 14, one per finding.
//!
//! The worst-case tests never time a run against a tight bound: each uses a size
//! at which the quadratic behaviour it guards against takes many minutes, and
//! allows far more than the linear one needs even in a debug build on a busy
//! machine. Speed figures belong in `benches/worst_case.rs`.

use std::path::PathBuf;
use std::sync::Arc;

use std::time::{Duration, Instant};

use marginalia::annotations::{anchor_all, parse_annotation_file};
use marginalia::diagnostic::DiagnosticCode;
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

/// Issue 14: one long repetitive alias made building the alias automaton
/// quadratic (its DFA follows failure links as long as the repetition for
/// every state): a 10,000-character alias blocked hovers for 70 s in the
/// editor, a 10 MB name for good. A 1 MB alias took hours; now it is not
/// searched for (names over 200 characters are not), the KB reports it where it
/// is, and finding names in an article stays immediate.
#[test]
fn long_repetitive_kb_alias_builds_in_linear_time() {
    let alias = "Lavrov ".repeat(150_000);
    let text =
        format!(r#"{{"entities": [{{"id": "lavrov", "name": "Sergey Lavrov", "kind": "person", "aliases": ["{}"]}}]}}"#, alias.trim());
    let started = Instant::now();
    let build = KnowledgeBase::build(vec![parse_kb_file(Arc::new(PathBuf::from("kb/long.json")), &text)]);
    let (_, diagnostics) = &build.diagnostics[0];
    let [too_long] = diagnostics.as_slice() else { panic!("one diagnostic: {diagnostics:?}") };
    assert_eq!(too_long.code, DiagnosticCode::AliasTooLong);
    assert_eq!(too_long.range.slice(&text).trim_matches('"'), alias.trim(), "reported where the alias is");
    assert!(too_long.message.contains("\"Lavrov Lavrov"), "{}", too_long.message);
    let article = "Sergey Lavrov spoke; Lavrov left.";
    let matches = build.kb.alias_index().find_matches(article, build.kb.entries());
    let elapsed = started.elapsed();
    assert_eq!(matches.len(), 2, "the name and the bare surname after it: {matches:?}");
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}
