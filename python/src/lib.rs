//! The Python edge of marginalia, `marginalia._marginalia`: it converts and
//! asks the same analysis host as the CLI and the language server
//! (`host::AnalysisHost::from_corpus` for a corpus: analyses, sidecars, checked
//! and locked annotation writes), and decides nothing. Exports and agreement
//! call the same pure converters as the CLI's `export` and `agreement`.
//!
//! - Offsets: the core works in UTF-8 bytes; everything handed to Python is in
//!   Unicode code points (as `str` indexing counts), converted here with
//!   `text::LineIndex`, the conversion the CLI prints with.
//! - The GIL: every analysis runs detached from the interpreter
//!   (`Python::detach`), so Python threads and the engine's own threads run
//!   meanwhile. Only building the Python objects holds it.
//! - Threads: none of our own unless asked (`threads=N`, scoped threads that
//!   end with the call). A pool created before a fork deadlocks in the child
//!   (Spark and multiprocessing workers fork), so parallelism comes from the
//!   engine that runs us.
//! - Errors: Python exceptions (`MarginaliaError` and subclasses) carrying the
//!   file and the position; a panic in the core becomes a `MarginaliaError`
//!   too, never a dead interpreter.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use marginalia::analysis::AnalysisConfig;
use marginalia::analysis::report::DiagnosticReport;
use marginalia::annotations::{Annotation as CoreAnnotation, AnnotationKind, Authorship, Status, StoreError, sidecar_path};
use marginalia::diagnostic::Diagnostic as CoreDiagnostic;
use marginalia::host::{AnalysisHost, AnnotationWriteError};
use marginalia::ide::annotate::AnnotationOp;
use marginalia::interchange::{self, ExportDocument, Notes, StatusFilter};
use marginalia::kb::{KbFileSyntax, KnowledgeBase as CoreKb, parse_kb_file};
use marginalia::text::{LineIndex, TextRange};
use marginalia::workspace::{CONFIG_FILE_NAME, Corpus as CoreCorpus, FileError, files_with_extension, read_text_file};

create_exception!(
    marginalia,
    MarginaliaError,
    PyException,
    "Any error marginalia reports; `path`, `line`, `column` and `offset` say where, when known."
);
create_exception!(
    marginalia,
    CorpusError,
    MarginaliaError,
    "The corpus (its marginalia.toml or knowledge base) has errors, or cannot be found."
);
create_exception!(
    marginalia,
    ArticleError,
    MarginaliaError,
    "An article cannot be read: missing, unreadable, or not UTF-8 (`offset` is the byte)."
);
create_exception!(
    marginalia,
    AnnotationError,
    MarginaliaError,
    "An annotation was refused, or a sidecar is malformed and will not be rewritten."
);

/// Where an error happened, set as attributes of the exception.
#[derive(Default)]
struct Place {
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    offset: Option<usize>,
}

fn raise<E: pyo3::type_object::PyTypeInfo>(py: Python<'_>, message: String, place: Place) -> PyErr {
    let err = PyErr::new::<E, _>(message);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail in practice;
    // if it did, the message still says where.
    let _ = value.setattr("path", place.path);
    let _ = value.setattr("line", place.line);
    let _ = value.setattr("column", place.column);
    let _ = value.setattr("offset", place.offset);
    err
}

fn file_error(py: Python<'_>, error: &FileError) -> PyErr {
    let mut place = Place::default();
    match error {
        FileError::NotFound(path) => place.path = Some(path.display().to_string()),
        FileError::Io { path, .. } => place.path = Some(path.display().to_string()),
        FileError::InvalidUtf8 { path, offset, line, .. } => {
            place.path = Some(path.display().to_string());
            place.offset = Some(*offset);
            place.line = Some(*line);
        }
    }
    raise::<ArticleError>(py, error.to_string(), place)
}

fn store_error(py: Python<'_>, error: &StoreError) -> PyErr {
    match error {
        StoreError::Read(error) => file_error(py, error),
        StoreError::Write { path, .. } => {
            raise::<AnnotationError>(py, error.to_string(), Place { path: Some(path.display().to_string()), ..Place::default() })
        }
        StoreError::Malformed { path, line, .. } => raise::<AnnotationError>(
            py,
            error.to_string(),
            Place { path: Some(path.display().to_string()), line: Some(*line), ..Place::default() },
        ),
    }
}

/// A panic in the core, as a Python exception instead of an abort.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

// ---------------------------------------------------------------------------
// The result types, in code points.

/// A stretch of the text: `text[start:end]` in Python.
#[pyclass(frozen, get_all, module = "marginalia")]
#[derive(Clone)]
struct Span {
    start: usize,
    end: usize,
    text: String,
}

#[pymethods]
impl Span {
    fn __repr__(&self) -> String {
        format!("Span({}, {}, {:?})", self.start, self.end, self.text)
    }
}

/// A mention of a knowledge-base entry.
#[pyclass(frozen, get_all, module = "marginalia")]
#[derive(Clone)]
struct Mention {
    start: usize,
    end: usize,
    text: String,
    /// The knowledge-base id.
    id: String,
    /// person, organization, place or agreement.
    kind: &'static str,
    /// The roles the entry held on the article's date (people), most recent first.
    roles: Vec<String>,
}

#[pymethods]
impl Mention {
    fn __repr__(&self) -> String {
        format!("Mention({}, {}, {:?}, id={:?}, kind={:?})", self.start, self.end, self.text, self.id, self.kind)
    }
}

/// Who a quotation is attributed to: the mention in the text, and its KB entry.
#[pyclass(frozen, get_all, module = "marginalia")]
#[derive(Clone)]
struct Speaker {
    start: usize,
    end: usize,
    text: String,
    /// The knowledge-base id, when the speaker (or a pronoun's antecedent) is in the KB.
    entity: Option<String>,
    roles: Vec<String>,
}

#[pymethods]
impl Speaker {
    fn __repr__(&self) -> String {
        format!("Speaker({}, {}, {:?}, entity={:?})", self.start, self.end, self.text, self.entity)
    }
}

/// One part of a quotation, marks included.
#[pyclass(frozen, get_all, module = "marginalia")]
#[derive(Clone)]
struct Quote {
    start: usize,
    end: usize,
    text: String,
    /// direct, partial or scare.
    kind: &'static str,
    /// Parts of one utterance (interrupted or multi-paragraph) share this number.
    utterance: usize,
    /// The closing mark is missing.
    unclosed: bool,
    speaker: Option<Speaker>,
    /// The speech cue ("said"), if any.
    cue: Option<Span>,
    /// How the speaker was found (the rule that fired), kebab-case: cue, same-utterance, ...
    via: Option<String>,
    /// The best two speaker candidates were equally good.
    ambiguous: bool,
}

#[pymethods]
impl Quote {
    /// The speaker's knowledge-base id, if any.
    #[getter]
    fn entity(&self) -> Option<String> {
        self.speaker.as_ref().and_then(|s| s.entity.clone())
    }

    fn __repr__(&self) -> String {
        let speaker = self.speaker.as_ref().map_or("None".to_string(), |s| format!("{:?}", s.text));
        format!("Quote({}, {}, kind={:?}, speaker={speaker}, text={:?})", self.start, self.end, self.kind, self.text)
    }
}

/// A diagnostic, as `marginalia check --format json` prints it.
#[pyclass(frozen, get_all, module = "marginalia")]
#[derive(Clone)]
struct Diagnostic {
    path: Option<String>,
    start: usize,
    end: usize,
    /// 1-based.
    line: usize,
    /// 1-based, in code points.
    column: usize,
    /// error, warning, information or hint.
    severity: &'static str,
    code: &'static str,
    message: String,
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        let at = self.path.as_deref().map_or(String::new(), |p| format!("{p}:"));
        format!("Diagnostic({at}{}:{} {} {}: {})", self.line, self.column, self.severity, self.code, self.message)
    }
}

impl Diagnostic {
    fn new(path: Option<&Path>, index: &LineIndex, diagnostic: &CoreDiagnostic) -> Diagnostic {
        let report = DiagnosticReport::new(path.unwrap_or(Path::new("")), index, diagnostic);
        Diagnostic {
            path: path.map(|p| p.display().to_string()),
            start: report.start,
            end: report.end,
            line: report.line,
            column: report.column,
            severity: report.severity.as_str(),
            code: report.code,
            message: report.message,
        }
    }
}

/// The analysis of one text: what `marginalia analyze --format json` prints.
#[pyclass(frozen, get_all, module = "marginalia")]
#[derive(Clone)]
struct Analysis {
    /// The article's path, for articles read from disk.
    path: Option<String>,
    /// The date header's date (YYYY-MM-DD), else the `date` given.
    date: Option<String>,
    /// Mentions of people, organizations and places.
    entities: Vec<Mention>,
    /// Mentions of agreements.
    agreements: Vec<Mention>,
    quotes: Vec<Quote>,
    diagnostics: Vec<Diagnostic>,
}

#[pymethods]
impl Analysis {
    /// Every KB mention (entities and agreements) in text order.
    #[getter]
    fn mentions(&self) -> Vec<Mention> {
        let mut all: Vec<Mention> = self.entities.iter().chain(&self.agreements).cloned().collect();
        all.sort_by_key(|m| (m.start, m.end));
        all
    }

    /// The analysis as plain dicts and lists, in the shape of
    /// `marginalia analyze --format json` (plus `unclosed`, `via`,
    /// `ambiguous` on quotes and `roles` on mentions).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("path", &self.path)?;
        dict.set_item("date", &self.date)?;
        let mention = |m: &Mention, with_kind: bool| -> PyResult<Bound<'py, PyDict>> {
            let d = PyDict::new(py);
            d.set_item("start", m.start)?;
            d.set_item("end", m.end)?;
            d.set_item("text", &m.text)?;
            d.set_item("id", &m.id)?;
            if with_kind {
                d.set_item("kind", m.kind)?;
            }
            d.set_item("roles", &m.roles)?;
            Ok(d)
        };
        dict.set_item("entities", self.entities.iter().map(|m| mention(m, true)).collect::<PyResult<Vec<_>>>()?)?;
        dict.set_item("agreements", self.agreements.iter().map(|m| mention(m, false)).collect::<PyResult<Vec<_>>>()?)?;
        let span = |s: &Span| -> PyResult<Bound<'py, PyDict>> {
            let d = PyDict::new(py);
            d.set_item("start", s.start)?;
            d.set_item("end", s.end)?;
            d.set_item("text", &s.text)?;
            Ok(d)
        };
        let mut quotes = Vec::with_capacity(self.quotes.len());
        for q in &self.quotes {
            let d = PyDict::new(py);
            d.set_item("start", q.start)?;
            d.set_item("end", q.end)?;
            d.set_item("text", &q.text)?;
            d.set_item("kind", q.kind)?;
            d.set_item("utterance", q.utterance)?;
            let speaker = match &q.speaker {
                Some(s) => {
                    let sd = PyDict::new(py);
                    sd.set_item("start", s.start)?;
                    sd.set_item("end", s.end)?;
                    sd.set_item("text", &s.text)?;
                    sd.set_item("id", &s.entity)?;
                    sd.set_item("roles", &s.roles)?;
                    Some(sd)
                }
                None => None,
            };
            d.set_item("speaker", speaker)?;
            d.set_item("cue", q.cue.as_ref().map(span).transpose()?)?;
            d.set_item("unclosed", q.unclosed)?;
            d.set_item("via", &q.via)?;
            d.set_item("ambiguous", q.ambiguous)?;
            quotes.push(d);
        }
        dict.set_item("quotes", quotes)?;
        let mut diagnostics = Vec::with_capacity(self.diagnostics.len());
        for x in &self.diagnostics {
            let d = PyDict::new(py);
            d.set_item("path", &x.path)?;
            d.set_item("start", x.start)?;
            d.set_item("end", x.end)?;
            d.set_item("line", x.line)?;
            d.set_item("column", x.column)?;
            d.set_item("severity", x.severity)?;
            d.set_item("code", x.code)?;
            d.set_item("message", &x.message)?;
            diagnostics.push(d);
        }
        dict.set_item("diagnostics", diagnostics)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Analysis(path={:?}, date={:?}, entities={}, agreements={}, quotes={}, diagnostics={})",
            self.path,
            self.date,
            self.entities.len(),
            self.agreements.len(),
            self.quotes.len(),
            self.diagnostics.len()
        )
    }
}

/// `AttributionVia::SameUtterance` → `same-utterance`: the rule's name as the
/// core's enum spells it, so a rule added there needs nothing here.
fn kebab(debug_name: &str) -> String {
    let mut out = String::with_capacity(debug_name.len() + 4);
    for (i, c) in debug_name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The roles an entry held on `date`, most recent first.
fn roles_on(kb: &CoreKb, id: Option<&str>, date: Option<chrono::NaiveDate>) -> Vec<String> {
    match (id.and_then(|id| kb.get(id)), date) {
        (Some(entry), Some(date)) => entry.roles_on(date).into_iter().map(|r| r.title.clone()).collect(),
        _ => Vec::new(),
    }
}

/// The input of one analysis: a text, or an article file (analysed with its
/// sidecar), and the date to assume when the text has no date header.
struct Job {
    source: Source,
    date: Option<chrono::NaiveDate>,
}

enum Source {
    Text(String),
    File(PathBuf),
}

impl Job {
    fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::Text(_) => None,
            Source::File(path) => Some(path),
        }
    }
}

/// What analyses a job: the host of a corpus, or a knowledge base of no corpus.
enum Analyzer<'a> {
    Host { host: &'a std::sync::RwLock<AnalysisHost>, root: &'a Path, kb: Arc<CoreKb> },
    Kb { kb: Arc<CoreKb>, config: AnalysisConfig },
}

impl Analyzer<'_> {
    fn kb(&self) -> &CoreKb {
        match self {
            Analyzer::Host { kb, .. } | Analyzer::Kb { kb, .. } => kb,
        }
    }
}

/// Why a job gave no analysis.
enum JobError {
    Panic(String),
    File(FileError),
}

/// Asks the host for the analysis (rules, then accepted annotations over them)
/// and converts every byte offset to code points. No GIL needed.
fn analyze_job(job: &Job, analyzer: &Analyzer) -> Result<Analysis, JobError> {
    let (text, analysis) = match (&job.source, analyzer) {
        (Source::Text(text), Analyzer::Host { host, root, .. }) => {
            let host = host.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            (std::borrow::Cow::Borrowed(text.as_str()), host.analyze_text(Some(root), text, &[]))
        }
        (Source::Text(text), Analyzer::Kb { kb, config }) => {
            (std::borrow::Cow::Borrowed(text.as_str()), AnalysisHost::analyze_text_with(kb, config, text, &[]))
        }
        (Source::File(path), Analyzer::Host { host, .. }) => {
            let host = host.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (text, analysis) = host.analysis_on_disk(path).map_err(JobError::File)?;
            (std::borrow::Cow::Owned(text), analysis)
        }
        (Source::File(path), Analyzer::Kb { kb, config }) => {
            let text = read_text_file(path).map_err(JobError::File)?;
            let analysis = AnalysisHost::analyze_text_with(kb, config, &text, &[]);
            (std::borrow::Cow::Owned(text), analysis)
        }
    };
    let text = text.as_ref();
    let kb = analyzer.kb();
    let index = LineIndex::new(text);
    let date = analysis.date().or(job.date);
    let span = |r: TextRange| Span {
        start: index.code_point_offset(r.start),
        end: index.code_point_offset(r.end),
        text: r.slice(text).to_string(),
    };
    let mention = |m: &marginalia::analysis::Mention| {
        let s = span(m.range);
        Mention {
            start: s.start,
            end: s.end,
            text: s.text,
            id: m.id.clone(),
            kind: m.kind.as_str(),
            roles: roles_on(kb, Some(&m.id), date),
        }
    };
    Ok(Analysis {
        path: job.path().map(|p| p.display().to_string()),
        date: date.map(|d| d.to_string()),
        entities: analysis.entities.iter().map(mention).collect(),
        agreements: analysis.agreements.iter().map(mention).collect(),
        quotes: analysis
            .quotes
            .iter()
            .map(|q| {
                let s = span(q.range);
                Quote {
                    start: s.start,
                    end: s.end,
                    text: s.text,
                    kind: q.kind.as_str(),
                    utterance: q.utterance,
                    unclosed: q.unclosed,
                    speaker: q.speaker.as_ref().map(|sp| {
                        let s = span(sp.range);
                        Speaker {
                            start: s.start,
                            end: s.end,
                            text: s.text,
                            entity: sp.entity.clone(),
                            roles: roles_on(kb, sp.entity.as_deref(), date),
                        }
                    }),
                    cue: q.cue.map(span),
                    via: q.via.map(|v| kebab(&format!("{v:?}"))),
                    ambiguous: q.ambiguous,
                }
            })
            .collect(),
        diagnostics: analysis.diagnostics.iter().map(|d| Diagnostic::new(job.path(), &index, d)).collect(),
    })
}

/// One job's outcome: its analysis, or (its index, why not).
type Outcome = Result<Analysis, (usize, JobError)>;

/// Analyses every job, detached from the interpreter: in this thread, or on
/// `threads` scoped threads that end with the call. A panic becomes an error
/// naming the job.
fn analyze_all(py: Python<'_>, jobs: Vec<Job>, analyzer: Analyzer, threads: Option<usize>) -> PyResult<Vec<Analysis>> {
    let threads = threads.unwrap_or(1);
    if threads == 0 {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let outcome: Result<Vec<Analysis>, (usize, JobError)> = py.detach(|| {
        let one = |n: usize| match catch_unwind(AssertUnwindSafe(|| analyze_job(&jobs[n], &analyzer))) {
            Ok(Ok(analysis)) => Ok(analysis),
            Ok(Err(error)) => Err((n, error)),
            Err(payload) => Err((n, JobError::Panic(panic_message(payload)))),
        };
        if threads == 1 || jobs.len() < 2 {
            return (0..jobs.len()).map(one).collect();
        }
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
        let chunks: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.min(jobs.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let n = next.fetch_add(1, Ordering::Relaxed);
                            if n >= jobs.len() {
                                break done;
                            }
                            done.push((n, one(n)));
                        }
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap_or_default()).collect()
        });
        for (n, result) in chunks.into_iter().flatten() {
            results[n] = Some(result);
        }
        results
            .into_iter()
            .enumerate()
            .map(|(n, r)| r.unwrap_or_else(|| Err((n, JobError::Panic("the analysis thread died".into())))))
            .collect()
    });
    outcome.map_err(|(n, error)| match error {
        JobError::File(error) => file_error(py, &error),
        JobError::Panic(message) => {
            let path = jobs[n].path().map(|p| p.display().to_string());
            let at = path.clone().unwrap_or_else(|| format!("text #{n}"));
            raise::<MarginaliaError>(
                py,
                format!("{at}: internal error in the analysis ({message}); please report it"),
                Place { path, ..Place::default() },
            )
        }
    })
}

fn parse_date(date: Option<&Bound<'_, PyAny>>) -> PyResult<Option<chrono::NaiveDate>> {
    let Some(date) = date.filter(|d| !d.is_none()) else { return Ok(None) };
    // A `str` or a `datetime.date` (whose str() is YYYY-MM-DD).
    let text = date.str()?.to_string();
    let text = text.get(..10).filter(|_| !date.is_instance_of::<pyo3::types::PyString>()).unwrap_or(&text).to_string();
    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| PyValueError::new_err(format!("date {text:?} is not a YYYY-MM-DD date")))
}

// ---------------------------------------------------------------------------
// Knowledge base and corpus.

/// Diagnostics of files on disk (the config, KB files) with line and column.
fn file_diagnostics(path: &Path, diagnostics: &[CoreDiagnostic]) -> Vec<Diagnostic> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let text = read_text_file(path).unwrap_or_default();
    let index = LineIndex::new(&text);
    diagnostics.iter().map(|d| Diagnostic::new(Some(path), &index, d)).collect()
}

fn first_error(py: Python<'_>, what: &str, diagnostics: &[Diagnostic]) -> Option<PyErr> {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.severity == "error").collect();
    let first = errors.first()?;
    let more = if errors.len() > 1 { format!(" (and {} more errors)", errors.len() - 1) } else { String::new() };
    let message = format!(
        "{}:{}:{}: {} {what}: {}{more}; pass strict=False to load it anyway",
        first.path.as_deref().unwrap_or(""),
        first.line,
        first.column,
        first.code,
        first.message
    );
    let err = raise::<CorpusError>(
        py,
        message,
        Place { path: first.path.clone(), line: Some(first.line), column: Some(first.column), offset: Some(first.start) },
    );
    let all: Vec<Diagnostic> = diagnostics.to_vec();
    let _ = err.value(py).setattr("diagnostics", all);
    Some(err)
}

/// A knowledge base: the JSON files of a corpus's KB folder, or any KB file or folder.
#[pyclass(frozen, module = "marginalia")]
struct KnowledgeBase {
    kb: Arc<CoreKb>,
    diagnostics: Vec<Diagnostic>,
}

#[pymethods]
impl KnowledgeBase {
    /// Loads a KB JSON file, or every `*.json` file in a folder. Raises
    /// `CorpusError` (with path, line, column) on errors unless `strict=False`.
    #[new]
    #[pyo3(signature = (path, strict = true))]
    fn new(py: Python<'_>, path: PathBuf, strict: bool) -> PyResult<KnowledgeBase> {
        let paths = if path.is_dir() {
            let mut paths = files_with_extension(&path, "json");
            paths.sort();
            paths
        } else if path.is_file() {
            vec![path.clone()]
        } else {
            return Err(raise::<CorpusError>(
                py,
                format!("{}: no such knowledge-base file or folder", path.display()),
                Place { path: Some(path.display().to_string()), ..Place::default() },
            ));
        };
        let build = py.detach(|| {
            let files: Vec<KbFileSyntax> = paths
                .iter()
                .map(|p| {
                    let p = Arc::new(p.clone());
                    match read_text_file(&p) {
                        Ok(text) => parse_kb_file(p, &text),
                        Err(error) => KbFileSyntax::unreadable_file(p, &error),
                    }
                })
                .collect();
            CoreKb::build(files)
        });
        let diagnostics: Vec<Diagnostic> = build.diagnostics.iter().flat_map(|(p, d)| file_diagnostics(p, d)).collect();
        if strict && let Some(err) = first_error(py, "in the knowledge base", &diagnostics) {
            return Err(err);
        }
        Ok(KnowledgeBase { kb: Arc::new(build.kb), diagnostics })
    }

    /// Problems found while loading (errors, warnings).
    #[getter]
    fn diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics.clone()
    }

    fn __len__(&self) -> usize {
        self.kb.entries().len()
    }

    fn __contains__(&self, id: &str) -> bool {
        self.kb.get(id).is_some()
    }

    /// Every entry's id, in file order.
    fn ids(&self) -> Vec<String> {
        self.kb.entries().iter().map(|e| e.id.clone()).collect()
    }

    /// One entry as a dict (id, name, kind, aliases, description, roles, wikidata), or None.
    fn entry<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(e) = self.kb.get(id) else { return Ok(None) };
        let d = PyDict::new(py);
        d.set_item("id", &e.id)?;
        d.set_item("name", &e.name)?;
        d.set_item("kind", e.kind.as_str())?;
        d.set_item("aliases", &e.aliases)?;
        d.set_item("description", &e.description)?;
        let roles: Vec<(String, Option<String>, Option<String>)> =
            e.roles.iter().map(|r| (r.title.clone(), r.start.map(|d| d.to_string()), r.end.map(|d| d.to_string()))).collect();
        d.set_item("roles", roles)?;
        d.set_item("wikidata", &e.wikidata)?;
        Ok(Some(d))
    }

    fn __repr__(&self) -> String {
        format!("KnowledgeBase({} entries)", self.kb.entries().len())
    }
}

/// An annotation from a sidecar (`NAME.ann.jsonl`), offsets in code points.
#[pyclass(frozen, get_all, module = "marginalia")]
#[derive(Clone)]
struct Annotation {
    id: String,
    /// entity or quote.
    kind: &'static str,
    label: String,
    start: usize,
    end: usize,
    exact: String,
    prefix: String,
    suffix: String,
    entity: Option<String>,
    speaker: Option<String>,
    annotator: String,
    created: String,
    /// suggested, accepted or rejected.
    status: &'static str,
}

#[pymethods]
impl Annotation {
    fn __repr__(&self) -> String {
        format!(
            "Annotation({:?}, {} {}..{} {:?}, by {}, {})",
            self.id, self.label, self.start, self.end, self.exact, self.annotator, self.status
        )
    }
}

impl From<&CoreAnnotation> for Annotation {
    fn from(a: &CoreAnnotation) -> Annotation {
        Annotation {
            id: a.id.clone(),
            kind: match a.kind {
                AnnotationKind::Entity => "entity",
                AnnotationKind::Quote => "quote",
            },
            label: a.label.clone(),
            start: a.start,
            end: a.end,
            exact: a.exact.clone(),
            prefix: a.prefix.clone(),
            suffix: a.suffix.clone(),
            entity: a.entity.clone(),
            speaker: a.speaker.clone(),
            annotator: a.annotator.clone(),
            created: a.created.clone(),
            status: a.status.as_str(),
        }
    }
}

fn parse_status(status: &str) -> PyResult<Status> {
    match status {
        "suggested" => Ok(Status::Suggested),
        "accepted" => Ok(Status::Accepted),
        "rejected" => Ok(Status::Rejected),
        other => Err(PyValueError::new_err(format!("status {other:?} is not suggested, accepted or rejected"))),
    }
}

/// A corpus folder (the one holding `marginalia.toml`): its configuration,
/// knowledge base, articles and annotations.
#[pyclass(frozen, module = "marginalia")]
struct Corpus {
    /// The host every question goes to: analyses read it at once, an
    /// annotation write holds it alone (the write re-reads an open article).
    host: std::sync::RwLock<AnalysisHost>,
    /// The host's corpus, for its root, labels, KB and article list.
    corpus: Arc<CoreCorpus>,
    diagnostics: Vec<Diagnostic>,
}

impl Corpus {
    /// An article path: as given if it exists, else relative to the corpus root.
    fn article_path(&self, py: Python<'_>, article: &Path) -> PyResult<PathBuf> {
        let path = if article.is_absolute() || article.exists() { article.to_path_buf() } else { self.corpus.root.join(article) };
        let path = std::path::absolute(&path).unwrap_or(path);
        if !path.is_file() {
            return Err(raise::<ArticleError>(
                py,
                format!("{}: no such article", path.display()),
                Place { path: Some(path.display().to_string()), ..Place::default() },
            ));
        }
        Ok(path)
    }

    fn read_article(&self, py: Python<'_>, path: &Path) -> PyResult<String> {
        py.detach(|| read_text_file(path)).map_err(|e| file_error(py, &e))
    }

    /// The sidecar's annotations; a malformed line is an `AnnotationError`.
    fn sidecar(&self, py: Python<'_>, article: &Path) -> PyResult<Vec<CoreAnnotation>> {
        let sidecar = sidecar_path(article);
        let file = self.read_host().sidecar_on_disk(article).map_err(|e| file_error(py, &e))?;
        if let Some(bad) = file.diagnostics.first() {
            let text = read_text_file(&sidecar).unwrap_or_default();
            let index = LineIndex::new(&text);
            let d = Diagnostic::new(Some(&sidecar), &index, bad);
            return Err(raise::<AnnotationError>(
                py,
                format!("{}:{}:{}: {}", sidecar.display(), d.line, d.column, d.message),
                Place { path: Some(sidecar.display().to_string()), line: Some(d.line), column: Some(d.column), offset: Some(d.start) },
            ));
        }
        Ok(file.annotations)
    }

    /// The articles' paths: all of the corpus's, or those given.
    fn article_list(&self, py: Python<'_>, articles: Option<Vec<PathBuf>>) -> PyResult<Vec<PathBuf>> {
        match articles {
            Some(list) => list.iter().map(|a| self.article_path(py, a)).collect(),
            None => Ok(self.corpus.article_paths()),
        }
    }

    /// Loads each article with its sidecar (malformed lines skipped, as the
    /// CLI's export and agreement do, with the count kept for a warning).
    fn load_all(&self, py: Python<'_>, articles: Option<Vec<PathBuf>>) -> PyResult<Vec<(PathBuf, String, Vec<CoreAnnotation>)>> {
        let paths = self.article_list(py, articles)?;
        let mut loaded = Vec::with_capacity(paths.len());
        for path in paths {
            let text = self.read_article(py, &path)?;
            let annotations = self.read_host().sidecar_on_disk(&path).map_err(|e| file_error(py, &e))?.annotations;
            loaded.push((path, text, annotations));
        }
        Ok(loaded)
    }

    /// `path` relative to the corpus root, `/`-separated: the document id of exports.
    fn source_id(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.corpus.root).unwrap_or(path);
        relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }

    /// The host of this corpus as the analyzer of jobs.
    fn analyzer(&self) -> Analyzer<'_> {
        Analyzer::Host { host: &self.host, root: &self.corpus.root, kb: self.corpus.kb.clone() }
    }

    /// The host, for questions (many at once).
    fn read_host(&self) -> std::sync::RwLockReadGuard<'_, AnalysisHost> {
        self.host.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Has the host check `ops` and write them to the article's sidecar under
    /// its lock, exactly as the language server's `marginalia.applyAnnotationOps` does.
    fn write_ops(&self, py: Python<'_>, article: &Path, ops: Vec<AnnotationOp>, annotator: Option<&str>) -> PyResult<usize> {
        let path = self.article_path(py, article)?;
        let sidecar = sidecar_path(&path);
        let outcome = py.detach(|| {
            let mut host = self.host.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            host.apply_annotation_ops(&path, ops, annotator)
        });
        let at = |message: String| {
            raise::<AnnotationError>(py, message, Place { path: Some(sidecar.display().to_string()), ..Place::default() })
        };
        match outcome {
            Ok(written) => Ok(written.count),
            Err(AnnotationWriteError::Article(error)) => Err(file_error(py, &error)),
            Err(AnnotationWriteError::Store(error)) => Err(store_error(py, &error)),
            Err(AnnotationWriteError::Outside(message)) => Err(at(message)),
            Err(error @ AnnotationWriteError::NotAnArticle(_)) => Err(at(format!("{}: {error}", path.display()))),
            Err(AnnotationWriteError::Refused(message)) => Err(at(format!("{}: {message}", sidecar.display()))),
        }
    }
}

/// An export: file paths (relative to the output folder, `/`-separated) and contents.
#[pyclass(frozen, get_all, module = "marginalia")]
struct Export {
    files: std::collections::BTreeMap<String, String>,
    /// What could not be carried over, counted by reason.
    notes: std::collections::BTreeMap<String, usize>,
}

#[pymethods]
impl Export {
    /// Writes every file under `folder` (created if needed); returns their paths.
    fn write(&self, py: Python<'_>, folder: PathBuf) -> PyResult<Vec<PathBuf>> {
        let mut written = Vec::with_capacity(self.files.len());
        for (relative, content) in &self.files {
            let path = folder.join(relative);
            let result = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, content));
            if let Err(error) = result {
                return Err(raise::<MarginaliaError>(
                    py,
                    format!("{}: cannot write: {error}", path.display()),
                    Place { path: Some(path.display().to_string()), ..Place::default() },
                ));
            }
            written.push(path);
        }
        Ok(written)
    }

    fn __repr__(&self) -> String {
        format!("Export({} files)", self.files.len())
    }
}

#[pymethods]
impl Corpus {
    /// Loads the corpus at `path` (its folder or any file or folder inside it).
    /// Raises `CorpusError` when no `marginalia.toml` is found, and, unless
    /// `strict=False`, when the configuration or the knowledge base has
    /// errors (with the file, line and column of the first).
    #[new]
    #[pyo3(signature = (path, strict = true))]
    fn new(py: Python<'_>, path: PathBuf, strict: bool) -> PyResult<Corpus> {
        let absolute = std::path::absolute(&path).unwrap_or(path.clone());
        if !absolute.exists() {
            return Err(raise::<CorpusError>(
                py,
                format!("{}: no such file or folder", absolute.display()),
                Place { path: Some(absolute.display().to_string()), ..Place::default() },
            ));
        }
        let Some(host) = py.detach(|| AnalysisHost::from_corpus(&absolute)) else {
            return Err(raise::<CorpusError>(
                py,
                format!("{}: not inside a corpus (no {CONFIG_FILE_NAME} here or above)", absolute.display()),
                Place { path: Some(absolute.display().to_string()), ..Place::default() },
            ));
        };
        let corpus = host.corpora().next().cloned().expect("a host built from a corpus holds it");
        let root = corpus.root.clone();
        let mut diagnostics = file_diagnostics(&root.join(CONFIG_FILE_NAME), &corpus.config_diagnostics);
        for (kb_path, problems) in &corpus.kb_diagnostics {
            diagnostics.extend(file_diagnostics(kb_path, problems));
        }
        if strict && let Some(err) = first_error(py, "in the corpus", &diagnostics) {
            return Err(err);
        }
        Ok(Corpus { host: std::sync::RwLock::new(host), corpus, diagnostics })
    }

    /// The corpus folder.
    #[getter]
    fn root(&self) -> PathBuf {
        self.corpus.root.clone()
    }

    /// Problems in `marginalia.toml` and the knowledge base.
    #[getter]
    fn diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics.clone()
    }

    /// The entity labels of `marginalia.toml`.
    #[getter]
    fn labels(&self) -> Vec<String> {
        self.corpus.config.labels.entity.clone()
    }

    /// The corpus's knowledge base.
    #[getter]
    fn kb(&self) -> KnowledgeBase {
        KnowledgeBase { kb: self.corpus.kb.clone(), diagnostics: Vec::new() }
    }

    /// Every article's path, sorted.
    fn articles(&self) -> Vec<PathBuf> {
        self.corpus.article_paths()
    }

    /// Analyses `text` against this corpus's KB and speech verbs. `date`
    /// (str or datetime.date) is the article's date when the text has no
    /// `date YYYY-MM-DD` header; it decides the roles given on mentions.
    #[pyo3(signature = (text, date = None))]
    fn analyze(&self, py: Python<'_>, text: String, date: Option<&Bound<'_, PyAny>>) -> PyResult<Analysis> {
        let job = Job { source: Source::Text(text), date: parse_date(date)? };
        let mut out = analyze_all(py, vec![job], self.analyzer(), None)?;
        Ok(out.remove(0))
    }

    /// Analyses many texts with the interpreter released; `dates` is one date
    /// (or None) per text. `threads=N` analyses on N threads of its own for
    /// this call (default: this thread only).
    #[pyo3(signature = (texts, dates = None, threads = None))]
    fn analyze_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        dates: Option<Vec<Option<Bound<'_, PyAny>>>>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Analysis>> {
        let jobs = jobs_for(texts, dates)?;
        analyze_all(py, jobs, self.analyzer(), threads)
    }

    /// Analyses article files as `marginalia analyze` does: with the
    /// corpus's KB and the accepted annotations of each sidecar applied.
    /// All the corpus's articles when `articles` is None.
    #[pyo3(signature = (articles = None, threads = None))]
    fn analyze_articles(&self, py: Python<'_>, articles: Option<Vec<PathBuf>>, threads: Option<usize>) -> PyResult<Vec<Analysis>> {
        // As the CLI (the host's `analysis_on_disk`): a sidecar's readable
        // records count, malformed lines do not.
        let jobs = self.article_list(py, articles)?.into_iter().map(|path| Job { source: Source::File(path), date: None }).collect();
        analyze_all(py, jobs, self.analyzer(), threads)
    }

    /// The annotations in the article's sidecar (empty when it has none).
    /// A malformed line raises `AnnotationError` with its line.
    fn annotations(&self, py: Python<'_>, article: PathBuf) -> PyResult<Vec<Annotation>> {
        let path = self.article_path(py, &article)?;
        Ok(self.sidecar(py, &path)?.iter().map(Annotation::from).collect())
    }

    /// Adds an annotation on `text[start:end]` of the article (code points),
    /// through the sidecar's lock, with the language server's checks (span,
    /// label, KB id, speaker, annotator). Returns the new annotation.
    #[pyo3(signature = (article, start, end, label, *, entity = None, speaker = None, status = "accepted", annotator = None))]
    #[allow(clippy::too_many_arguments)]
    fn annotate(
        &self,
        py: Python<'_>,
        article: PathBuf,
        start: usize,
        end: usize,
        label: &str,
        entity: Option<String>,
        speaker: Option<String>,
        status: &str,
        annotator: Option<&str>,
    ) -> PyResult<Annotation> {
        let path = self.article_path(py, &article)?;
        let text = self.read_article(py, &path)?;
        let index = LineIndex::new(&text);
        let length = index.code_point_offset(text.len());
        if start >= end || end > length {
            return Err(raise::<AnnotationError>(
                py,
                format!("{}: span {start}..{end} is empty or outside the article ({length} characters)", path.display()),
                Place { path: Some(path.display().to_string()), offset: Some(start), ..Place::default() },
            ));
        }
        let kind = if marginalia::annotations::QUOTE_LABELS.contains(&label) { AnnotationKind::Quote } else { AnnotationKind::Entity };
        let who = self.corpus.config.annotator(annotator);
        let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let range = TextRange::new(index.byte_offset(start), index.byte_offset(end));
        let by = Authorship { annotator: &who.name, created: &created, status: parse_status(status)? };
        let mut annotation = CoreAnnotation::on_span(&text, &index, range, kind, label, by);
        annotation.entity = entity;
        annotation.speaker = speaker;
        let made = Annotation::from(&annotation);
        self.write_ops(py, &path, vec![AnnotationOp::Add { annotation: Box::new(annotation) }], annotator)?;
        Ok(made)
    }

    /// Sets the status of annotation `id` (accepting or rejecting a suggestion).
    #[pyo3(signature = (article, id, status, *, annotator = None))]
    fn set_status(&self, py: Python<'_>, article: PathBuf, id: String, status: &str, annotator: Option<&str>) -> PyResult<usize> {
        let op = AnnotationOp::SetStatus { id, status: parse_status(status)?, annotator: None };
        self.write_ops(py, &article, vec![op], annotator)
    }

    /// Removes annotation `id` (your own, or a suggestion; curators: any).
    #[pyo3(signature = (article, id, *, annotator = None))]
    fn remove_annotation(&self, py: Python<'_>, article: PathBuf, id: String, annotator: Option<&str>) -> PyResult<usize> {
        self.write_ops(py, &article, vec![AnnotationOp::Remove { id, annotator: None }], annotator)
    }

    /// Applies annotation ops, dicts in the form of the server's
    /// `marginalia.applyAnnotationOps` command (`{"op": "add", "annotation":
    /// {...}}`, `{"op": "setStatus", "id", "status"}`, `{"op": "remove", "id"}`),
    /// all or nothing. Returns the number of annotations in the sidecar afterwards.
    #[pyo3(signature = (article, ops, *, annotator = None))]
    fn apply_ops(&self, py: Python<'_>, article: PathBuf, ops: &Bound<'_, PyAny>, annotator: Option<&str>) -> PyResult<usize> {
        let json: String = py.import("json")?.call_method1("dumps", (ops,))?.extract()?;
        let ops: Vec<AnnotationOp> = serde_json::from_str(&json)
            .map_err(|e| raise::<AnnotationError>(py, format!("invalid annotation ops: {e}"), Place::default()))?;
        self.write_ops(py, &article, ops, annotator)
    }

    /// Inter-annotator agreement of `b` with `a` (the reference): the dict
    /// `marginalia agreement --format json` prints (per label, per document,
    /// overall: span F1, Cohen's kappa, Krippendorff's alpha).
    #[pyo3(signature = (a, b, articles = None))]
    fn agreement<'py>(&self, py: Python<'py>, a: &str, b: &str, articles: Option<Vec<PathBuf>>) -> PyResult<Bound<'py, PyAny>> {
        let (a, b) = (a.trim(), b.trim());
        if a.is_empty() || b.is_empty() || a == b {
            return Err(PyValueError::new_err(format!("agreement needs two different annotators (got {a:?} and {b:?})")));
        }
        let loaded = self.load_all(py, articles)?;
        // Documents are named by file stem, or by path where two share a stem (as the CLI does).
        let stem = |p: &Path| p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let mut stems: HashMap<String, usize> = HashMap::new();
        for (path, _, _) in &loaded {
            *stems.entry(stem(path)).or_default() += 1;
        }
        let names: Vec<String> = loaded.iter().map(|(p, _, _)| if stems[&stem(p)] > 1 { self.source_id(p) } else { stem(p) }).collect();
        let report = py.detach(|| {
            marginalia::agreement::annotators_compared(
                loaded.iter().zip(&names).map(|((_, text, annotations), name)| (name.as_str(), text.as_str(), annotations.as_slice())),
                a,
                b,
            )
        });
        let json = serde_json::to_string(&report).map_err(|e| PyValueError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (json,))
    }

    /// The corpus's annotations in another tool's format (brat, conll, jsonl,
    /// spacy, webanno, w3c), as `marginalia export` writes them, in memory:
    /// `Export.files` maps each file's path (relative to the output folder)
    /// to its content; `Export.write(folder)` writes them.
    #[pyo3(signature = (format, status = "accepted", annotator = None, articles = None))]
    fn export(
        &self,
        py: Python<'_>,
        format: &str,
        status: &str,
        annotator: Option<&str>,
        articles: Option<Vec<PathBuf>>,
    ) -> PyResult<Export> {
        let filter = match status {
            "accepted" => StatusFilter::Accepted,
            "all" => StatusFilter::All,
            "curated" => StatusFilter::Curated,
            other => return Err(PyValueError::new_err(format!("status {other:?} is not accepted, all or curated"))),
        };
        if !["brat", "conll", "jsonl", "spacy", "webanno", "w3c"].contains(&format) {
            return Err(PyValueError::new_err(format!("format {format:?} is not brat, conll, jsonl, spacy, webanno or w3c")));
        }
        let loaded = self.load_all(py, articles)?;
        let mut notes = Notes::default();
        let prepared: Vec<(String, String, String, &str, Vec<CoreAnnotation>)> = loaded
            .iter()
            .map(|(path, text, annotations)| {
                let selected = interchange::select_for_export(annotations, filter, annotator, &mut notes);
                let source = self.source_id(path);
                let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
                let relative = path.strip_prefix(&self.corpus.root).unwrap_or(path).to_string_lossy().into_owned();
                (name, source, relative, text.as_str(), selected)
            })
            .collect();
        let documents: Vec<ExportDocument> =
            prepared.iter().map(|(name, source, _, text, annotations)| ExportDocument { name, source, text, annotations }).collect();
        let placed = |n: usize, extension: &str| {
            let relative = Path::new(&prepared[n].2).with_extension(extension);
            relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
        };
        let mut files: Vec<(String, String)> = Vec::new();
        match format {
            "brat" => {
                for (n, doc) in documents.iter().enumerate() {
                    let export = interchange::brat::to_brat(doc);
                    notes.extend(export.notes);
                    files.push((placed(n, "txt"), doc.text.to_string()));
                    files.push((placed(n, "ann"), export.ann));
                }
                files.push(("annotation.conf".into(), interchange::brat::annotation_conf(&documents)));
            }
            "conll" => {
                let combined: String = documents.iter().map(|doc| interchange::conll::to_conll(doc, &mut notes)).collect();
                files.push(("corpus.conll".into(), combined));
            }
            "jsonl" | "spacy" => {
                let mut combined = String::new();
                for doc in &documents {
                    let record = if format == "jsonl" {
                        interchange::jsonl::to_jsonl_record(doc, &mut notes)
                    } else {
                        interchange::spacy::to_spacy_record(doc, &mut notes)
                    };
                    combined.push_str(&record.to_string());
                    combined.push('\n');
                }
                files.push((if format == "jsonl" { "annotations.jsonl" } else { "spacy.jsonl" }.into(), combined));
            }
            "webanno" => {
                for (n, doc) in documents.iter().enumerate() {
                    files.push((placed(n, "tsv"), interchange::webanno::to_webanno(doc, &mut notes)));
                }
            }
            _ => {
                for (n, doc) in documents.iter().enumerate() {
                    let collection = interchange::w3c::to_w3c(doc, &mut notes);
                    let pretty = serde_json::to_string_pretty(&collection).map_err(|e| PyValueError::new_err(e.to_string()))?;
                    files.push((placed(n, "jsonld"), pretty + "\n"));
                }
            }
        }
        Ok(Export { files: files.into_iter().collect(), notes: notes.0.into_iter().collect() })
    }

    fn __repr__(&self) -> String {
        format!("Corpus({:?})", self.corpus.root.display().to_string())
    }
}

fn jobs_for(texts: Vec<String>, dates: Option<Vec<Option<Bound<'_, PyAny>>>>) -> PyResult<Vec<Job>> {
    let dates: Vec<Option<chrono::NaiveDate>> = match dates {
        None => vec![None; texts.len()],
        Some(dates) => {
            if dates.len() != texts.len() {
                return Err(PyValueError::new_err(format!("{} texts but {} dates", texts.len(), dates.len())));
            }
            dates.iter().map(|d| parse_date(d.as_ref())).collect::<PyResult<_>>()?
        }
    };
    Ok(texts.into_iter().zip(dates).map(|(text, date)| Job { source: Source::Text(text), date }).collect())
}

/// What `kb` names: a `Corpus` (its host answers, with its KB and speech
/// verbs), or a knowledge base of no corpus.
enum Resolved<'py> {
    Corpus(Bound<'py, Corpus>),
    Kb(Arc<CoreKb>),
}

impl Resolved<'_> {
    fn analyzer(&self) -> Analyzer<'_> {
        match self {
            Resolved::Corpus(corpus) => corpus.get().analyzer(),
            Resolved::Kb(kb) => Analyzer::Kb { kb: kb.clone(), config: AnalysisConfig::default() },
        }
    }
}

/// `kb`: None (no KB), a `KnowledgeBase`, a `Corpus`, or a path to a KB file or folder.
fn resolve_kb<'py>(py: Python<'py>, kb: Option<&Bound<'py, PyAny>>) -> PyResult<Resolved<'py>> {
    let Some(kb) = kb.filter(|k| !k.is_none()) else { return Ok(Resolved::Kb(Arc::default())) };
    if let Ok(kb) = kb.cast::<KnowledgeBase>() {
        return Ok(Resolved::Kb(kb.get().kb.clone()));
    }
    if let Ok(corpus) = kb.cast::<Corpus>() {
        return Ok(Resolved::Corpus(corpus.clone()));
    }
    if let Ok(path) = kb.extract::<PathBuf>() {
        return Ok(Resolved::Kb(KnowledgeBase::new(py, path, true)?.kb));
    }
    Err(PyTypeError::new_err("kb must be None, a KnowledgeBase, a Corpus, or the path of a KB file or folder"))
}

/// Analyses `text` on its own: with no knowledge base, or the one given.
#[pyfunction]
#[pyo3(signature = (text, kb = None, date = None))]
fn analyze(py: Python<'_>, text: String, kb: Option<&Bound<'_, PyAny>>, date: Option<&Bound<'_, PyAny>>) -> PyResult<Analysis> {
    let resolved = resolve_kb(py, kb)?;
    let job = Job { source: Source::Text(text), date: parse_date(date)? };
    Ok(analyze_all(py, vec![job], resolved.analyzer(), None)?.remove(0))
}

/// Analyses many texts with the interpreter released (see `Corpus.analyze_batch`).
#[pyfunction]
#[pyo3(signature = (texts, kb = None, dates = None, threads = None))]
fn analyze_batch(
    py: Python<'_>,
    texts: Vec<String>,
    kb: Option<&Bound<'_, PyAny>>,
    dates: Option<Vec<Option<Bound<'_, PyAny>>>>,
    threads: Option<usize>,
) -> PyResult<Vec<Analysis>> {
    let resolved = resolve_kb(py, kb)?;
    analyze_all(py, jobs_for(texts, dates)?, resolved.analyzer(), threads)
}

/// The rows of many analyses as columns (quotes, mentions): dicts from column
/// name to list, one entry per quotation part and per KB mention, each row led
/// by its article's name. Built here rather than in Python because reading
/// every field through attribute access cost as much as the analysis itself
/// (the Dask job's tables; see `marginalia/distributed.py` for the columns).
#[pyfunction]
fn row_columns<'py>(
    py: Python<'py>,
    names: Vec<String>,
    analyses: Vec<PyRef<'py, Analysis>>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    if names.len() != analyses.len() {
        return Err(PyValueError::new_err(format!("{} names but {} analyses", names.len(), analyses.len())));
    }
    let quote_count: usize = analyses.iter().map(|a| a.quotes.len()).sum();
    let mention_count: usize = analyses.iter().map(|a| a.entities.len() + a.agreements.len()).sum();
    macro_rules! columns {
        ($n:expr; $($name:ident: $ty:ty),*) => {
            $(let mut $name: Vec<$ty> = Vec::with_capacity($n);)*
        };
    }
    columns!(quote_count; article: &str, start: usize, end: usize, text: &str, kind: &str, utterance: usize,
        speaker: Option<&str>, speaker_start: Option<usize>, speaker_end: Option<usize>, entity: Option<&str>,
        cue: Option<&str>, cue_start: Option<usize>, cue_end: Option<usize>, via: Option<&str>, unclosed: bool, ambiguous: bool);
    columns!(mention_count; m_article: &str, m_start: usize, m_end: usize, m_text: &str, m_id: &str, m_kind: &str);
    for (name, analysis) in names.iter().zip(&analyses) {
        for q in &analysis.quotes {
            let s = q.speaker.as_ref();
            article.push(name);
            start.push(q.start);
            end.push(q.end);
            text.push(&q.text);
            kind.push(q.kind);
            utterance.push(q.utterance);
            speaker.push(s.map(|s| s.text.as_str()));
            speaker_start.push(s.map(|s| s.start));
            speaker_end.push(s.map(|s| s.end));
            entity.push(s.and_then(|s| s.entity.as_deref()));
            cue.push(q.cue.as_ref().map(|c| c.text.as_str()));
            cue_start.push(q.cue.as_ref().map(|c| c.start));
            cue_end.push(q.cue.as_ref().map(|c| c.end));
            via.push(q.via.as_deref());
            unclosed.push(q.unclosed);
            ambiguous.push(q.ambiguous);
        }
        let mut mentions: Vec<&Mention> = analysis.entities.iter().chain(&analysis.agreements).collect();
        mentions.sort_by_key(|m| (m.start, m.end));
        for m in mentions {
            m_article.push(name);
            m_start.push(m.start);
            m_end.push(m.end);
            m_text.push(&m.text);
            m_id.push(&m.id);
            m_kind.push(m.kind);
        }
    }
    let quotes = PyDict::new(py);
    quotes.set_item("article", article)?;
    quotes.set_item("start", start)?;
    quotes.set_item("end", end)?;
    quotes.set_item("text", text)?;
    quotes.set_item("kind", kind)?;
    quotes.set_item("utterance", utterance)?;
    quotes.set_item("speaker", speaker)?;
    quotes.set_item("speaker_start", speaker_start)?;
    quotes.set_item("speaker_end", speaker_end)?;
    quotes.set_item("entity", entity)?;
    quotes.set_item("cue", cue)?;
    quotes.set_item("cue_start", cue_start)?;
    quotes.set_item("cue_end", cue_end)?;
    quotes.set_item("via", via)?;
    quotes.set_item("unclosed", unclosed)?;
    quotes.set_item("ambiguous", ambiguous)?;
    let mentions = PyDict::new(py);
    mentions.set_item("article", m_article)?;
    mentions.set_item("start", m_start)?;
    mentions.set_item("end", m_end)?;
    mentions.set_item("text", m_text)?;
    mentions.set_item("id", m_id)?;
    mentions.set_item("kind", m_kind)?;
    Ok((quotes, mentions))
}

#[pymodule]
fn _marginalia(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("MarginaliaError", py.get_type::<MarginaliaError>())?;
    m.add("CorpusError", py.get_type::<CorpusError>())?;
    m.add("ArticleError", py.get_type::<ArticleError>())?;
    m.add("AnnotationError", py.get_type::<AnnotationError>())?;
    m.add_class::<Span>()?;
    m.add_class::<Mention>()?;
    m.add_class::<Speaker>()?;
    m.add_class::<Quote>()?;
    m.add_class::<Diagnostic>()?;
    m.add_class::<Analysis>()?;
    m.add_class::<KnowledgeBase>()?;
    m.add_class::<Annotation>()?;
    m.add_class::<Corpus>()?;
    m.add_class::<Export>()?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_batch, m)?)?;
    m.add_function(wrap_pyfunction!(row_columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
