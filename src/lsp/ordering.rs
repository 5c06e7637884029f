//! Ordering by construction. tower-lsp-server runs handlers concurrently, so two
//! `didChange` handlers may run in either order. This service sits in front of
//! it: the transport calls `Service::call` once per message, sequentially, in the
//! order read, and document notifications are queued to the worker right there,
//! synchronously, before the next message is even read. Requests reserve their
//! place in the same queue there too, so a request sees exactly the edits sent
//! before it, and none sent after.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tower::Service;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidRenameFiles, DidSaveTextDocument,
    Notification,
};

use super::state::DocumentEvent;
use super::worker::WorkerHandle;

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

    fn accepts_documents(&self) -> bool {
        self.0.load(Ordering::SeqCst) == Self::INITIALIZED
    }
}

pub struct OrderedDocuments<S> {
    pub inner: S,
    pub worker: WorkerHandle,
    pub lifecycle: Arc<Lifecycle>,
}

fn decode<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, String> {
    let params = request.params().cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(params).map_err(|e| format!("invalid params for {}: {e}", request.method()))
}

fn document_event(request: &Request) -> Option<Result<DocumentEvent, String>> {
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
        if self.lifecycle.accepts_documents()
            && let Some(event) = document_event(&request)
        {
            match event {
                Ok(event) => self.worker.send_event(event),
                Err(message) => tracing::error!("{message}"),
            }
            return Box::pin(futures::future::ready(Ok(None)));
        }
        if request.id().is_some() {
            let slot = self.worker.reserve_slot();
            return Box::pin(WorkerHandle::with_slot(slot, self.inner.call(request)));
        }
        Box::pin(self.inner.call(request))
    }
}
