//! Exports and imports through the real binary on copies of the bundled corpus:
//! round trips (import → export → import) keep every annotation in brat and
//! JSONL, re-importing adds nothing, spaCy loads the spaCy export, and
//! `marginalia agreement` gives hand-computed figures on a two-annotator corpus.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marginalia::analysis::analyze;
use marginalia::annotations::{Annotation, Status, anchor_all, read_annotations, sidecar_path, update_annotations};
use marginalia::ide::annotate::{ActionContext, AnnotationOp, Annotator, apply_annotation_ops, suggestions_for_document};
use marginalia::workspace::Corpus;
use serde_json::Value;

fn marginalia(args: &[&str], cwd: &Path) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_marginalia")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().expect("runs");
    assert!(output.status.success(), "marginalia {args:?} failed:\n{}{}", stdout(&output), String::from_utf8_lossy(&output.stderr));
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A copy of the bundled corpus in a temporary folder, without any sidecars.
fn corpus_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in walkdir::WalkDir::new(&source).into_iter().map(Result::unwrap) {
        let target = dir.path().join("corpus").join(entry.path().strip_prefix(&source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if !entry.file_name().to_string_lossy().ends_with(".ann.jsonl") && !entry.file_name().to_string_lossy().starts_with('.') {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn corpus_root(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("corpus")
}

/// Annotates every seed article with marginalia's suggestions, accepted; one
/// quote per article gets its speaker as a bare knowledge-base id, so that both
/// kinds of speaker link travel.
fn annotate_seeds(root: &Path) -> usize {
    let corpus = Corpus::load(root, &HashMap::new());
    let who = Annotator { name: "ann".into(), curator: true };
    let mut total = 0;
    for article in corpus.article_paths() {
        let text = std::fs::read_to_string(&article).unwrap();
        let analysis = analyze(&text, &corpus.kb, &corpus.analysis_config);
        let cx = ActionContext::new(&text, &analysis, &corpus.kb, &corpus.config.labels.entity, &[], &who, "2026-01-01T00:00:00Z");
        let ops = suggestions_for_document(&cx);
        let (count, _) = update_annotations(&sidecar_path(&article), |annotations| {
            apply_annotation_ops(annotations, &ops, &who).unwrap();
            let accept: Vec<AnnotationOp> = annotations
                .iter()
                .map(|a| AnnotationOp::SetStatus { id: a.id.clone(), status: Status::Accepted, annotator: None })
                .collect();
            apply_annotation_ops(annotations, &accept, &who).unwrap();
            let entity_of: HashMap<String, String> =
                annotations.iter().filter_map(|a| a.entity.clone().map(|e| (a.id.clone(), e))).collect();
            if let Some(quote) = annotations.iter_mut().find(|a| a.speaker.as_ref().is_some_and(|s| entity_of.contains_key(s))) {
                quote.speaker = Some(entity_of[quote.speaker.as_ref().unwrap()].clone());
            }
            annotations.len()
        })
        .unwrap();
        total += count;
    }
    total
}

/// Everything an annotation says, independent of ids: kind, label, span, text,
/// entity and speaker (a speaker annotation by its span and label).
type Key = (String, String, usize, usize, String, Option<String>, Option<String>, String);

fn annotation_keys(root: &Path) -> BTreeMap<String, BTreeSet<Key>> {
    let corpus = Corpus::load(root, &HashMap::new());
    let mut keys = BTreeMap::new();
    for article in corpus.article_paths() {
        let annotations: Vec<Annotation> = read_annotations(&sidecar_path(&article)).unwrap().annotations;
        let by_id: HashMap<&str, &Annotation> = annotations.iter().map(|a| (a.id.as_str(), a)).collect();
        let set: BTreeSet<Key> = annotations
            .iter()
            .map(|a| {
                let speaker = a.speaker.as_ref().map(|s| match by_id.get(s.as_str()) {
                    Some(other) => format!("span {}..{} {}", other.start, other.end, other.label),
                    None => format!("kb {s}"),
                });
                (
                    format!("{:?}", a.kind),
                    a.label.clone(),
                    a.start,
                    a.end,
                    a.exact.clone(),
                    a.entity.clone(),
                    speaker,
                    a.status.as_str().to_string(),
                )
            })
            .collect();
        keys.insert(article.file_name().unwrap().to_string_lossy().into_owned(), set);
    }
    keys
}

fn assert_anchored_in_place(root: &Path) {
    let corpus = Corpus::load(root, &HashMap::new());
    for article in corpus.article_paths() {
        let text = std::fs::read_to_string(&article).unwrap();
        let annotations = read_annotations(&sidecar_path(&article)).unwrap().annotations;
        for anchored in anchor_all(&text, &annotations) {
            assert_eq!(anchored.anchor, marginalia::annotations::Anchor::InPlace, "{:?}", anchored.annotation);
        }
    }
}

fn summary_line(output: &Output) -> String {
    stdout(output).lines().find(|l| l.starts_with("imported ")).unwrap_or_default().to_string()
}

#[test]
fn brat_round_trip_keeps_every_annotation_and_reimport_adds_nothing() {
    let original = corpus_copy();
    let annotated = annotate_seeds(&corpus_root(&original));
    assert!(annotated > 40, "the seeds should give plenty of annotations, got {annotated}");
    let work = tempfile::tempdir().unwrap();
    let first = work.path().join("brat1");
    marginalia(&["export", corpus_root(&original).to_str().unwrap(), "--format", "brat", "--out", first.to_str().unwrap()], work.path());
    let ann = std::fs::read_to_string(first.join("articles/000_650f7ada08eebc05.ann")).unwrap();
    assert!(ann.contains("\tSpeaker Arg1:T") && ann.contains("\tReference T") && ann.contains("\tSpeakerKB T"), "{ann}");

    let copy = corpus_copy();
    let root = corpus_root(&copy);
    let output = marginalia(
        &["import", first.to_str().unwrap(), "--format", "brat", "--annotator", "ann", "--corpus", root.to_str().unwrap()],
        work.path(),
    );
    assert_eq!(summary_line(&output), format!("imported 9 documents: {annotated} added, 0 updated, 0 unchanged"));
    assert_eq!(annotation_keys(&root), annotation_keys(&corpus_root(&original)));
    assert_anchored_in_place(&root);

    let second = work.path().join("brat2");
    marginalia(&["export", root.to_str().unwrap(), "--format", "brat", "--out", second.to_str().unwrap()], work.path());
    for entry in walkdir::WalkDir::new(&first).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let relative = entry.path().strip_prefix(&first).unwrap();
        let again = std::fs::read_to_string(second.join(relative)).unwrap();
        assert_eq!(again, std::fs::read_to_string(entry.path()).unwrap(), "{relative:?} differs after a round trip");
    }
    let output = marginalia(
        &["import", second.to_str().unwrap(), "--format", "brat", "--annotator", "ann", "--corpus", root.to_str().unwrap()],
        work.path(),
    );
    assert_eq!(summary_line(&output), format!("imported 9 documents: 0 added, 0 updated, {annotated} unchanged"));
    assert_eq!(annotation_keys(&root), annotation_keys(&corpus_root(&original)));
}

#[test]
fn jsonl_round_trip_keeps_every_annotation_and_its_annotator() {
    let original = corpus_copy();
    let annotated = annotate_seeds(&corpus_root(&original));
    let work = tempfile::tempdir().unwrap();
    let first = work.path().join("jsonl1");
    marginalia(&["export", corpus_root(&original).to_str().unwrap(), "--format", "jsonl", "--out", first.to_str().unwrap()], work.path());
    let records: Vec<Value> =
        std::fs::read_to_string(first.join("annotations.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 9);
    for record in &records {
        let text: Vec<char> = record["text"].as_str().unwrap().chars().collect();
        for span in record["spans"].as_array().unwrap() {
            let (start, end) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
            assert_eq!(text[start..end].iter().collect::<String>(), span["text"].as_str().unwrap(), "offsets are code points");
        }
    }

    // No --annotator: every span names its own.
    let copy = corpus_copy();
    let root = corpus_root(&copy);
    let output = marginalia(
        &["import", first.join("annotations.jsonl").to_str().unwrap(), "--format", "jsonl", "--corpus", root.to_str().unwrap()],
        work.path(),
    );
    assert_eq!(summary_line(&output), format!("imported 9 documents: {annotated} added, 0 updated, 0 unchanged"));
    assert_eq!(annotation_keys(&root), annotation_keys(&corpus_root(&original)));
    let article = Corpus::load(&root, &HashMap::new()).article_paths()[0].clone();
    assert!(read_annotations(&sidecar_path(&article)).unwrap().annotations.iter().all(|a| a.annotator == "ann"));

    let second = work.path().join("jsonl2");
    marginalia(&["export", root.to_str().unwrap(), "--format", "jsonl", "--out", second.to_str().unwrap()], work.path());
    let output = marginalia(&["import", second.to_str().unwrap(), "--format", "jsonl", "--corpus", root.to_str().unwrap()], work.path());
    assert_eq!(summary_line(&output), format!("imported 9 documents: 0 added, 0 updated, {annotated} unchanged"));
    let dry = marginalia(
        &["import", second.to_str().unwrap(), "--format", "jsonl", "--corpus", root.to_str().unwrap(), "--dry-run"],
        work.path(),
    );
    assert!(summary_line(&dry).ends_with("(dry run: nothing written)"));
    assert_eq!(annotation_keys(&root), annotation_keys(&corpus_root(&original)));
}

#[test]
fn every_format_exports_the_seed_corpus() {
    let original = corpus_copy();
    annotate_seeds(&corpus_root(&original));
    let work = tempfile::tempdir().unwrap();
    let root = corpus_root(&original);
    for (format, file) in [
        ("conll", "corpus.conll"),
        ("spacy", "spacy.jsonl"),
        ("webanno", "articles/000_650f7ada08eebc05.tsv"),
        ("w3c", "articles/000_650f7ada08eebc05.jsonld"),
    ] {
        let out = work.path().join(format);
        let output = marginalia(&["export", root.to_str().unwrap(), "--format", format, "--out", out.to_str().unwrap()], work.path());
        assert!(stdout(&output).starts_with("wrote "), "{}", stdout(&output));
        assert!(out.join(file).is_file(), "{format}: no {file}");
    }
    let conll = std::fs::read_to_string(work.path().join("conll/corpus.conll")).unwrap();
    assert_eq!(conll.matches("-DOCSTART- -X- -X- O").count(), 9);
    assert!(conll.lines().all(|l| l.is_empty() || l.split(' ').count() == 4), "four columns a line");
    assert!(conll.contains(" _ _ B-PERSON\n"));
    let w3c: Value =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("w3c/articles/000_650f7ada08eebc05.jsonld")).unwrap()).unwrap();
    assert_eq!(w3c["@context"], "http://www.w3.org/ns/anno.jsonld");
    let item = &w3c["first"]["items"][0];
    assert_eq!(item["target"]["source"], "articles/000_650f7ada08eebc05.txt");
    assert_eq!(item["target"]["selector"][1]["type"], "TextPositionSelector");
    let tsv = std::fs::read_to_string(work.path().join("webanno/articles/000_650f7ada08eebc05.tsv")).unwrap();
    assert!(
        tsv.starts_with(
            "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n\n\n#Text="
        )
    );

    // Suggestions stay out unless asked for; --annotator filters.
    let suggested = corpus_copy();
    let who = "nobody-else";
    let out = work.path().join("none");
    let output = marginalia(
        &["export", corpus_root(&suggested).to_str().unwrap(), "--format", "jsonl", "--out", out.to_str().unwrap(), "--annotator", who],
        work.path(),
    );
    assert!(stdout(&output).contains("(9 articles, 0 annotations)"), "{}", stdout(&output));
}

/// The loader documented in docs/formats.md: JSONL → DocBin on disk → read back.
const SPACY_LOADER: &str = r#"
import json, sys
import spacy
from spacy.tokens import DocBin
source, target = sys.argv[1], sys.argv[2]
nlp = spacy.blank("en")
# Each article tokenized by the rules of its language (`lang xx` header line):
# French splits elisions (l’Ukraine), English does not.
by_lang = {"en": nlp}
def tokenizer_for(text):
    header = [l.split()[1] for l in text.split("\n")[:3] if l.startswith("lang ") and len(l.split()) == 2]
    lang = header[0] if header else "en"
    if lang not in by_lang:
        by_lang[lang] = spacy.blank(lang)
    return by_lang[lang]
bin = DocBin(store_user_data=False)
expected = misaligned = 0
where = []
for line in open(source, encoding="utf-8"):
    record = json.loads(line)
    doc = tokenizer_for(record["text"]).make_doc(record["text"])
    ents = []
    for start, end, label in record["entities"]:
        expected += 1
        span = doc.char_span(start, end, label=label)
        if span is None:
            misaligned += 1
            where.append(record["text"][max(0, start - 12):end + 12])
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
        ents.append(span)
    doc.ents = ents
    doc.spans["quotes"] = [doc.char_span(s, e, label=l, alignment_mode="expand") for s, e, l in record["spans"]["quotes"]]
    bin.add(doc)
bin.to_disk(target)
docs = list(DocBin().from_disk(target).get_docs(nlp.vocab))
print(json.dumps({
    "docs": len(docs),
    "expected": expected,
    "misaligned": misaligned,
    "where": where,
    "entities": sum(len(d.ents) for d in docs),
    "quotes": sum(len(d.spans["quotes"]) for d in docs),
    "first": [[e.start_char, e.end_char, e.label_] for e in docs[0].ents][:3],
}))
"#;

#[test]
fn spacy_export_loads_into_a_docbin() {
    let Some(python) = std::env::var_os("MARGINALIA_PYTHON") else {
        assert!(std::env::var_os("CI").is_none(), "CI is set but MARGINALIA_PYTHON (a Python with spaCy installed) is not");
        println!("notice: MARGINALIA_PYTHON is not set; skipping the spaCy loading test");
        return;
    };
    let original = corpus_copy();
    annotate_seeds(&corpus_root(&original));
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("spacy");
    marginalia(&["export", corpus_root(&original).to_str().unwrap(), "--format", "spacy", "--out", out.to_str().unwrap()], work.path());
    let exported = std::fs::read_to_string(out.join("spacy.jsonl")).unwrap();
    let records: Vec<Value> = exported.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let entities: usize = records.iter().map(|r| r["entities"].as_array().unwrap().len()).sum();
    let quotes: usize = records.iter().map(|r| r["spans"]["quotes"].as_array().unwrap().len()).sum();
    let docbin = work.path().join("train.spacy");
    let output = Command::new(&python)
        .args(["-c", SPACY_LOADER, out.join("spacy.jsonl").to_str().unwrap(), docbin.to_str().unwrap()])
        .output()
        .expect("MARGINALIA_PYTHON runs");
    assert!(output.status.success(), "the spaCy loader failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    println!("spaCy loaded the export: {report}");
    assert_eq!(report["docs"], records.len() as u64);
    assert_eq!(report["expected"], entities as u64);
    assert_eq!(report["entities"], entities as u64, "{report}");
    assert_eq!(report["misaligned"], 0, "every entity should fall on spaCy token boundaries: {report}");
    assert_eq!(report["quotes"], quotes as u64);
    let first = &records[0]["entities"].as_array().unwrap()[..3];
    assert_eq!(report["first"].as_array().unwrap().as_slice(), first, "offsets are code points in both");
}

const PAIR_TEXT: &str = "Sergey Lavrov met Antony Blinken in Geneva on Friday.\n";

/// A corpus with one article annotated by ann and bob (brat files named the
/// PolNeAR way, ARTICLE_ANNOTATOR.ann), and one annotated by ann only.
fn two_annotator_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("corpus/articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::create_dir_all(dir.path().join("corpus/kb")).unwrap();
    std::fs::write(dir.path().join("corpus/marginalia.toml"), "[labels]\nentity = [\"PERSON\", \"ORG\", \"PLACE\"]\n").unwrap();
    std::fs::write(articles.join("pair.txt"), PAIR_TEXT).unwrap();
    std::fs::write(articles.join("solo.txt"), PAIR_TEXT).unwrap();
    let brat = dir.path().join("brat");
    std::fs::create_dir_all(&brat).unwrap();
    // Offsets: Sergey 0-6, Lavrov 7-13, Antony 18-24, Blinken 25-32, Geneva 36-42.
    std::fs::write(
        brat.join("pair_ann.ann"),
        "T1\tPERSON 0 13\tSergey Lavrov\nT2\tPERSON 18 32\tAntony Blinken\nT3\tPLACE 36 42\tGeneva\n",
    )
    .unwrap();
    std::fs::write(
        brat.join("pair_bob.ann"),
        "T1\tPERSON 7 13\tLavrov\nT2\tPERSON 18 32\tAntony Blinken\nT3\tORG 36 42\tGeneva\nT4\tCue 14 17\tmet\nE1\tCue:T4\n",
    )
    .unwrap();
    std::fs::write(brat.join("solo_ann.ann"), "T1\tPERSON 7 13\tLavrov\n").unwrap();
    dir
}

#[test]
fn agreement_on_a_hand_made_two_annotator_corpus() {
    let dir = two_annotator_corpus();
    let output = marginalia(&["import", "brat", "--format", "brat", "--corpus", "corpus"], dir.path());
    let out = stdout(&output);
    assert!(out.contains("imported 3 documents: 7 added, 0 updated, 0 unchanged"), "{out}");
    assert!(out.contains("skipped: 1 × event trigger spans (Cue), left out with their events; 1 × events (Cue)"), "{out}");
    let output = marginalia(&["agreement", "corpus", "--annotators", "ann,bob", "--format", "json"], dir.path());
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let close = |value: &Value, expected: f64| (value.as_f64().unwrap() - expected).abs() < 1e-9;
    assert_eq!(report["documents_compared"], 1);
    let overall = &report["overall"];
    // Tokens: Sergey Lavrov met Antony Blinken in Geneva on Friday (9).
    // ann: P P O P P O PLACE O O; bob: O P O P P O ORG O O.
    // exact F1 = 2·1/(3+3); overlap P = R = 2/3.
    assert!(close(&overall["exact_f1"], 1.0 / 3.0) && close(&overall["overlap_f1"], 2.0 / 3.0), "{overall}");
    // p_o = 7/9, p_e = (4·3 + 4·5)/81 = 32/81, κ = (63 − 32)/(81 − 32) = 31/49.
    assert!(close(&overall["kappa"], 31.0 / 49.0), "{overall}");
    // n = 18, Σ_{c≠k} o = 4, Σ_{c≠k} n_c n_k = 324 − (49 + 81 + 1 + 1) = 192; α = 1 − 17·4/192.
    assert!(close(&overall["alpha"], 1.0 - 17.0 * 4.0 / 192.0), "{overall}");
    let person = report["labels"].as_array().unwrap().iter().find(|l| l["label"] == "PERSON").unwrap();
    // PERSON tokens: ann 4, bob 3, agreeing on 8 of 9; p_e = (4·3 + 5·6)/81 = 42/81; κ = 30/39.
    assert!(close(&person["kappa"], 30.0 / 39.0) && close(&person["exact_f1"], 0.5), "{person}");
    assert_eq!(report["documents"][1]["skipped"], "only ann annotated it");

    let text = stdout(&marginalia(&["agreement", "corpus", "--annotators", "ann,bob"], dir.path()));
    assert!(text.starts_with("agreement of bob with ann (A, the reference) on 1 of 2 documents"), "{text}");
    assert!(text.contains("\noverall "), "{text}");
    assert!(
        text.contains("solo      not compared: only ann annotated it") || text.contains("not compared: only ann annotated it"),
        "{text}"
    );
}

#[test]
fn brat_import_without_an_annotator_is_refused_and_wrong_spans_are_reported() {
    let dir = two_annotator_corpus();
    let brat = dir.path().join("brat");
    // Named like its article, so the name gives no annotator; T2's text is not the article's.
    std::fs::write(brat.join("pair.ann"), "T1\tPERSON 7 13\tLavrov\nT2\tPLACE 36 42\tGenf\n").unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["import", "brat/pair.ann", "--format", "brat", "--corpus", "corpus"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("pair.ann: no annotator in the file or its name; pass --annotator NAME"));
    assert!(!dir.path().join("corpus/articles/pair.ann.jsonl").exists(), "nothing written");
    let output = marginalia(&["import", "brat/pair.ann", "--format", "brat", "--corpus", "corpus", "--annotator", "cy"], dir.path());
    let out = stdout(&output);
    assert!(out.contains("imported 1 documents: 1 added"), "{out}");
    assert!(out.contains("skipped: 1 × spans whose text differs from the article (wrong text or offsets)"), "{out}");
}
