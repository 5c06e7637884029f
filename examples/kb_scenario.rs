//! The new-team figures of issue 16 on a corpus: how many `unknown-entity`
//! notes its articles get, and how many person mentions have a hover that shows
//! a role held on the article's date.
//!
//! ```text
//! cargo run --release --example kb_scenario -- CORPUS [CORPUS...]
//! ```
//!
//! Each corpus is loaded as `check` loads it (configuration, every KB file, a
//! draft's entries left out) and each article analysed as the editor does. A
//! person mention counts as showing a role when the article has a date header
//! and the entry has a role held on that date: the hover card then prints
//! "TITLE *(on DATE; …)*" (`ide::hover::entry_card`).

use std::collections::HashMap;
use std::path::PathBuf;

use marginalia::analysis::analyze;
use marginalia::kb::EntryKind;
use marginalia::workspace::{Corpus, read_text_file};

fn main() {
    let roots: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: kb_scenario CORPUS [CORPUS...]");
        std::process::exit(2);
    }
    println!("| corpus | articles | KB entries | unknown-entity notes | person mentions | with a role on the article's date | share |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for root in roots {
        let corpus = Corpus::load(&root, &HashMap::new());
        let (mut articles, mut unknown, mut people, mut with_role) = (0usize, 0usize, 0usize, 0usize);
        for path in corpus.article_paths() {
            let Ok(text) = read_text_file(&path) else { continue };
            let analysis = analyze(&text, &corpus.kb, &corpus.analysis_config);
            articles += 1;
            unknown += analysis.unknown_entities.len();
            for mention in analysis.entities.iter().filter(|m| m.kind == EntryKind::Person) {
                people += 1;
                let held = analysis.date().zip(corpus.kb.get(&mention.id)).is_some_and(|(date, entry)| !entry.roles_on(date).is_empty());
                with_role += usize::from(held);
            }
        }
        let share = if people == 0 { 0.0 } else { 100.0 * with_role as f64 / people as f64 };
        println!("| {} | {articles} | {} | {unknown} | {people} | {with_role} | {share:.1} % |", root.display(), corpus.kb.entries().len());
    }
}
