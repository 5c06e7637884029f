//! The single worker thread that owns [`ServerState`]: document events and
//! queries reach it through one FIFO channel, so an edit is always applied before
//! any request the client sent after it.

use std::panic::AssertUnwindSafe;

use tokio::sync::{mpsc, oneshot};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{DiagnosticRelatedInformation, Location};

use super::convert::range_to_lsp;
use super::state::{DocumentEvent, PublishRequest, ServerState};
use crate::diagnostic::Diagnostic;

type Job = Box<dyn FnOnce(&mut ServerState) + Send>;

enum WorkerMessage {
    Event(DocumentEvent),
    Job(Job),
}

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

    /// Runs `job` on the state after everything queued before it. `None` when the
    /// job panicked (the panic is logged and the server carries on).
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce(&mut ServerState) -> T + Send + 'static) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |state| {
            let _ = reply.send(job(state));
        });
        self.sender.send(WorkerMessage::Job(job)).ok()?;
        answer.await.ok()
    }
}

pub fn spawn_worker(client: Client, runtime: tokio::runtime::Handle) -> WorkerHandle {
    let (sender, mut receiver) = mpsc::unbounded_channel::<WorkerMessage>();
    std::thread::Builder::new()
        .name("marginalia-worker".into())
        .spawn(move || {
            let mut state = ServerState::default();
            while let Some(first) = receiver.blocking_recv() {
                handle(&mut state, first);
                // Drain what is already queued before publishing, so a burst of
                // keystrokes costs one analysis, not one per keystroke.
                while let Ok(next) = receiver.try_recv() {
                    handle(&mut state, next);
                }
                let publications = match std::panic::catch_unwind(AssertUnwindSafe(|| state.take_publications())) {
                    Ok(p) => p,
                    Err(_) => {
                        tracing::error!("analysis panicked while computing diagnostics; they are skipped for this batch");
                        Vec::new()
                    }
                };
                for publication in publications {
                    let encoding = state.encoding;
                    let uri = publication.uri.clone();
                    let diagnostics = publication.diagnostics.iter().map(|d| to_lsp_diagnostic(&publication, d, encoding)).collect();
                    runtime.block_on(client.publish_diagnostics(uri, diagnostics, publication.version));
                }
            }
        })
        .expect("spawning the worker thread");
    WorkerHandle { sender }
}

fn handle(state: &mut ServerState, message: WorkerMessage) {
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| match message {
        WorkerMessage::Event(event) => state.apply(event),
        WorkerMessage::Job(job) => job(state),
    }));
    if outcome.is_err() {
        tracing::error!("a handler panicked; the request fails and the server carries on");
    }
}

fn to_lsp_diagnostic(
    publication: &PublishRequest,
    diagnostic: &Diagnostic,
    encoding: super::convert::PositionEncoding,
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
                    // Another file's range: convert against its text on disk.
                    let text = std::fs::read_to_string(path).ok()?;
                    (tower_lsp_server::ls_types::Uri::from_file_path(path)?, range_to_lsp(&ropey::Rope::from_str(&text), r.range, encoding))
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
