//! The `LanguageServer` implementation: capabilities, lifecycle, and requests,
//! each forwarded to the worker so it sees every edit sent before it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::PositionEncoding;
use super::handlers;
use super::ordering::Lifecycle;
use super::state::{ServerState, uri_to_path};
use super::worker::WorkerHandle;
use crate::analysis::report::AnalysisReport;

/// The protocol between the server and its editor integrations (editors/vscode,
/// editors/nvim), reported as `capabilities.experimental.marginaliaProtocol`; the
/// clients send theirs as `initializationOptions.marginaliaProtocol`. It is not
/// the crate version: bump it when one side starts relying on something the
/// other may lack (a command, a code-action title, a setting), so that a bundled
/// binary and an extension from different releases say so instead of failing
/// quietly. Keep it equal to `PROTOCOL` in editors/vscode/src/server-path.ts and
/// `M.protocol` in editors/nvim/lua/marginalia/init.lua.
pub const PROTOCOL_VERSION: u64 = 1;

pub struct Backend {
    pub client: Client,
    pub worker: WorkerHandle,
    pub lifecycle: Arc<Lifecycle>,
    pub watch_files_dynamically: AtomicBool,
}

/// The warning for a client whose `initializationOptions.marginaliaProtocol`
/// differs from ours; None when it matches or the client sends none (a generic
/// LSP client, e.g. Helix or eglot, which has nothing to disagree with).
fn protocol_mismatch(options: Option<&serde_json::Value>) -> Option<String> {
    let theirs = options?.get("marginaliaProtocol")?;
    if theirs.as_u64() == Some(PROTOCOL_VERSION) {
        return None;
    }
    Some(format!(
        "marginalia: this editor extension speaks protocol {theirs}, the server {} (version {}) protocol {PROTOCOL_VERSION}; \
         some commands may not work. Install the extension and the server from the same release.",
        std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "marginalia".into()),
        env!("CARGO_PKG_VERSION"),
    ))
}

/// `annotator` from settings shaped `{"annotator": ...}` or `{"marginalia": {"annotator": ...}}`.
fn annotator_setting(settings: &serde_json::Value) -> Option<String> {
    let value = settings.get("marginalia").unwrap_or(settings);
    value.get("annotator").and_then(|a| a.as_str()).map(str::to_string).filter(|a| !a.trim().is_empty())
}

/// `annotationWrites: "server"` in the initialization options (see
/// `ServerState::annotation_writes_on_server`).
fn annotation_writes_on_server(options: &serde_json::Value) -> bool {
    options.get("annotationWrites").and_then(|w| w.as_str()) == Some("server")
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
    /// Runs a handler on the worker, after every document event sent before it.
    async fn on_worker<T: Send + 'static>(&self, handler: impl FnOnce(&mut ServerState) -> T + Send + 'static) -> Result<T> {
        self.worker.run(handler).await.ok_or_else(worker_failed)
    }

    /// `marginalia/analyze`: the open document's analysis in the CLI's JSON shape
    /// (code-point offsets), plus its current text and version.
    pub async fn analyze_document(&self, params: AnalyzeParams) -> Result<Option<serde_json::Value>> {
        let uri = params.text_document.uri;
        self.on_worker(move |state| {
            let analysis = state.analysis(&uri)?;
            let document = state.documents.get(&uri)?;
            let text = state.host.overlay_text(&document.key)?;
            let path = document.path.clone().unwrap_or_else(|| uri.as_str().into());
            let mut value = serde_json::to_value(AnalysisReport::new(&path, &text, &analysis)).ok()?;
            value["text"] = serde_json::Value::String(text.to_string());
            value["version"] = document.version.into();
            Some(value)
        })
        .await
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = PositionEncoding::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
        let dynamic_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.watch_files_dynamically.store(dynamic_watch, Ordering::SeqCst);
        let mut roots: Vec<std::path::PathBuf> = params.workspace_folders.iter().flatten().filter_map(|f| uri_to_path(&f.uri)).collect();
        #[allow(deprecated)] // root_uri is how older clients name the workspace
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(uri_to_path)
        {
            roots.push(root);
        }
        let editor_annotator = params.initialization_options.as_ref().and_then(annotator_setting);
        let writes_on_server = params.initialization_options.as_ref().is_some_and(annotation_writes_on_server);
        // window/showMessage is one of the few messages the protocol allows before
        // the initialize response, so the user hears of a mismatch at once.
        if let Some(message) = protocol_mismatch(params.initialization_options.as_ref()) {
            tracing::warn!("{message}");
            self.client.show_message(MessageType::WARNING, message).await;
        }
        let shows_progress = params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
        self.on_worker(move |state| {
            state.encoding = encoding;
            state.editor_annotator = editor_annotator;
            state.annotation_writes_on_server = writes_on_server;
            state.client_shows_progress = shows_progress;
            state.workspace_roots = roots;
            state.load_workspace_corpora();
        })
        .await?;
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
                definition_provider: Some(OneOf::Left(true)),
                // Answered in `streamed.rs`, in batches for clients that ask.
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new("refactor.annotate")]),
                    ..Default::default()
                })),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![handlers::APPLY_ANNOTATIONS_COMMAND.to_string()],
                    ..Default::default()
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: None,
                    file_operations: Some(WorkspaceFileOperationsServerCapabilities {
                        will_rename: Some(handlers::article_rename_filter()),
                        did_rename: Some(handlers::article_rename_filter()),
                        ..Default::default()
                    }),
                }),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: SemanticTokensLegend {
                        token_types: handlers::TOKEN_TYPES.to_vec(),
                        token_modifiers: handlers::TOKEN_MODIFIERS.to_vec(),
                    },
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    ..Default::default()
                })),
                experimental: Some(serde_json::json!({ "marginaliaProtocol": PROTOCOL_VERSION })),
                ..Default::default()
            },
            server_info: Some(ServerInfo { name: "marginalia".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("marginalia language server initialized");
        let recorded_as = self
            .on_worker(|state| {
                state.client_initialized = true;
                let corpus = state.host.corpora().next()?;
                Some(corpus.config.annotator_and_source(state.editor_annotator.as_deref()))
            })
            .await
            .ok()
            .flatten();
        // Said once, so that nobody annotates a day's work under a name they
        // did not mean (issue 17: "anonymous" when USER was unset).
        if let Some((who, source)) = recorded_as {
            let message = format!(
                "marginalia records your annotations as `{}` (from {source}); set marginalia.annotator in the editor or [annotators] annotator in marginalia.toml to change it",
                who.name
            );
            self.client.show_message(MessageType::INFO, message).await;
        }
        if self.watch_files_dynamically.load(Ordering::SeqCst) {
            let watchers = ["**/*.txt", "**/*.json", "**/*.ann.jsonl", "**/marginalia.toml"]
                .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
                .to_vec();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "marginalia-watch-corpus".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(error) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("client refused file watching ({error}); changes on disk are picked up on save only");
            }
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.lifecycle.set_shut_down();
        Ok(())
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.on_worker(move |s| handlers::hover(s, params)).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        self.on_worker(move |s| handlers::goto_definition(s, params)).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.on_worker(move |s| handlers::inlay_hint(s, params)).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.on_worker(move |s| handlers::document_symbol(s, params)).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        self.on_worker(move |s| handlers::semantic_tokens_full(s, params)).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.on_worker(move |s| handlers::code_action(s, params)).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != handlers::APPLY_ANNOTATIONS_COMMAND {
            return Err(Error::invalid_params(format!("unknown command `{}`", params.command)));
        }
        let arguments = params.arguments;
        match self.on_worker(move |s| handlers::apply_annotation_command(s, arguments)).await? {
            Ok(value) => Ok(Some(value)),
            Err(message) => {
                self.client.show_message(MessageType::ERROR, format!("marginalia: {message}")).await;
                Err(Error::invalid_params(message))
            }
        }
    }

    async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        self.on_worker(move |_| handlers::will_rename_files(params)).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let annotator = annotator_setting(&params.settings);
        let _ = self.on_worker(move |s| s.editor_annotator = annotator).await;
    }
}
