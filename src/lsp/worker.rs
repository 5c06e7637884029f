//! The single worker thread that owns [`ServerState`]: document events and
//! queries reach it through one FIFO channel, so an edit is always applied before
//! any request the client sent after it.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use tokio::sync::{mpsc, oneshot};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::notification::{Notification as _, PublishDiagnostics};
use tower_lsp_server::ls_types::{DiagnosticRelatedInformation, Location, PublishDiagnosticsParams, Uri};

use super::convert::range_to_lsp;
use super::output::Output;
use super::state::{DocumentEvent, PublishRequest, ServerState};
use crate::diagnostic::Diagnostic;

pub type Job = Box<dyn FnOnce(&mut ServerState) + Send>;

enum WorkerMessage {
    Event(DocumentEvent),
    Job(Job),
    /// A request's place in the queue, reserved when the transport read it; its
    /// job arrives through the slot once the handler runs.
    Slot(std::sync::mpsc::Receiver<Job>),
}

tokio::task_local! {
    /// The queue slot of the request whose handler is running on this task.
    static REQUEST_SLOT: std::cell::RefCell<Option<std::sync::mpsc::SyncSender<Job>>>;
}

/// The fault-injection hook for tests (RELIABILITY.md): with
/// `MARGINALIA_TEST_PANIC` set when the server starts to a comma-separated list
/// of points — `hover` (the hover handler) and `diagnostics` (computing a
/// batch's diagnostics for publication) — the first time each point is reached
/// it panics, once, so that tests can check the panic is caught, logged, and the
/// server keeps answering. Unset (always, outside tests), it does nothing.
pub const TEST_PANIC_VARIABLE: &str = "MARGINALIA_TEST_PANIC";

static ARMED_PANICS: std::sync::OnceLock<std::sync::Mutex<Vec<String>>> = std::sync::OnceLock::new();

fn armed_panics() -> &'static std::sync::Mutex<Vec<String>> {
    ARMED_PANICS.get_or_init(|| {
        let points: Vec<String> = std::env::var(TEST_PANIC_VARIABLE)
            .map(|v| v.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        if !points.is_empty() {
            tracing::warn!(?points, "fault injection armed ({TEST_PANIC_VARIABLE}): each of these points panics once");
        }
        std::sync::Mutex::new(points)
    })
}

/// Panics if `point` is armed by [`TEST_PANIC_VARIABLE`] (once per point).
pub fn injected_panic(point: &str) {
    let fire = {
        let mut armed = armed_panics().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let position = armed.iter().position(|p| p == point);
        position.map(|i| armed.remove(i)).is_some()
    };
    if fire {
        panic!("injected panic at `{point}` ({TEST_PANIC_VARIABLE})");
    }
}

/// How long the worker holds a request's place for a handler that has not sent
/// its job yet (handlers that never use the worker release it at once).
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Clone)]
pub struct WorkerHandle {
    sender: mpsc::UnboundedSender<WorkerMessage>,
}

impl WorkerHandle {
    /// Queues a document event. Synchronous on purpose: it is called from the
    /// transport's own (sequential) dispatch, never from a spawned handler.
    pub fn send_event(&self, event: DocumentEvent) {
        if self.sender.send(WorkerMessage::Event(event)).is_err() {
            tracing::error!("worker thread has stopped; document event dropped");
        }
    }

    /// Queues `job` without waiting for it (background work reporting back).
    pub fn post(&self, job: impl FnOnce(&mut ServerState) + Send + 'static) {
        let _ = self.sender.send(WorkerMessage::Job(Box::new(job)));
    }

    /// Reserves a place in the queue for a request, synchronously, in the order
    /// the transport read it; `with_slot` runs its handler holding that place.
    pub fn reserve_slot(&self) -> std::sync::mpsc::SyncSender<Job> {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        if self.sender.send(WorkerMessage::Slot(receiver)).is_err() {
            tracing::error!("worker thread has stopped; request will fail");
        }
        sender
    }

    pub fn with_slot<F: std::future::Future>(
        slot: std::sync::mpsc::SyncSender<Job>,
        handler: F,
    ) -> impl std::future::Future<Output = F::Output> {
        REQUEST_SLOT.scope(std::cell::RefCell::new(Some(slot)), handler)
    }

    /// Runs `job` on the state at the request's reserved place (so it sees exactly
    /// the edits sent before the request), or at the end of the queue for work
    /// that has no place. `None` when the job panicked (the panic is logged and
    /// the server carries on).
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce(&mut ServerState) -> T + Send + 'static) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |state| {
            let _ = reply.send(job(state));
        });
        let slot = REQUEST_SLOT.try_with(|slot| slot.borrow_mut().take()).ok().flatten();
        let job = match slot {
            Some(slot) => match slot.send(job) {
                Ok(()) => None,
                // The worker gave up waiting for this slot: queue at the end instead.
                Err(std::sync::mpsc::SendError(job)) => Some(job),
            },
            None => Some(job),
        };
        if let Some(job) = job {
            self.sender.send(WorkerMessage::Job(job)).ok()?;
        }
        answer.await.ok()
    }
}

pub fn spawn_worker(client: Client, runtime: tokio::runtime::Handle, output: Output) -> WorkerHandle {
    let (sender, mut receiver) = mpsc::unbounded_channel::<WorkerMessage>();
    let own_handle = WorkerHandle { sender: sender.clone() };
    std::thread::Builder::new()
        .name("marginalia-worker".into())
        .spawn(move || {
            armed_panics(); // read the fault-injection variable at start
            let mut state = ServerState::default();
            while let Some(first) = receiver.blocking_recv() {
                let batch_started = std::time::Instant::now();
                handle(&mut state, first);
                // Drain what is already queued before publishing, so a burst of
                // keystrokes costs one analysis, not one per keystroke.
                while let Ok(next) = receiver.try_recv() {
                    handle(&mut state, next);
                }
                let publications = match std::panic::catch_unwind(AssertUnwindSafe(|| {
                    let publications = state.take_publications();
                    if !publications.is_empty() {
                        injected_panic("diagnostics");
                    }
                    publications
                })) {
                    Ok(p) => p,
                    Err(_) => {
                        tracing::error!("analysis panicked while computing diagnostics; they are skipped for this batch");
                        Vec::new()
                    }
                };
                for job in state.take_analysis_jobs() {
                    let handle = own_handle.clone();
                    let spawned = std::thread::Builder::new().name("marginalia-analysis".into()).spawn(move || {
                        (job.work)();
                        let uri = job.uri;
                        handle.post(move |state| state.collect_background_analysis(&uri, false));
                    });
                    if let Err(error) = spawned {
                        tracing::error!("cannot start a background analysis ({error}); it runs when a request needs it");
                    }
                }
                for job in state.take_indexing_jobs() {
                    super::indexing::spawn_indexing(job, own_handle.clone(), client.clone(), runtime.clone(), state.client_shows_progress);
                }
                for publication in publications {
                    let encoding = state.encoding;
                    let uri = publication.uri.clone();
                    let converted = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        let mut other_files = HashMap::new();
                        publication.diagnostics.iter().map(|d| to_lsp_diagnostic(&publication, d, encoding, &mut other_files)).collect()
                    }));
                    let Ok(diagnostics) = converted else {
                        tracing::error!(uri = uri.as_str(), "converting diagnostics panicked; this document's are skipped for this batch");
                        continue;
                    };
                    // Written here, not through the transport: one thread
                    // hand-off less per keystroke, and no `Value` tree.
                    let params = PublishDiagnosticsParams::new(uri, diagnostics, publication.version);
                    match serde_json::to_vec(&Notification { jsonrpc: "2.0", method: PublishDiagnostics::METHOD, params }) {
                        Ok(body) => output.send(&body),
                        Err(error) => tracing::error!("cannot serialise diagnostics: {error}"),
                    }
                    // Server-side latency from the edit's arrival to its diagnostics
                    // leaving, read by the benchmark harness.
                    tracing::debug!(target: "marginalia::timing", version = publication.version, elapsed_us = batch_started.elapsed().as_micros() as u64, "published diagnostics");
                }
            }
        })
        .expect("spawning the worker thread");
    WorkerHandle { sender }
}

/// A notification as JSON-RPC writes it.
#[derive(serde::Serialize)]
struct Notification<P> {
    jsonrpc: &'static str,
    method: &'static str,
    params: P,
}

fn handle(state: &mut ServerState, message: WorkerMessage) {
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| match message {
        WorkerMessage::Event(event) => state.apply(event),
        WorkerMessage::Job(job) => job(state),
        WorkerMessage::Slot(slot) => match slot.recv_timeout(SLOT_WAIT) {
            Ok(job) => job(state),
            // The handler finished without needing the state.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                tracing::warn!("a request held its place in the queue for {SLOT_WAIT:?} without running; moving on")
            }
        },
    }));
    if outcome.is_err() {
        tracing::error!("a handler panicked; the request fails and the server carries on");
    }
}

fn to_lsp_diagnostic(
    publication: &PublishRequest,
    diagnostic: &Diagnostic,
    encoding: super::convert::PositionEncoding,
    other_files: &mut HashMap<std::path::PathBuf, Option<(Uri, ropey::Rope)>>,
) -> tower_lsp_server::ls_types::Diagnostic {
    use tower_lsp_server::ls_types::{DiagnosticSeverity, NumberOrString};
    let severity = match diagnostic.severity {
        crate::diagnostic::Severity::Error => DiagnosticSeverity::ERROR,
        crate::diagnostic::Severity::Warning => DiagnosticSeverity::WARNING,
        crate::diagnostic::Severity::Information => DiagnosticSeverity::INFORMATION,
        crate::diagnostic::Severity::Hint => DiagnosticSeverity::HINT,
    };
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|r| {
            let (uri, range) = match &r.file {
                None => (publication.uri.clone(), range_to_lsp(&publication.rope, r.range, encoding)),
                Some(path) => {
                    // Another file's range (or this one's, named by path):
                    // converted against its text, read once per publication —
                    // a KB file can hold thousands of duplicate-alias errors.
                    let file = other_files.entry(path.clone()).or_insert_with(|| {
                        let uri = Uri::from_file_path(path)?;
                        if uri == publication.uri {
                            return Some((uri, publication.rope.clone()));
                        }
                        let text = std::fs::read_to_string(path).ok()?;
                        Some((uri, ropey::Rope::from_str(&text)))
                    });
                    let (uri, rope) = file.as_ref()?;
                    (uri.clone(), range_to_lsp(rope, r.range, encoding))
                }
            };
            Some(DiagnosticRelatedInformation { location: Location { uri, range }, message: r.message.clone() })
        })
        .collect();
    tower_lsp_server::ls_types::Diagnostic {
        range: range_to_lsp(&publication.rope, diagnostic.range, encoding),
        severity: Some(severity),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
        source: Some("marginalia".into()),
        message: diagnostic.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}
