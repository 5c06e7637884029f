//! The `LanguageServer` implementation: capabilities, lifecycle, and requests,
//! each forwarded to the worker so it sees every edit sent before it.

use std::sync::Arc;

use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::{PositionEncoding, position_to_offset, range_to_lsp};
use super::ordering::Lifecycle;
use super::state::uri_to_path;
use super::worker::WorkerHandle;
use crate::analysis::report::AnalysisReport;

pub struct Backend {
    pub client: Client,
    pub worker: WorkerHandle,
    pub lifecycle: Arc<Lifecycle>,
}

fn worker_failed() -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
        message: "the request failed inside marginalia (see the server log)".into(),
        data: None,
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyzeParams {
    pub text_document: TextDocumentIdentifier,
}

impl Backend {
    /// `marginalia/analyze`: the open document's analysis in the CLI's JSON shape
    /// (code-point offsets), plus its current text and version.
    pub async fn analyze_document(&self, params: AnalyzeParams) -> Result<Option<serde_json::Value>> {
        let uri = params.text_document.uri;
        self.worker
            .run(move |state| {
                let analysis = state.analysis(&uri)?;
                let document = state.documents.get_mut(&uri)?;
                let text = document.text();
                let path = document.path.clone().unwrap_or_else(|| uri.as_str().into());
                let mut value = serde_json::to_value(AnalysisReport::new(&path, &text, &analysis)).ok()?;
                value["text"] = serde_json::Value::String(text.to_string());
                value["version"] = document.version.into();
                Some(value)
            })
            .await
            .ok_or_else(worker_failed)
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = PositionEncoding::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
        let mut roots: Vec<std::path::PathBuf> = params.workspace_folders.iter().flatten().filter_map(|f| uri_to_path(&f.uri)).collect();
        #[allow(deprecated)]
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(uri_to_path)
        {
            roots.push(root);
        }
        self.worker
            .run(move |state| {
                state.encoding = encoding;
                state.workspace_roots = roots;
                state.load_workspace_corpora();
            })
            .await
            .ok_or_else(worker_failed)?;
        self.lifecycle.set_initialized();
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                ..Default::default()
            },
            server_info: Some(ServerInfo { name: "marginalia".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("marginalia language server initialized");
        self.client.log_message(MessageType::INFO, concat!("marginalia ", env!("CARGO_PKG_VERSION"), " ready")).await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.lifecycle.set_shut_down();
        Ok(())
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let position = params.text_document_position_params.position;
        self.worker
            .run(move |state| {
                let encoding = state.encoding;
                let analysis = state.analysis(&uri)?;
                let document = state.documents.get_mut(&uri)?;
                let text = document.text();
                let rope = document.rope.clone();
                let (kb, _) = state.kb_for(state.documents.get(&uri)?);
                let offset = position_to_offset(&rope, position, encoding);
                let (range, markdown) = super::hover::hover_at(&text, &analysis, &kb, offset, |_| None)?;
                Some(Hover {
                    contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
                    range: Some(range_to_lsp(&rope, range, encoding)),
                })
            })
            .await
            .ok_or_else(worker_failed)
    }
}
