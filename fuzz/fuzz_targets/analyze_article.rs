//! Article analysis on arbitrary bytes: as the CLI and the server see a file
//! (lossily decoded) and, when the bytes are valid UTF-8, as they are. Every
//! range the analysis reports must lie inside the text on character boundaries.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use marginalia::analysis::{Analysis, AnalysisConfig, analyze};
use marginalia::kb::KnowledgeBase;
use marginalia::workspace::Corpus;

/// The bundled corpus's knowledge base and settings, so mentions and speakers
/// are exercised too.
static CORPUS: LazyLock<(KnowledgeBase, AnalysisConfig)> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    let corpus = Corpus::load(&root, &Default::default());
    ((*corpus.kb).clone(), corpus.analysis_config.clone())
});

fn check(text: &str, analysis: &Analysis) {
    let ok = |r: marginalia::text::TextRange| r.start <= r.end && text.get(r.start..r.end).is_some();
    for d in &analysis.diagnostics {
        assert!(ok(d.range), "diagnostic {:?} outside the text", d.range);
    }
    for m in analysis.mentions() {
        assert!(ok(m.range), "mention {:?} outside the text", m.range);
    }
    for q in &analysis.quotes {
        assert!(ok(q.range), "quote {:?} outside the text", q.range);
    }
}

fuzz_target!(|data: &[u8]| {
    let (kb, config) = &*CORPUS;
    let lossy = String::from_utf8_lossy(data);
    let analysis = analyze(&lossy, kb, config);
    check(&lossy, &analysis);
    if let Ok(text) = std::str::from_utf8(data) {
        let analysis = analyze(text, &KnowledgeBase::default(), &AnalysisConfig::default());
        check(text, &analysis);
    }
});
