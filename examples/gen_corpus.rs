//! Writes benchmark corpora and documents from the seed articles, deterministically:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- corpus OUT_DIR 10000 [SEED]
//! cargo run --release --example gen_corpus -- prose-corpus OUT_DIR 10000 [SEED]
//! cargo run --release --example gen_corpus -- document OUT_FILE 2000000 [SEED]
//! ```

#[path = "../benches/support/generator.rs"]
mod generator;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus corpus|prose-corpus OUT_DIR COUNT [SEED] | gen_corpus document OUT_FILE BYTES [SEED]";
    let (Some(what), Some(out), Some(amount)) = (args.first(), args.get(1), args.get(2).and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut generator = generator::Generator::from_seeds(&bundled.join("articles"), seed);
    let out = PathBuf::from(out);
    match what.as_str() {
        "corpus" => generator.write_corpus(&bundled, &out, amount),
        // The seeds' paragraphs only, without the synthetic quotations.
        "prose-corpus" => generator.prose_only().write_corpus(&bundled, &out, amount),
        "document" => std::fs::write(&out, generator.article(amount)).expect("write document"),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
    eprintln!("wrote {}", out.display());
}
