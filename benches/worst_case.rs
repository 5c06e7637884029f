//! Worst-case inputs of issue 14, at sizes that show whether the work grows
//! linearly: re-anchoring a sidecar whose annotations all moved, a KB alias of
//! 10,000 repetitive characters, a single-paragraph article of several MB,
//! tens of thousands of quotes in one sentence, a file of quotation marks.
//! Compare each size with the next: linear work doubles with the input.
//!
//! ```sh
//! cargo bench --bench worst_case
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use divan::counter::BytesCount;
use marginalia::analysis::{AnalysisConfig, analyze};
use marginalia::annotations::{Annotation, AnnotationKind, Authorship, Status, anchor_all};
use marginalia::kb::{KnowledgeBase, parse_kb_file};
use marginalia::text::{LineIndex, TextRange};

fn main() {
    divan::main();
}

/// An article of `count` sentences naming Lavrov, told apart by random codes,
/// under a headline; its annotations on every "Lavrov"; and the article with a
/// note inserted before the headline, which moves them all.
fn moved_annotations(count: usize) -> (String, Vec<Annotation>) {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut code = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        format!("{:016x}", seed >> 1)
    };
    let sentences: String = (0..count).map(|_| format!("Report {} says Lavrov met {} today. ", code(), code())).collect();
    let old = format!("The minister meets envoys from every city\n\n{sentences}");
    let index = LineIndex::new(&old);
    let by = Authorship { annotator: "alice", created: "2026-12-03T00:00:00Z", status: Status::Accepted };
    let annotations = old
        .match_indices("Lavrov")
        .enumerate()
        .map(|(i, (at, _))| {
            let range = TextRange::new(at, at + "Lavrov".len());
            Annotation { id: format!("a{i}"), ..Annotation::on_span(&old, &index, range, AnnotationKind::Entity, "PERSON", by) }
        })
        .collect();
    (format!("Editor's note: this story was updated on Monday.\n\n{old}"), annotations)
}

/// Re-anchoring every annotation of a sidecar after text was inserted above
/// them all (issue 14: 100,000 took 433 s in `check`).
#[divan::bench(args = [25_000, 50_000, 100_000], sample_count = 5)]
fn anchor_moved_annotations(bencher: divan::Bencher, count: usize) {
    let (text, annotations) = moved_annotations(count);
    bencher.bench(|| anchor_all(divan::black_box(&text), &annotations));
}

/// Building a KB with one long repetitive alias and finding names in a short
/// article (the automaton is built on the first search).
#[divan::bench(args = [2_500, 10_000, 1_000_000], sample_count = 5)]
fn kb_with_a_long_alias(bencher: divan::Bencher, alias_chars: usize) {
    let alias = "Lavrov ".repeat(alias_chars / 7 + 1)[..alias_chars].trim().to_string();
    let file = format!(r#"{{"entities": [{{"id": "x", "name": "Sergey Lavrov", "kind": "person", "aliases": ["{alias}"]}}]}}"#);
    bencher.bench(|| {
        let build = KnowledgeBase::build(vec![parse_kb_file(Arc::new(PathBuf::from("kb/long.json")), &file)]);
        build.kb.alias_index().find_matches("Sergey Lavrov spoke; Lavrov left.", build.kb.entries()).len()
    });
}

fn analyse(bencher: divan::Bencher, text: &str) {
    let kb = KnowledgeBase::default();
    let config = AnalysisConfig::default();
    bencher.counter(BytesCount::of_str(text)).bench(|| analyze(divan::black_box(text), &kb, &config));
}

/// One paragraph of `bytes` bytes, two quotes per sentence.
#[divan::bench(args = [500_000, 1_000_000, 2_000_000, 8_000_000], sample_count = 5)]
fn single_paragraph(bencher: divan::Bencher, bytes: usize) {
    let unit = "Lavrov said “we will not rush to conclusions,” and then he left. Critics called it a “mess” at the time. ";
    analyse(bencher, &unit.repeat(bytes / unit.len()));
}

/// `quotes` quotations in one sentence, one utterance cued at its start.
#[divan::bench(args = [12_500, 25_000, 50_000], sample_count = 5)]
fn quotes_in_one_sentence(bencher: divan::Bencher, quotes: usize) {
    let words: Vec<String> = (0..quotes).map(|i| format!("“word{i}”")).collect();
    analyse(bencher, &format!("He said {} today.", words.join(" ")));
}

/// A file of nothing but `“”`, `bytes` bytes of it.
#[divan::bench(args = [25_000, 50_000, 100_000], sample_count = 5)]
fn only_quotation_marks(bencher: divan::Bencher, bytes: usize) {
    analyse(bencher, &"“”".repeat(bytes / 6));
}
