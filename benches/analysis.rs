//! Analysis throughput: the full analysis (entities, agreements, quotes,
//! attribution, diagnostics) of generated documents, in bytes per second.
//!
//! ```sh
//! cargo bench --bench analysis
//! ```

#[path = "support/generator.rs"]
mod generator;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use marginalia::analysis::analyze;
use marginalia::workspace::Corpus;

static CORPUS: LazyLock<Corpus> =
    LazyLock::new(|| Corpus::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"), &HashMap::new()));

fn document(bytes: usize) -> String {
    generator::Generator::from_seeds(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/articles"), 7).article(bytes)
}

#[divan::bench(args = [20_000, 200_000, 2_000_000], sample_count = 20)]
fn full_analysis(bencher: divan::Bencher, bytes: usize) {
    let text = document(bytes);
    bencher.counter(BytesCount::of_str(&text)).bench(|| analyze(divan::black_box(&text), &CORPUS.kb, &CORPUS.analysis_config));
}

#[divan::bench(args = [20_000, 2_000_000], sample_count = 20)]
fn mentions_only(bencher: divan::Bencher, bytes: usize) {
    let text = document(bytes);
    bencher.counter(BytesCount::of_str(&text)).bench(|| marginalia::workspace::mentions_in(divan::black_box(&text), &CORPUS.kb));
}

fn main() {
    divan::main();
}
