//! Analysis while an annotator types: the last analysis of a document is kept,
//! and after an edit the facts of the paragraphs the edit left alone are carried
//! over; only the edited stretch is read again, and only the passes that link
//! paragraphs (surnames, quotations running on, previous speakers) run over the
//! whole article. The result always equals [`analyze`](super::analyze) of the new text.

use std::sync::Arc;

use super::Mention;
use super::quotes::QuoteFacts;
use super::{Analysis, AnalysisConfig, analyze_reusing};
use crate::article::{Article, UnchangedParagraphs};
use crate::kb::{AliasCandidate, KnowledgeBase};
use crate::text::{RangeWalk, TextDiff};

/// What an analysis found on the way that the next one can carry over.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Every place a KB name matches, before overlaps and surnames are settled.
    pub alias_candidates: Vec<AliasCandidate>,
    /// Speech events, direct cues and kinds, paragraph by paragraph.
    pub quotes: QuoteFacts,
}

/// The previous version of a document, as an analysis reuses it.
pub(crate) struct Previous<'a> {
    pub diff: TextDiff,
    pub analysis: &'a Analysis,
    pub facts: &'a Facts,
}

/// Frees `value` on a thread of its own: the previous analysis of a long
/// document is hundreds of thousands of allocations, and freeing them is time
/// the diagnostics of the keystroke would otherwise wait for.
fn drop_elsewhere<T: Send + 'static>(value: T) {
    use std::sync::mpsc::{Sender, channel};
    type Garbage = Box<dyn Send>;
    static BIN: std::sync::OnceLock<Option<std::sync::Mutex<Sender<Garbage>>>> = std::sync::OnceLock::new();
    let bin = BIN.get_or_init(|| {
        let (sender, receiver) = channel::<Garbage>();
        std::thread::Builder::new().name("marginalia-free".into()).spawn(move || receiver.into_iter().for_each(drop)).ok()?;
        Some(std::sync::Mutex::new(sender))
    });
    let garbage: Garbage = Box::new(value);
    // Without the thread (it could not be started), drop it here.
    if let Some(Ok(sender)) = bin.as_ref().map(|b| b.lock()) {
        let _ = sender.send(garbage);
    }
}

/// For each paragraph of `article`, the previous article's paragraph with the
/// same text (moved by the edit) and the same KB mentions in it.
pub(crate) fn same_paragraphs(
    previous: &Previous<'_>,
    article: &Article,
    entities: &[Mention],
    agreements: &[Mention],
) -> Vec<Option<usize>> {
    let old_article = &previous.analysis.article;
    let mut unchanged = UnchangedParagraphs::new(old_article, &previous.diff);
    // Paragraphs come in text order on both sides: the mentions of each are
    // found by walking the lists once, not by a search per paragraph.
    let start = |m: &Mention| m.range.start;
    let mut new_entities = RangeWalk::new(entities, start);
    let mut new_agreements = RangeWalk::new(agreements, start);
    let mut old_entities = RangeWalk::new(&previous.analysis.entities, start);
    let mut old_agreements = RangeWalk::new(&previous.analysis.agreements, start);
    article
        .paragraphs
        .iter()
        .map(|paragraph| {
            let j = unchanged.find(paragraph.range)?;
            let old_range = old_article.paragraphs[j].range;
            let same_mentions =
                |new: &mut RangeWalk<'_, Mention>, new_list: &[Mention], old: &mut RangeWalk<'_, Mention>, old_list: &[Mention]| {
                    let (new, old) = (&new_list[new.starting_inside(paragraph.range)], &old_list[old.starting_inside(old_range)]);
                    new.len() == old.len()
                        && new.iter().zip(old).all(|(n, o)| {
                            n.range.start - paragraph.range.start == o.range.start - old_range.start
                                && n.range.len() == o.range.len()
                                && n.kind == o.kind
                                && n.id == o.id
                        })
                };
            (same_mentions(&mut new_entities, entities, &mut old_entities, &previous.analysis.entities)
                && same_mentions(&mut new_agreements, agreements, &mut old_agreements, &previous.analysis.agreements))
            .then_some(j)
        })
        .collect()
}

/// The last analysis of one document, kept to speed up the next.
#[derive(Default)]
pub struct IncrementalAnalysis {
    last: Option<Last>,
    /// Analyses that failed while carrying facts over and were redone from scratch.
    recoveries: usize,
}

struct Last {
    text: Arc<str>,
    /// Held so that a rebuilt knowledge base is never mistaken for this one.
    kb: Arc<KnowledgeBase>,
    config: AnalysisConfig,
    analysis: Arc<Analysis>,
    facts: Facts,
}

impl IncrementalAnalysis {
    /// The analysis of `text` (rules only, no manual annotations), reusing the
    /// previous one when the knowledge base and settings are the same.
    pub fn analyze(&mut self, text: &Arc<str>, kb: &Arc<KnowledgeBase>, config: &AnalysisConfig) -> Arc<Analysis> {
        let reusable = self.last.as_ref().filter(|last| {
            Arc::ptr_eq(&last.kb, kb) && last.config.speech_cues == config.speech_cues && last.config.language == config.language
        });
        let previous =
            reusable.map(|last| Previous { diff: TextDiff::between(&last.text, text), analysis: &last.analysis, facts: &last.facts });
        if let (Some(last), Some(previous)) = (reusable, &previous)
            && previous.diff.is_unchanged()
        {
            return last.analysis.clone();
        }
        let reusing = previous.is_some();
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze_reusing(text, kb, config, previous)));
        let (analysis, facts) = match attempt {
            Ok(done) => done,
            // A bug in carrying facts over must not leave an open document without
            // diagnostics until it is reopened (every later edit would build on the
            // same previous analysis): start over from scratch. The panic hook has
            // already logged the panic; the tests check that this never happens.
            Err(_) if reusing => {
                self.recoveries += 1;
                analyze_reusing(text, kb, config, None)
            }
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let analysis = Arc::new(analysis);
        let replaced =
            self.last.replace(Last { text: text.clone(), kb: kb.clone(), config: config.clone(), analysis: analysis.clone(), facts });
        drop_elsewhere(replaced);
        analysis
    }

    /// How many times carrying facts over failed and the analysis started over
    /// (a bug: always 0 in the tests).
    pub fn recoveries(&self) -> usize {
        self.recoveries
    }

    /// Forgets the last analysis (its memory is released).
    pub fn clear(&mut self) {
        self.last = None;
    }
}

/// However a document reaches its text through edits, its incremental analysis
/// is the analysis of that text from scratch.
#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::analysis::analyze;
    use crate::workspace::Corpus;

    /// Text an annotator might type or delete: names (whole and partial), cues,
    /// marks of every kind, paragraph breaks, a date header.
    const PIECES: &[&str] = &[
        "a",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "“",
        "”",
        "\"",
        "'",
        "’",
        "‘",
        ".",
        ",",
        ":",
        "Mr. ",
        "Ж",
        "date 2022-01-27 ",
        "Lavrov",
        "Sergei ",
        "Sergei Lavrov",
        "Peskov said",
        " he said. ",
        "“We will,” she added.",
        "NATO",
        "Minsk agreements",
        "the OSCE",
        "Blinken told",
        "“No",
        "Ukraine’s",
        "\n\n“",
        "Jens Stoltenberg",
        "they",
        "\nLavrov: ",
        ", the ministry says.",
        "so-called",
        " called “Red Line”",
        "according to him.",
        "‘No Deal’\n\n",
    ];

    fn corpus() -> &'static Corpus {
        static CORPUS: std::sync::OnceLock<Corpus> = std::sync::OnceLock::new();
        CORPUS.get_or_init(|| Corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"), &HashMap::new()))
    }

    fn seed(index: usize) -> String {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/articles");
        let mut paths: Vec<_> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
        paths.sort();
        std::fs::read_to_string(&paths[index % paths.len()]).unwrap()
    }

    /// An edit: where (a fraction of the text), how much to delete, what to insert.
    fn edit() -> impl Strategy<Value = (f64, usize, usize)> {
        (0.0..1.0f64, prop_oneof![3 => Just(0usize), 2 => 1..8usize, 1 => 8..400usize], 0..PIECES.len() + 4)
    }

    /// Edits in one paragraph that change what an untouched paragraph means: a
    /// surname resolves through a full name two paragraphs up, a quote opening
    /// its paragraph inherits the speaker of the one before, "he" looks back.
    #[test]
    fn edits_reach_the_paragraphs_that_depend_on_them() {
        let path = Arc::new(std::path::PathBuf::from("kb/t.json"));
        let kb_text = r#"{"entities": [
            {"id": "maria-zakharova", "name": "Maria Zakharova", "kind": "person"},
            {"id": "ned-price", "name": "Ned Price", "kind": "person"}
        ]}"#;
        let kb = Arc::new(KnowledgeBase::build(vec![crate::kb::parse_kb_file(path, kb_text)]).kb);
        let config = AnalysisConfig::default();
        let scenarios: &[(&str, &[(&str, &str)])] = &[
            (
                "Maria Zakharova spoke on Monday.\n\nShe was asked about talks.\n\n“We will not,” Zakharova said. “Never.”\n\n“Not now.”\n\nHe left.",
                &[
                    ("Maria Zakharova spoke", "Ned Price spoke"),
                    ("Ned Price spoke", "Maria Zakharova spoke"),
                    ("“We will not,” Zakharova said.", "“We will not,” she said."),
                    ("“We will not,” she said.", "“We will not.”"),
                    ("“We will not.”", "“We will not,” Ned Price said."),
                    ("“Never.”\n\n“Not now.”", "“Never.”\n\n\n“Not now.”"),
                    ("talks.", "talks, Ned Price said:"),
                    ("Monday.", "Monday. “Yes"),
                ],
            ),
            // A quote left open at a paragraph's end is closed there when the next
            // paragraph reopens it, and unclosed otherwise: its kind follows.
            (
                "Ned Price said that “We will never give up on this.\n\nThen he left.",
                &[("Then he left.", "“Then he left.”"), ("“Then he left.”", "Then he left.")],
            ),
        ];
        for (text, edits) in scenarios {
            let mut live = IncrementalAnalysis::default();
            let mut current = text.to_string();
            live.analyze(&Arc::from(current.as_str()), &kb, &config);
            for (from, to) in edits.iter() {
                assert!(current.contains(from), "{from:?} not in {current:?}");
                current = current.replacen(from, to, 1);
                let analysis = live.analyze(&Arc::from(current.as_str()), &kb, &config);
                assert_eq!(*analysis, analyze(&current, &kb, &config), "after {from:?} -> {to:?}");
            }
        }
    }

    /// A previous analysis that does not hold together (what a bug in carrying
    /// facts over could leave behind) makes the next analysis panic; it starts
    /// over from scratch instead of failing on every later edit.
    #[test]
    fn a_failure_while_carrying_over_starts_over_from_scratch() {
        let corpus = corpus();
        let (kb, config) = (corpus.kb.clone(), corpus.analysis_config.clone());
        let mut live = IncrementalAnalysis::default();
        live.analyze(&Arc::from("Lavrov said “no.”\n\nPeskov agreed."), &kb, &config);
        // The first paragraph's sentences are gone, though it still points at them.
        let last = live.last.as_mut().unwrap();
        let mut broken = (*last.analysis).clone();
        broken.article.sentences.clear();
        last.analysis = Arc::new(broken);
        let edited = "Lavrov said “no.”\n\nPeskov agreed again.";
        let analysis = live.analyze(&Arc::from(edited), &kb, &config);
        assert_eq!(live.recoveries(), 1);
        assert_eq!(*analysis, analyze(edited, &kb, &config));
        // The next edit builds on the analysis that was redone.
        let next = "Lavrov said “no.”\n\nPeskov agreed once again.";
        let again = live.analyze(&Arc::from(next), &kb, &config);
        assert_eq!(live.recoveries(), 1);
        assert_eq!(*again, analyze(next, &kb, &config));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48)))]

        #[test]
        fn incremental_analysis_equals_analysis_from_scratch(article in 0..5usize, edits in proptest::collection::vec(edit(), 1..24)) {
            let corpus = corpus();
            let kb = corpus.kb.clone();
            let config = corpus.analysis_config.clone();
            let mut text = seed(article);
            let mut live = IncrementalAnalysis::default();
            live.analyze(&Arc::from(text.as_str()), &kb, &config);
            for (at, delete, piece) in edits {
                let mut start = ((text.len() as f64) * at) as usize;
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + delete).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                // Past the list: delete only.
                text.replace_range(start..end, PIECES.get(piece).copied().unwrap_or(""));
                let analysis = live.analyze(&Arc::from(text.as_str()), &kb, &config);
                let scratch = analyze(&text, &kb, &config);
                prop_assert_eq!(&analysis.article, &scratch.article);
                prop_assert_eq!(&analysis.entities, &scratch.entities);
                prop_assert_eq!(&analysis.agreements, &scratch.agreements);
                prop_assert_eq!(&analysis.quotes, &scratch.quotes);
                prop_assert_eq!(&analysis.unknown_entities, &scratch.unknown_entities);
                prop_assert_eq!(&analysis.diagnostics, &scratch.diagnostics);
            }
            prop_assert_eq!(live.recoveries(), 0);
        }
    }
}
