//! Knowledge-base parsing on arbitrary text (tree-sitter JSON, error tolerant),
//! then building the knowledge base and analysing a fixed article with it, so
//! arbitrary names and aliases go through the alias index.
#![no_main]

use std::path::PathBuf;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use marginalia::analysis::{AnalysisConfig, analyze};
use marginalia::kb::{KnowledgeBase, parse_kb_file};

const ARTICLE: &str =
    "date 2021-12-02\n\nLavrov said “We want peace,” after the Minsk agreements.\n\n“Ja,” sagte Müller. O'Brien’s aide agreed.";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
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
