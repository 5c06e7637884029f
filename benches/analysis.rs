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
use std::sync::{Arc, LazyLock};

use divan::counter::BytesCount;
use marginalia::analysis::{IncrementalAnalysis, analyze};
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

/// One character typed at a random spot, then the analysis after it, as the
/// server does it: building on the analysis before the keystroke.
#[divan::bench(args = [20_000, 200_000, 2_000_000], sample_count = 200)]
fn keystroke_incremental(bencher: divan::Bencher, bytes: usize) {
    let mut text = document(bytes);
    let mut live = IncrementalAnalysis::default();
    live.analyze(&Arc::from(text.as_str()), &CORPUS.kb, &CORPUS.analysis_config);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    bencher
        .with_inputs(|| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut at = (state % text.len() as u64) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert(at, 'x');
            Arc::<str>::from(text.as_str())
        })
        .bench_local_refs(|edited| live.analyze(edited, &CORPUS.kb, &CORPUS.analysis_config));
}

fn main() {
    divan::main();
}
