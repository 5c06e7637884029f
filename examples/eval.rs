//! Measures quotation extraction and speaker attribution against brat gold.
//!
//! ```text
//! cargo run --release --example eval -- PATH [--texts DIR] [--kb CORPUS] [--errors] [--categories] [--only PREFIX]
//! ```
//!
//! `--errors` lists every error, one a line, with its category first;
//! `--categories` counts them by category (false positives by length and case,
//! misses by what we made of the quote, wrong speakers by where the gold speaker
//! stands and how ours was found), biggest first, so work goes to the biggest
//! buckets.
//!
//! `--only PREFIX` keeps the articles whose name starts with PREFIX (PolNeAR
//! names start with the publisher: `--only nyt_`). `--annotators` scores the
//! articles that several people annotated: each annotator against each other
//! one, and ours against each of them (how far people agree is the ceiling).
//!
//! `--lang xx` reads every article in that language (as `[corpus] lang` does);
//! without it, each article's language is detected.
//!
//! Three layouts are read:
//! - PolNeAR: `PATH/text/X.txt` with `PATH/attributions/X_<annotator>.ann`; the
//!   lowest annotator id is taken for each article;
//! - flat: `PATH/X.ann` with the texts in `--texts DIR/X.txt` (the seed gold:
//!   `tests/gold/seeds` with `--texts corpus/articles`);
//! - the German news quotation attribution dataset (uhh-lt, 2024): `PATH/*.json`,
//!   one article each with its `originalText` and `annotations`. Gold quotes are
//!   the `Direct` annotations' quote spans (marks included), their speaker the
//!   annotation's `speaker` spans; a predicted quote overlapping only another
//!   type of attribution (Indirect, Reported, …) is not scored. Read only its
//!   `data/train`: `dev` and `test` are kept for independent evaluation.
//!
//! Gold quotes are derived as in `tests/gold/README.md`: quotation-mark spans
//! whose letters all lie in the Content of one attribution event; the speaker is
//! that event's Source. Quote spans outside every Content, and `ScareQuote`
//! entities, are scare/title quotes that should be kept out of the quote list,
//! except those in text the annotator marked `Discard` or `Discuss` (not scored).
//! Single-quoted spans outside double quotes are paired too (headline quotes).
//! The same figures are printed for a naive baseline (pair the marks, attribute
//! to the nearest capitalised name or pronoun before a "said").
//!
//! PolNeAR quirks: T lines whose text holds a newline, discontinuous spans
//! (`a b;c d`), `<tweet …>` tags whose quotation marks are not quotes, and the New
//! York Times texts' typewriter `''`, read here as a double mark (PolNeAR's own
//! derivation in its notes pairs only `“ ” "` and so drops those quotes).
//!
//! Every offset here is in Unicode code points, as in brat.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use marginalia::analysis::{AnalysisConfig, QuoteKind, analyze};
use marginalia::kb::KnowledgeBase;
use marginalia::workspace::Corpus;

/// A half-open span in code points.
type Span = (usize, usize);

struct Args {
    path: PathBuf,
    texts: Option<PathBuf>,
    kb: Option<PathBuf>,
    errors: bool,
    categories: bool,
    only: Option<String>,
    annotators: bool,
    lang: Option<marginalia::article::Lang>,
}

fn parse_args() -> Result<Args> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let (mut texts, mut kb, mut errors, mut only, mut annotators) = (None, None, false, None, false);
    let mut categories = false;
    let mut lang = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--texts" => texts = Some(PathBuf::from(args.next().context("--texts needs a folder")?)),
            "--kb" => kb = Some(PathBuf::from(args.next().context("--kb needs a corpus folder")?)),
            "--errors" => errors = true,
            "--categories" => categories = true,
            "--only" => only = Some(args.next().context("--only needs a name prefix")?),
            "--annotators" => annotators = true,
            "--lang" => {
                let code = args.next().context("--lang needs a language code")?;
                lang = Some(marginalia::article::Lang::from_code(&code).with_context(|| format!("unknown language {code}"))?);
            }
            "-h" | "--help" => {
                println!(
                    "usage: eval PATH [--texts DIR] [--kb CORPUS] [--errors] [--categories] [--only PREFIX] [--annotators] [--lang xx]"
                );
                std::process::exit(0);
            }
            _ if path.is_none() => path = Some(PathBuf::from(arg)),
            _ => bail!("unexpected argument {arg}"),
        }
    }
    Ok(Args {
        path: path
            .context("usage: eval PATH [--texts DIR] [--kb CORPUS] [--errors] [--categories] [--only PREFIX] [--annotators] [--lang xx]")?,
        texts,
        kb,
        errors,
        categories,
        only,
        annotators,
        lang,
    })
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let mut docs = load_documents(&args)?;
    if let Some(prefix) = &args.only {
        docs.retain(|doc| doc.name.starts_with(prefix.as_str()));
    }
    let (kb, mut config) = match &args.kb {
        Some(root) => {
            let corpus = Corpus::load(root, &HashMap::new());
            ((*corpus.kb).clone(), corpus.analysis_config)
        }
        None => (KnowledgeBase::default(), AnalysisConfig::default()),
    };
    if args.lang.is_some() {
        config.language = args.lang;
    }
    if args.annotators {
        return annotator_agreement(&args, &kb, &config);
    }
    let mut ours = Score::default();
    let mut languages: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut analysis_time = std::time::Duration::ZERO;
    let mut analysed_bytes = 0usize;
    let mut baseline = Score::default();
    let counts = std::cell::RefCell::new(BTreeMap::new());
    for doc in &docs {
        let (text, gold) = match doc.format {
            GoldFormat::Brat => {
                let text = std::fs::read_to_string(&doc.text).with_context(|| format!("reading {}", doc.text.display()))?;
                let ann = std::fs::read_to_string(&doc.ann).with_context(|| format!("reading {}", doc.ann.display()))?;
                let chars: Vec<char> = text.chars().collect();
                let gold = derive_gold(&chars, &parse_brat(&ann));
                (text, gold)
            }
            GoldFormat::UhhJson => read_uhh_document(&doc.ann)?,
        };
        let chars: Vec<char> = text.chars().collect();
        let lang = marginalia::analysis::article_language(&text, &marginalia::article::Article::parse(&text), &config).0;
        *languages.entry(lang.code()).or_default() += 1;
        let offsets = CodePoints::new(&text);
        let started = std::time::Instant::now();
        let (predicted, scare) = our_predictions(&text, &offsets, &kb, &config);
        analysis_time += started.elapsed();
        analysed_bytes += text.len();
        let report = (args.errors || args.categories).then(|| ErrorReport {
            name: &doc.name,
            chars: &chars,
            scare: &scare,
            lines: args.errors,
            counts: &counts,
        });
        ours.add(&chars, &gold, &predicted, report.as_ref());
        baseline.add(&chars, &gold, &baseline_predictions(&text, &offsets), None);
    }
    println!("{} articles from {}", docs.len(), args.path.display());
    let languages: Vec<String> = languages.iter().map(|(code, n)| format!("{code} {n}")).collect();
    println!("read as: {}", languages.join(", "));
    let seconds = analysis_time.as_secs_f64().max(1e-9);
    println!(
        "analysis: {:.1} MB in {seconds:.2} s ({:.1} MB/s, one thread)",
        analysed_bytes as f64 / 1e6,
        analysed_bytes as f64 / 1e6 / seconds
    );
    println!("{:<44} {:>10} {:>10}", "", "ours", "baseline");
    for (label, a, b) in ours.rows().into_iter().zip(baseline.rows()).map(|((l, a), (_, b))| (l, a, b)) {
        println!("{label:<44} {a:>10} {b:>10}");
    }
    if args.categories {
        print_categories(&counts.borrow());
    }
    Ok(())
}

/// The error categories, grouped by what they cost (false positive, miss,
/// speaker), biggest first within each group.
fn print_categories(counts: &BTreeMap<String, usize>) {
    println!("\nerrors by category (ours)");
    for group in ["fp", "missed", "inexact", "speaker", "scare"] {
        let mut rows: Vec<(&String, &usize)> =
            counts.iter().filter(|(c, _)| c.split(['/', '-']).next() == Some(group) && *c != "scare-out").collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let total: usize = rows.iter().map(|r| *r.1).sum();
        println!("{group:<44} {total:>10}");
        for (category, n) in rows {
            println!("  {category:<42} {n:>10}");
        }
    }
}

/// Scores each annotator against each other annotator of the same article, with
/// the same gold derivation and the same figures: how far people agree sets the
/// ceiling any tool can be measured to. Ours is scored against every annotator
/// of the same articles, for comparison.
fn annotator_agreement(args: &Args, kb: &KnowledgeBase, config: &AnalysisConfig) -> Result<()> {
    let mut annotations = annotations_by_article(&args.path.join("attributions"))?;
    annotations.retain(|name, anns| anns.len() >= 2 && args.only.as_deref().is_none_or(|prefix| name.starts_with(prefix)));
    let (mut human, mut ours) = (Score::default(), Score::default());
    let (mut annotation_count, mut pairs) = (0, 0);
    for (name, anns) in &annotations {
        let text_path = args.path.join("text").join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&text_path).with_context(|| format!("reading {}", text_path.display()))?;
        let chars: Vec<char> = text.chars().collect();
        let mut golds = Vec::new();
        for ann in anns {
            let brat = std::fs::read_to_string(ann).with_context(|| format!("reading {}", ann.display()))?;
            golds.push(derive_gold(&chars, &parse_brat(&brat)));
        }
        annotation_count += golds.len();
        let (predicted, _scare) = our_predictions(&text, &CodePoints::new(&text), kb, config);
        for (b, reference) in golds.iter().enumerate() {
            ours.add(&chars, reference, &predicted, None);
            for other in golds.iter().enumerate().filter(|&(a, _)| a != b).map(|(_, g)| g) {
                pairs += 1;
                let as_predicted: Vec<Predicted> = other
                    .quotes
                    .iter()
                    .map(|q| Predicted {
                        span: q.span,
                        speaker: q.source.first().copied(),
                        flagged_unattributed: q.source.is_empty(),
                        via: "annotator",
                        kind: QuoteKind::Direct,
                    })
                    .collect();
                human.add(&chars, reference, &as_predicted, None);
            }
        }
    }
    println!(
        "{} articles with several annotators in {} ({annotation_count} annotations, {pairs} ordered pairs)",
        annotations.len(),
        args.path.display()
    );
    println!("{:<44} {:>10} {:>10}", "", "annotator", "ours");
    println!("{:<44} {:>10} {:>10}", "scored against", "another", "each");
    for ((label, a), (_, b)) in human.rows().into_iter().zip(ours.rows()) {
        println!("{label:<44} {a:>10} {b:>10}");
    }
    Ok(())
}

// ---------------------------------------------------------------- documents

struct Document {
    name: String,
    text: PathBuf,
    ann: PathBuf,
    format: GoldFormat,
}

#[derive(Clone, Copy)]
enum GoldFormat {
    Brat,
    /// One JSON file holding text and annotations (`ann`; `text` is the same file).
    UhhJson,
}

fn load_documents(args: &Args) -> Result<Vec<Document>> {
    let text_dir = args.path.join("text");
    let ann_dir = args.path.join("attributions");
    let json = files_ending(&args.path, ".json").unwrap_or_default();
    if !json.is_empty() && args.texts.is_none() {
        return Ok(json
            .into_iter()
            .map(|path| Document {
                name: path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string(),
                text: path.clone(),
                ann: path,
                format: GoldFormat::UhhJson,
            })
            .collect());
    }
    if text_dir.is_dir() && ann_dir.is_dir() {
        polnear_documents(&text_dir, &ann_dir)
    } else {
        let texts = args.texts.as_ref().context("a flat folder of .ann files needs --texts DIR")?;
        flat_documents(&args.path, texts)
    }
}

fn files_ending(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(suffix)))
        .collect();
    files.sort();
    Ok(files)
}

/// `X_<annotator>.ann` annotates `X.txt`: each article's annotation files, in
/// annotator id order.
fn annotations_by_article(ann_dir: &Path) -> Result<BTreeMap<String, Vec<PathBuf>>> {
    let mut annotations: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    // Sorted paths: each article's files come in annotator id order.
    for ann in files_ending(ann_dir, ".ann")? {
        let stem = ann.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let Some((name, _annotator)) = stem.rsplit_once('_') else { continue };
        annotations.entry(name.to_string()).or_default().push(ann);
    }
    Ok(annotations)
}

/// One annotation per article: the lowest annotator id wins.
fn polnear_documents(text_dir: &Path, ann_dir: &Path) -> Result<Vec<Document>> {
    Ok(annotations_by_article(ann_dir)?
        .into_iter()
        .filter_map(|(name, anns)| {
            let text = text_dir.join(format!("{name}.txt"));
            let ann = anns.into_iter().next()?;
            text.is_file().then_some(Document { name, text, ann, format: GoldFormat::Brat })
        })
        .collect())
}

fn flat_documents(ann_dir: &Path, text_dir: &Path) -> Result<Vec<Document>> {
    Ok(files_ending(ann_dir, ".ann")?
        .into_iter()
        .filter_map(|ann| {
            let name = ann.file_stem()?.to_str()?.to_string();
            let text = text_dir.join(format!("{name}.txt"));
            text.is_file().then_some(Document { name, text, ann, format: GoldFormat::Brat })
        })
        .collect())
}

// ---------------------------------------------------------------- brat

struct Entity {
    kind: String,
    fragments: Vec<Span>,
}

#[derive(Default)]
struct Event {
    source: Vec<Span>,
    content: Vec<Span>,
    cue: Vec<Span>,
}

struct Brat {
    entities: HashMap<String, Entity>,
    events: Vec<Event>,
}

/// Reads T and E lines. A T line's text may hold a raw newline (a fragment over a
/// paragraph break): lines that do not start a record continue the previous one,
/// and only the offsets before the text are needed anyway.
fn parse_brat(ann: &str) -> Brat {
    let mut entities = HashMap::new();
    let mut event_lines = Vec::new();
    for line in ann.lines() {
        let Some((id, rest)) = line.split_once('\t') else { continue };
        let is_record = id.len() > 1 && id[1..].chars().all(|c| c.is_ascii_digit()) && "TEARNM#".contains(&id[..1]);
        if !is_record {
            continue;
        }
        if id.starts_with('T') {
            let head = rest.split('\t').next().unwrap_or_default();
            let Some((kind, offsets)) = head.split_once(' ') else { continue };
            let fragments = offsets
                .split(';')
                .filter_map(|f| {
                    let (a, b) = f.trim().split_once(' ')?;
                    Some((a.parse().ok()?, b.parse().ok()?))
                })
                .collect();
            entities.insert(id.to_string(), Entity { kind: kind.to_string(), fragments });
        } else if id.starts_with('E') {
            event_lines.push(rest.to_string());
        }
    }
    let mut linked = std::collections::HashSet::new();
    let mut events = Vec::new();
    for line in &event_lines {
        let mut event = Event::default();
        for (role, entity) in line.split_whitespace().skip(1).filter_map(|a| a.split_once(':')) {
            linked.insert(entity.to_string());
            let Some(e) = entities.get(entity) else { continue };
            if role.starts_with("Content") {
                event.content.extend(&e.fragments);
            } else if role == "Source" {
                event.source.extend(&e.fragments);
            } else if role == "Cue" {
                event.cue.extend(&e.fragments);
            }
        }
        events.push(event);
    }
    // A Content linked to no event is an unattributed quote.
    let mut standalone: Vec<(&String, &Entity)> = entities.iter().filter(|(id, e)| e.kind == "Content" && !linked.contains(*id)).collect();
    standalone.sort_by_key(|(id, _)| id.as_str());
    for (_, e) in standalone {
        events.push(Event { source: Vec::new(), content: e.fragments.clone(), cue: Vec::new() });
    }
    Brat { entities, events }
}

// ---------------------------------------------------------------- gold

struct GoldQuote {
    span: Span,
    source: Vec<Span>,
    /// The event's cue, for error listings.
    cue: Vec<Span>,
}

struct Gold {
    quotes: Vec<GoldQuote>,
    /// Partly inside a Content, or across two events: scored neither way.
    ambiguous: Vec<Span>,
    /// Quote spans outside every Content, and ScareQuote entities.
    scare: Vec<Span>,
}

fn is_double_mark(c: char) -> bool {
    matches!(c, '“' | '”' | '"')
}

/// Length of the double quotation mark at `i`: `“`, `”`, `"`, or the typewriter
/// `''` that the New York Times texts use for both.
fn double_mark_at(s: &[char], i: usize) -> Option<usize> {
    if is_double_mark(s[i]) {
        return Some(1);
    }
    let pair = s[i] == '\'' && s.get(i + 1) == Some(&'\'');
    let third = i > 0 && s[i - 1] == '\'';
    (pair && !third).then_some(2)
}

/// Quotation-mark spans, paired one line at a time (derive.py's rule, with `''`
/// read as a double mark).
fn gold_quote_spans(s: &[char], content: &[Span]) -> Vec<Span> {
    let mut force_open = std::collections::HashSet::new();
    let mut force_close = std::collections::HashSet::new();
    let mut spans = Vec::new();
    for &(mut a, mut b) in content {
        b = b.min(s.len());
        while a < b && s[a].is_whitespace() {
            a += 1;
        }
        while b > a && s[b - 1].is_whitespace() {
            b -= 1;
        }
        // A fragment that is one headline quote; "‘A’ Have ‘B.’" is two.
        if b >= a + 2 && s[a] == '‘' && s[b - 1] == '’' && !s[a + 1..b - 1].contains(&'‘') {
            spans.push((a, b));
            continue;
        }
        if b > a && s[a] != '”' && double_mark_at(s, a).is_some() {
            force_open.insert(a);
        }
        if b > a && is_double_mark(s[b - 1]) {
            force_close.insert(b - 1);
        } else if b >= a + 2 && s[b - 1] == '\'' && s[b - 2] == '\'' {
            force_close.insert(b - 2);
        }
    }
    let masked = mask_tags(s);
    let mut line_start = 0;
    let mut open: Option<usize> = None;
    while line_start <= s.len() {
        let line_end = s[line_start..].iter().position(|&c| c == '\n').map_or(s.len(), |i| line_start + i);
        let close = |open: usize, end: usize, spans: &mut Vec<Span>| {
            let mut e = end;
            while e > open && s[e - 1].is_whitespace() {
                e -= 1;
            }
            spans.push((open, e));
        };
        let mut i = line_start;
        while i < line_end {
            let Some(len) = double_mark_at(&masked, i) else {
                i += 1;
                continue;
            };
            let c = masked[i];
            let closing = if force_close.contains(&i) && open.is_some() {
                true
            } else if force_open.contains(&i) {
                false
            } else {
                let prev = (i > line_start).then(|| masked[i - 1]);
                let next = masked.get(i + len).copied();
                match c {
                    // “glued“ to a word and followed by a space or punctuation: a
                    // misused closing mark (the tool reads it the same way).
                    '“' => {
                        prev.is_some_and(|p| p.is_alphanumeric() || ".,;:!?…—–-".contains(p))
                            && next.is_none_or(|n| n.is_whitespace() || ".,;:!?)[]".contains(n))
                    }
                    '”' => true,
                    // `"lyin' " Ted`: a straight mark with a space after it closes
                    // the open quote, whatever stands before it.
                    _ if open.is_some() && next.is_none_or(char::is_whitespace) => true,
                    // `about"joint operations`: glued to words on both sides with no
                    // quote open, it can only open one.
                    _ if open.is_none() && next.is_some_and(char::is_alphanumeric) => false,
                    _ => !(prev.is_none() || prev.is_some_and(|p| p.is_whitespace() || "([{—–-/".contains(p))),
                }
            };
            if closing {
                if let Some(o) = open.take() {
                    close(o, i + len, &mut spans);
                }
            } else {
                if let Some(o) = open {
                    close(o, i, &mut spans);
                }
                open = Some(i);
            }
            i += len;
        }
        // A quote open at a line wrap continues when the Content runs on over
        // the break into the next line ("…participate personally⏎in caucuses
        // and primaries.”"): brat cannot hold a line break in a fragment, so the
        // annotator's Content stops at the break and the next one starts after it.
        let wrapped = open.is_some_and(|o| {
            s.get(line_end + 1).is_some_and(|c| !c.is_whitespace())
                && content.iter().any(|&(a, b)| a <= o && b + 1 >= line_end && b <= line_end)
                && content.iter().any(|&(a, _)| a == line_end + 1)
        });
        if let Some(o) = open.filter(|_| !wrapped) {
            close(o, line_end, &mut spans);
            open = None;
        }
        line_start = line_end + 1;
    }
    let doubles = spans.clone();
    spans.extend(single_spans(&masked, &doubles));
    spans.sort();
    spans.dedup();
    spans.retain(|&(a, b)| s[a..b].iter().any(|c| c.is_alphanumeric()));
    spans
}

/// Single-quoted spans outside double quotes, one line at a time (headline
/// style: "Trump: Cruz Has ‘To Come a Long Way’", "Trump: 'We will win'"): `‘`
/// or `'` opens after white space, an opening bracket or a dash, before a
/// letter; `’` or `'` closes an open quote after a non-space and before white
/// space, punctuation or the line end, so that apostrophes inside words ("it’s")
/// never close one. An unclosed quote is dropped, and a `'` before a digit opens
/// nothing (the '90s).
fn single_spans(s: &[char], doubles: &[Span]) -> Vec<Span> {
    let inside_double = |i: usize| doubles.iter().any(|&(a, b)| a <= i && i < b);
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for i in 0..s.len() {
        let prev = i.checked_sub(1).map(|p| s[p]);
        let next = s.get(i + 1).copied();
        let c = s[i];
        if c == '\n' {
            open = None;
        } else if (c == '‘' || c == '\'')
            && !inside_double(i)
            && prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p))
            && next.is_some_and(|n| n.is_alphabetic())
        {
            open = Some(i);
        } else if (c == '’' || c == '\'')
            && prev.is_some_and(|p| !p.is_whitespace())
            && next.is_none_or(|n| !n.is_alphanumeric())
            && let Some(o) = open.filter(|&o| s[o] == if c == '’' { '‘' } else { '\'' })
        {
            spans.push((o, i + 1));
            open = None;
        }
    }
    spans
}

/// The text with the quotation marks inside `<tweet …>`-style tags blanked out.
fn mask_tags(s: &[char]) -> Vec<char> {
    let mut masked = s.to_vec();
    let mut i = 0;
    while i < s.len() {
        // A tag may wrap inside an attribute value: `tweet-date="May 9, 2016⏎">`.
        let tag_len = |from: usize| s[from..].iter().position(|&c| matches!(c, '<' | '>' | '\n'));
        let mut tag = if s[i] == '<' { tag_len(i + 1) } else { None };
        if let Some(len) = tag
            && s[i + 1 + len] == '\n'
            && s[i + 1..i + 1 + len].iter().filter(|&&c| c == '"').count() % 2 == 1
        {
            tag = tag_len(i + 2 + len).map(|more| len + 1 + more);
        }
        if let Some(len) = tag
            && s[i + 1 + len] == '>'
        {
            for c in &mut masked[i..i + 1 + len] {
                if is_double_mark(*c) || *c == '\'' {
                    *c = '_';
                }
            }
            i += len + 2;
        } else {
            i += 1;
        }
    }
    masked
}

fn derive_gold(s: &[char], brat: &Brat) -> Gold {
    let scare_entities: Vec<Span> =
        brat.entities.values().filter(|e| e.kind == "ScareQuote").flat_map(|e| e.fragments.iter().copied()).collect();
    let mut owner: Vec<Option<usize>> = vec![None; s.len()];
    for (i, event) in brat.events.iter().enumerate() {
        for &(a, b) in &event.content {
            for o in &mut owner[a.min(s.len())..b.min(s.len())] {
                *o = Some(i);
            }
        }
    }
    let all_content: Vec<Span> = brat.events.iter().flat_map(|e| e.content.iter().copied()).collect();
    // PolNeAR's `Discard` (text the annotator left out: editor's notes, boilerplate)
    // and `Discuss` (text flagged for discussion, left undecided).
    let set_aside: Vec<Span> =
        brat.entities.values().filter(|e| e.kind == "Discard" || e.kind == "Discuss").flat_map(|e| e.fragments.iter().copied()).collect();
    let mut gold = Gold { quotes: Vec::new(), ambiguous: Vec::new(), scare: scare_entities.clone() };
    for q in gold_quote_spans(s, &all_content) {
        if scare_entities.iter().any(|&f| overlaps(f, q)) {
            continue;
        }
        let owners: std::collections::BTreeSet<Option<usize>> = (q.0..q.1).filter(|&i| s[i].is_alphanumeric()).map(|i| owner[i]).collect();
        match owners.iter().collect::<Vec<_>>().as_slice() {
            // Outside every Content but in text the annotator set aside or left
            // undecided: no judgement that it is a scare quote.
            [None] if set_aside.iter().any(|&f| overlaps(f, q)) => gold.ambiguous.push(q),
            [None] => gold.scare.push(q),
            [Some(event)] => {
                let event = &brat.events[*event];
                let fragments: Vec<&Span> = event.content.iter().filter(|&&f| overlaps(f, q)).collect();
                let start = q.0.max(fragments.iter().map(|f| f.0).min().unwrap_or(q.0));
                let end = q.1.min(fragments.iter().map(|f| f.1).max().unwrap_or(q.1));
                gold.quotes.push(GoldQuote { span: (start, end), source: event.source.clone(), cue: event.cue.clone() });
            }
            _ => gold.ambiguous.push(q),
        }
    }
    gold
}

fn overlaps(a: Span, b: Span) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A span trimmed of white space, quotation marks and edge punctuation, so that
/// `“No,”` and `“No”` compare equal.
fn normalise(s: &[char], (mut a, mut b): Span) -> Span {
    while a < b && !s[a].is_alphanumeric() {
        a += 1;
    }
    while b > a && !s[b - 1].is_alphanumeric() {
        b -= 1;
    }
    (a, b)
}

// ---------------------------------------------------------------- predictions

/// Byte offset → code-point offset.
struct CodePoints {
    starts: Vec<usize>,
}

impl CodePoints {
    fn new(text: &str) -> CodePoints {
        let mut starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        starts.push(text.len());
        CodePoints { starts }
    }

    fn at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }

    fn span(&self, range: marginalia::text::TextRange) -> Span {
        (self.at(range.start), self.at(range.end))
    }
}

/// One predicted quote (scare quotes are left out of the list before scoring).
struct Predicted {
    span: Span,
    speaker: Option<Span>,
    /// The tool would show an `unattributed-quote` warning on it.
    flagged_unattributed: bool,
    /// How the speaker was found, for error listings.
    via: &'static str,
    /// Direct or partial, for error listings.
    kind: QuoteKind,
}

fn our_predictions(text: &str, cp: &CodePoints, kb: &KnowledgeBase, config: &AnalysisConfig) -> (Vec<Predicted>, Vec<Span>) {
    let analysis = analyze(text, kb, config);
    let flagged: std::collections::HashSet<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == marginalia::diagnostic::DiagnosticCode::UnattributedQuote)
        .map(|d| d.range)
        .collect();
    let scare = analysis.quotes.iter().filter(|q| q.kind == QuoteKind::Scare).map(|q| cp.span(q.range)).collect();
    let predicted = analysis
        .quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::Scare)
        .map(|q| Predicted {
            span: cp.span(q.range),
            speaker: q.speaker.as_ref().map(|s| cp.span(s.range)),
            flagged_unattributed: flagged.contains(&q.range),
            via: q.via.map_or("-", |v| v.describe()),
            kind: q.kind,
        })
        .collect();
    (predicted, scare)
}

/// The naive rule: pair “” and "" per paragraph, call every pair a quote, and
/// take as speaker the capitalised word or pronoun nearest before a "said" (or
/// right after it) in the quote's paragraph, the "said" nearest the quote.
fn baseline_predictions(text: &str, cp: &CodePoints) -> Vec<Predicted> {
    const VERBS: &[&str] = &["said", "says", "told", "added", "asked", "wrote"];
    const PRONOUNS: &[&str] = &["he", "she", "they", "He", "She", "They"];
    let mut predicted = Vec::new();
    let mut offset = 0;
    for paragraph in text.split('\n') {
        let spans = naive_pairs(paragraph);
        let words: Vec<(usize, &str)> = word_offsets(paragraph);
        let inside = |at: usize| spans.iter().any(|&(a, b)| a <= at && at < b);
        let verbs: Vec<usize> = (0..words.len()).filter(|&i| VERBS.contains(&words[i].1) && !inside(words[i].0)).collect();
        for &(a, b) in &spans {
            let nearest = verbs.iter().min_by_key(|&&v| {
                let at = words[v].0;
                if at >= b { at - b } else { a.saturating_sub(at) }
            });
            let speaker = nearest.and_then(|&v| {
                let is_name = |w: &str| w.chars().next().is_some_and(char::is_uppercase) || PRONOUNS.contains(&w);
                let before = (0..v).rev().find(|&i| is_name(words[i].1) && !inside(words[i].0));
                let after = words.get(v + 1).filter(|w| is_name(w.1)).map(|_| v + 1);
                before.or(after).map(|i| (offset + words[i].0, offset + words[i].0 + words[i].1.len()))
            });
            let speaker = speaker.map(|(s, e)| (cp.at(s), cp.at(e)));
            predicted.push(Predicted {
                span: (cp.at(offset + a), cp.at(offset + b)),
                speaker,
                flagged_unattributed: speaker.is_none(),
                via: "baseline",
                kind: QuoteKind::Direct,
            });
        }
        offset += paragraph.len() + 1;
    }
    predicted
}

/// Byte spans of quotes in one paragraph: “ or a straight " after a space opens,
/// ” or any other " closes.
fn naive_pairs(paragraph: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open = None;
    let mut prev = ' ';
    for (i, c) in paragraph.char_indices() {
        let opening = c == '“' || (c == '"' && prev.is_whitespace());
        let closing = c == '”' || (c == '"' && !prev.is_whitespace());
        if opening && open.is_none() {
            open = Some(i);
        } else if closing && let Some(o) = open.take() {
            spans.push((o, i + c.len_utf8()));
        }
        prev = c;
    }
    spans
}

fn word_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(st), false) => {
                words.push((st, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    words
}

// ---------------------------------------------------------------- scoring

#[derive(Default)]
struct Score {
    gold: usize,
    predicted: usize,
    exact: usize,
    overlap: usize,
    /// Predictions on ambiguous gold spans, scored neither way.
    ignored: usize,
    speaker_scored: usize,
    speaker_right: usize,
    flagged_wrongly: usize,
    scare: usize,
    scare_kept_out: usize,
    /// Of those, phrases of at most four words (labels and terms rather than
    /// unannotated sentences).
    scare_short: usize,
    scare_short_kept_out: usize,
}

struct ErrorReport<'a> {
    name: &'a str,
    chars: &'a [char],
    /// Our quotes classified as scare quotes (left out of the list).
    scare: &'a [Span],
    /// Print each error on its line (`--errors`), not only count it.
    lines: bool,
    /// Errors counted by category, over all articles.
    counts: &'a std::cell::RefCell<BTreeMap<String, usize>>,
}

impl ErrorReport<'_> {
    fn show(&self, span: Span) -> String {
        let (a, b) = (span.0.min(self.chars.len()), span.1.min(self.chars.len()));
        let text: String = self.chars[a..b].iter().collect();
        let text = if text.chars().count() > 90 {
            let head: String = text.chars().take(60).collect();
            let tail: String = text.chars().rev().take(25).collect::<Vec<_>>().into_iter().rev().collect();
            format!("{head} … {tail}")
        } else {
            text
        };
        format!("{a}-{b} {}", text.replace('\n', "⏎"))
    }

    fn context(&self, span: Span) -> String {
        let a = span.0.saturating_sub(120);
        let b = (span.1 + 80).min(self.chars.len());
        self.chars[a..b].iter().collect::<String>().replace('\n', "⏎")
    }

    fn print(&self, what: &str, detail: String) {
        *self.counts.borrow_mut().entry(what.to_string()).or_default() += 1;
        if self.lines {
            println!("{what}\t{}\t{detail}", self.name);
        }
    }

    fn text(&self, span: Span) -> String {
        self.chars[span.0.min(self.chars.len())..span.1.min(self.chars.len())].iter().collect()
    }

    /// A quote by its words: `short` (at most four words, the length of a
    /// scare quote or title) or `long`, and for short ones whether the first
    /// word is capitalised (`Title`: names, titles, mottos) or not (`lower`).
    fn shape(&self, span: Span) -> &'static str {
        let text = self.text(span);
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() > 4 {
            return "long";
        }
        let first = text.chars().find(|c| c.is_alphanumeric());
        if first.is_some_and(char::is_uppercase) { "short-Title" } else { "short-lower" }
    }

    /// Where the gold speaker stands from the quote: in its sentence (no
    /// sentence end between them), earlier or later in its paragraph, in
    /// another paragraph; and `pronoun` when it is one short lower-case word.
    fn speaker_place(&self, quote: Span, sources: &[Span]) -> String {
        let Some(&source) = sources.iter().min_by_key(|s| if s.0 >= quote.1 { s.0 - quote.1 } else { quote.0.saturating_sub(s.1) }) else {
            return "no-gold-speaker".into();
        };
        let (a, b) = if source.1 <= quote.0 {
            (source.1, quote.0)
        } else if source.0 >= quote.1 {
            (quote.1, source.0)
        } else {
            (0, 0)
        };
        let between = self.text((a, b));
        let side = if source.1 <= quote.0 {
            "before"
        } else if source.0 >= quote.1 {
            "after"
        } else {
            "inside"
        };
        let place = if between.contains('\n') {
            "other-paragraph"
        } else if between.contains([';']) || between.contains(". ") || between.contains("! ") || between.contains("? ") {
            "other-sentence"
        } else {
            "same-sentence"
        };
        let name = self.text(source);
        let pronoun = if !name.contains(' ') && name.chars().next().is_some_and(char::is_lowercase) { " pronoun" } else { "" };
        format!("{place}-{side}{pronoun}")
    }
}

impl Score {
    fn add(&mut self, chars: &[char], gold: &Gold, predicted: &[Predicted], errors: Option<&ErrorReport>) {
        self.gold += gold.quotes.len();
        let norm = |s: Span| normalise(chars, s);
        // Exact matches after normalisation, one to one.
        let mut exact_of_gold: Vec<Option<usize>> = vec![None; gold.quotes.len()];
        let mut overlap_of_gold: Vec<Option<usize>> = vec![None; gold.quotes.len()];
        let mut matched_prediction = vec![false; predicted.len()];
        for (p, pred) in predicted.iter().enumerate() {
            let key = norm(pred.span);
            if let Some(g) = (0..gold.quotes.len()).find(|&g| exact_of_gold[g].is_none() && norm(gold.quotes[g].span) == key) {
                exact_of_gold[g] = Some(p);
                overlap_of_gold[g] = Some(p);
                matched_prediction[p] = true;
            }
        }
        for (p, pred) in predicted.iter().enumerate() {
            if matched_prediction[p] {
                continue;
            }
            if let Some(g) = (0..gold.quotes.len()).find(|&g| overlap_of_gold[g].is_none() && overlaps(gold.quotes[g].span, pred.span)) {
                overlap_of_gold[g] = Some(p);
                matched_prediction[p] = true;
            }
        }
        for (p, pred) in predicted.iter().enumerate() {
            if !matched_prediction[p] && gold.ambiguous.iter().any(|&a| overlaps(a, pred.span)) {
                self.ignored += 1;
                continue;
            }
            self.predicted += 1;
            if !matched_prediction[p]
                && let Some(e) = errors
            {
                let kind = if gold.scare.iter().any(|&s| overlaps(s, pred.span)) { "fp-scare" } else { "fp" };
                let attributed = if pred.speaker.is_some() { "attributed" } else { "unattributed" };
                let kind = format!("{kind}/{}/{:?}/{attributed}", e.shape(pred.span), pred.kind);
                e.print(&kind, format!("{}\t{}", e.show(pred.span), e.context(pred.span)));
            }
        }
        self.exact += exact_of_gold.iter().flatten().count();
        self.overlap += overlap_of_gold.iter().flatten().count();
        for (g, quote) in gold.quotes.iter().enumerate() {
            let Some(p) = overlap_of_gold[g] else {
                if let Some(e) = errors {
                    let what = if e.scare.iter().any(|&s| overlaps(s, quote.span)) { "missed-as-scare" } else { "missed" };
                    let what = format!("{what}/{}", e.shape(quote.span));
                    let source = quote.source.iter().map(|&s| e.show(s)).collect::<Vec<_>>().join(" + ");
                    let cue = quote.cue.iter().map(|&s| e.show(s)).collect::<Vec<_>>().join(" + ");
                    e.print(&what, format!("{}\tgold {source} / {cue}\t{}", e.show(quote.span), e.context(quote.span)));
                }
                continue;
            };
            if let Some(e) = errors
                && exact_of_gold[g].is_none()
            {
                e.print("inexact", format!("gold {}\tours {}", e.show(quote.span), e.show(predicted[p].span)));
            }
            if quote.source.is_empty() {
                continue;
            }
            let pred = &predicted[p];
            self.speaker_scored += 1;
            let right = pred.speaker.is_some_and(|sp| quote.source.iter().any(|&src| overlaps(src, sp)));
            if right {
                self.speaker_right += 1;
            }
            if pred.flagged_unattributed {
                self.flagged_wrongly += 1;
            }
            if !right && let Some(e) = errors {
                let source = quote.source.iter().map(|&s| e.show(s)).collect::<Vec<_>>().join(" + ");
                let ours = pred.speaker.map_or("(none)".to_string(), |s| e.show(s));
                let what = if pred.flagged_unattributed { "speaker-none".to_string() } else { format!("speaker-wrong/{}", pred.via) };
                e.print(
                    &format!("{what}/{}", e.speaker_place(quote.span, &quote.source)),
                    format!("{}\tgold {source}\tours {ours}\t{}\t{}", e.show(quote.span), pred.via, e.context(quote.span)),
                );
            }
        }
        for &scare in &gold.scare {
            self.scare += 1;
            let (a, b) = (scare.0.min(chars.len()), scare.1.min(chars.len()));
            let short = chars[a..b].iter().collect::<String>().split_whitespace().count() <= 4;
            self.scare_short += usize::from(short);
            let kept_by = predicted.iter().find(|p| overlaps(p.span, scare));
            self.scare_short_kept_out += usize::from(short && kept_by.is_none());
            if let Some(pred) = kept_by {
                if let Some(e) = errors {
                    let ours = pred.speaker.map_or("(none)".to_string(), |s| e.show(s));
                    e.print("scare-kept", format!("{}\tours {:?} {ours} {}\t{}", e.show(scare), pred.kind, pred.via, e.context(scare)));
                }
            } else {
                self.scare_kept_out += 1;
                if let Some(e) = errors {
                    e.print("scare-out", format!("{}\t{}", e.show(scare), e.context(scare)));
                }
            }
        }
    }

    fn rows(&self) -> Vec<(&'static str, String)> {
        let ratio = |a: usize, b: usize| if b == 0 { "-".to_string() } else { format!("{:.4}", a as f64 / b as f64) };
        let f1 = |tp: usize| {
            let (p, r) = (tp as f64 / self.predicted.max(1) as f64, tp as f64 / self.gold.max(1) as f64);
            if p + r == 0.0 { "0.0000".to_string() } else { format!("{:.4}", 2.0 * p * r / (p + r)) }
        };
        vec![
            ("gold quotes", self.gold.to_string()),
            ("predicted quotes (not scare)", self.predicted.to_string()),
            ("  on ambiguous gold spans (not scored)", self.ignored.to_string()),
            ("quote precision (exact span)", ratio(self.exact, self.predicted)),
            ("quote recall (exact span)", ratio(self.exact, self.gold)),
            ("quote F1 (exact span)", f1(self.exact)),
            ("quote precision (overlap)", ratio(self.overlap, self.predicted)),
            ("quote recall (overlap)", ratio(self.overlap, self.gold)),
            ("quote F1 (overlap)", f1(self.overlap)),
            ("speaker accuracy (found quotes with source)", ratio(self.speaker_right, self.speaker_scored)),
            ("  scored quotes", self.speaker_scored.to_string()),
            ("attributed quotes flagged unattributed", ratio(self.flagged_wrongly, self.speaker_scored)),
            ("scare/outside-Content spans kept out", ratio(self.scare_kept_out, self.scare)),
            ("  scare/outside-Content spans", self.scare.to_string()),
            ("  of at most 4 words: kept out", ratio(self.scare_short_kept_out, self.scare_short)),
            ("  of at most 4 words", self.scare_short.to_string()),
        ]
    }
}

/// One article of the German quotation attribution dataset: its text and the
/// gold of its `Direct` quotes. Offsets there are code points of `originalText`.
fn read_uhh_document(path: &Path) -> Result<(String, Gold)> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?)
            .with_context(|| format!("parsing {}", path.display()))?;
    let text = json["originalText"].as_str().with_context(|| format!("{}: no originalText", path.display()))?.to_string();
    let spans = |value: &serde_json::Value| -> Vec<Span> {
        value["spans"]
            .as_array()
            .map(|spans| spans.iter().filter_map(|s| Some((s["charBegin"].as_u64()? as usize, s["charEnd"].as_u64()? as usize))).collect())
            .unwrap_or_default()
    };
    let mut gold = Gold { quotes: Vec::new(), ambiguous: Vec::new(), scare: Vec::new() };
    for annotation in json["annotations"].as_array().into_iter().flatten() {
        let quote = spans(&annotation["quote"]);
        let (Some(first), Some(last)) = (quote.first(), quote.last()) else { continue };
        let span = (first.0, last.1);
        if annotation["type"].as_str() == Some("Direct") {
            gold.quotes.push(GoldQuote { span, source: spans(&annotation["speaker"]), cue: spans(&annotation["cue"]) });
        } else {
            gold.ambiguous.push(span);
        }
    }
    Ok((text, gold))
}
