//! Knowledge-base parsing on arbitrary text (a strict JSON fast path, else
//! tree-sitter, error tolerant), then building the knowledge base and analysing
//! a fixed article with it, so arbitrary names and aliases go through the alias
//! index. Whenever the strict parser takes the text, tree-sitter must agree
//! with it: no syntax error, the same tree.
#![no_main]

use std::path::PathBuf;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use marginalia::analysis::{AnalysisConfig, analyze};
use marginalia::kb::json_tree::{parse_json_recovering, parse_json_strict};
use marginalia::kb::{KnowledgeBase, parse_kb_file};

const ARTICLE: &str =
    "date 2021-12-02\n\nLavrov said “We want peace,” after the Minsk agreements.\n\n“Ja,” sagte Müller. O'Brien’s aide agreed.";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(strict) = parse_json_strict(&text) {
        let recovered = parse_json_recovering(&text);
        assert!(recovered.errors.is_empty(), "strict JSON, yet tree-sitter reports {:?}", recovered.errors);
        assert!(recovered.root.as_ref() == Some(&strict), "the strict parser and tree-sitter disagree");
    }
    let file = parse_kb_file(Arc::new(PathBuf::from("kb/fuzz.json")), &text);
    for d in &file.diagnostics {
        assert!(text.get(d.range.start..d.range.end).is_some(), "diagnostic {:?} outside the file", d.range);
    }
    let build = KnowledgeBase::build(vec![file]);
    for (_, diagnostics) in &build.diagnostics {
        for d in diagnostics {
            assert!(text.get(d.range.start..d.range.end).is_some(), "diagnostic {:?} outside the file", d.range);
        }
    }
    let analysis = analyze(ARTICLE, &build.kb, &AnalysisConfig::default());
    for m in analysis.mentions() {
        assert!(ARTICLE.get(m.range.start..m.range.end).is_some());
    }
});
