//! Ordering by construction. tower-lsp-server runs handlers concurrently, so two
//! `didChange` handlers may run in either order. So document notifications
//! never reach it: the stdin reader (`framing.rs`) reads messages one at a
//! time, in order, and queues each document notification to the worker right
//! there, synchronously, before reading the next message. A request reserves its
//! place in the same queue there too ([`Slots`]), and this service, in front of
//! tower-lsp-server, hands that place to the request's handler, so a request
//! sees exactly the edits sent before it, and none sent after.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidRenameFiles, DidSaveTextDocument,
    Notification,
};

use super::output::Output;
use super::state::DocumentEvent;
use super::streamed;
use super::worker::{Job, WorkerHandle};

/// Where the server is in its lifecycle; document events count only between
/// `initialize` and `shutdown`.
#[derive(Default)]
pub struct Lifecycle(AtomicU8);

impl Lifecycle {
    const INITIALIZED: u8 = 1;
    const SHUT_DOWN: u8 = 2;

    pub fn set_initialized(&self) {
        self.0.store(Self::INITIALIZED, Ordering::SeqCst);
    }

    pub fn set_shut_down(&self) {
        self.0.store(Self::SHUT_DOWN, Ordering::SeqCst);
    }

    /// `exit` after `shutdown` ends with status 0; without it, 1 (as LSP asks).
    pub fn was_shut_down(&self) -> bool {
        self.0.load(Ordering::SeqCst) == Self::SHUT_DOWN
    }

    pub fn accepts_documents(&self) -> bool {
        self.0.load(Ordering::SeqCst) == Self::INITIALIZED
    }
}

pub struct OrderedDocuments<S> {
    pub inner: S,
    pub worker: WorkerHandle,
    pub lifecycle: Arc<Lifecycle>,
    pub output: Output,
    pub slots: Slots,
}

/// Places in the worker's queue that the stdin reader reserved for requests,
/// in the order it read them, until the transport hands each request here.
#[derive(Clone, Default)]
pub struct Slots(Arc<Mutex<VecDeque<(Id, Slot)>>>);

/// A request's reserved place: its job goes through here.
type Slot = std::sync::mpsc::SyncSender<Job>;

impl Slots {
    pub fn reserve(&self, id: Id, worker: &WorkerHandle) {
        let slot = worker.reserve_slot();
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push_back((id, slot));
    }

    /// The place reserved for request `id`. Places reserved before it whose
    /// request never came (the transport could not decode it) are released.
    fn take(&self, id: &Id) -> Option<Slot> {
        let mut slots = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some((reserved_for, slot)) = slots.pop_front() {
            if reserved_for == *id {
                return Some(slot);
            }
        }
        None
    }
}

fn failed() -> Error {
    Error { message: "the request failed inside marginalia (see the server log)".into(), ..Error::internal_error() }
}

fn decode<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, String> {
    let params = request.params().cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(params).map_err(|e| format!("invalid params for {}: {e}", request.method()))
}

/// The document notification `request` carries, if it is one.
pub fn document_event(request: &Request) -> Option<Result<DocumentEvent, String>> {
    if request.id().is_some() {
        return None;
    }
    Some(match request.method() {
        DidOpenTextDocument::METHOD => decode(request).map(DocumentEvent::Open),
        DidChangeTextDocument::METHOD => decode(request).map(DocumentEvent::Change),
        DidSaveTextDocument::METHOD => decode(request).map(DocumentEvent::Save),
        DidCloseTextDocument::METHOD => decode(request).map(DocumentEvent::Close),
        DidChangeWatchedFiles::METHOD => decode(request).map(DocumentEvent::WatchedFiles),
        DidRenameFiles::METHOD => decode(request).map(DocumentEvent::Renamed),
        _ => return None,
    })
}

impl<S> Service<Request> for OrderedDocuments<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let Some(id) = request.id().cloned() else {
            // Document notifications were queued by the reader; the rest go on.
            return Box::pin(self.inner.call(request));
        };
        let slot = self.slots.take(&id).unwrap_or_else(|| self.worker.reserve_slot());
        if self.lifecycle.accepts_documents() && streamed::handles(request.method()) {
            // Answers that grow with the corpus are written by the worker itself,
            // so that their batches precede their response (see `streamed.rs`).
            let (worker, output) = (self.worker.clone(), self.output.clone());
            return Box::pin(WorkerHandle::with_slot(slot, async move {
                let answered = worker.run(move |state| streamed::answer(state, &output, request)).await;
                Ok(match answered {
                    Some(Ok(())) => None,
                    Some(Err(error)) => Some(Response::from_error(id, error)),
                    None => Some(Response::from_error(id, failed())),
                })
            }));
        }
        Box::pin(WorkerHandle::with_slot(slot, self.inner.call(request)))
    }
}
