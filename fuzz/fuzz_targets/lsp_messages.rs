//! LSP message decoding, in-process, in two layers.
//!
//! 1. Framing: the bytes are the server's stdin. They are served by
//!    tower-lsp-server's own `Server` (the transport `marginalia lsp` uses) to a
//!    minimal `LanguageServer`, so `Content-Length` headers, bodies and JSON-RPC
//!    envelopes go through the real codec. (marginalia's own `Backend` is private
//!    to `marginalia::lsp`; see fuzz/README.md.)
//! 2. marginalia's decoding paths: when the bytes are one JSON-RPC message, its
//!    params are decoded into the typed structs the server uses, and edits and
//!    positions are applied to a rope exactly as the server's document state does
//!    (`position_to_offset`, inverted ranges taken as the span they cover); the
//!    `marginalia.applyAnnotationOps` arguments are decoded and applied.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use marginalia::annotations::Annotation;
use marginalia::ide::annotate::{AnnotationOp, Annotator, apply_annotation_ops};
use marginalia::lsp::{PositionEncoding, position_to_offset};
use ropey::Rope;
use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{LanguageServer, LspService, Server};

struct Minimal;

impl LanguageServer for Minimal {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult::default())
    }
    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }
    async fn hover(&self, _: HoverParams) -> Result<Option<Hover>> {
        Ok(None)
    }
}

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"));

const TEXT: &str = "date 2021-12-02\r\nLavrov 😀 said “We want peace.”\n\nsecond é line\rthird";

#[derive(serde::Deserialize)]
struct ApplyAnnotationOps {
    #[allow(dead_code)]
    uri: Uri,
    ops: Vec<AnnotationOp>,
}

fn apply_edits(params: DidChangeTextDocumentParams) {
    for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
        let mut rope = Rope::from_str(TEXT);
        for change in &params.content_changes {
            match change.range {
                Some(range) => {
                    let a = position_to_offset(&rope, range.start, encoding);
                    let b = position_to_offset(&rope, range.end, encoding);
                    let (start, end) = (a.min(b), a.max(b));
                    let (start, end) = (rope.byte_to_char(start), rope.byte_to_char(end));
                    rope.remove(start..end);
                    rope.insert(start, &change.text);
                }
                None => rope = Rope::from_str(&change.text),
            }
        }
    }
}

fn decode(message: &Value) {
    let Some(method) = message.get("method").and_then(Value::as_str) else { return };
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    let rope = Rope::from_str(TEXT);
    match method {
        "textDocument/didChange" => {
            if let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                apply_edits(params);
            }
        }
        "textDocument/hover" => {
            if let Ok(params) = serde_json::from_value::<HoverParams>(params) {
                for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                    let offset = position_to_offset(&rope, params.text_document_position_params.position, encoding);
                    assert!(TEXT.is_char_boundary(offset));
                }
            }
        }
        "textDocument/codeAction" => {
            if let Ok(params) = serde_json::from_value::<CodeActionParams>(params) {
                for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                    let a = position_to_offset(&rope, params.range.start, encoding);
                    let b = position_to_offset(&rope, params.range.end, encoding);
                    assert!(TEXT.get(a.min(b)..a.max(b)).is_some());
                }
            }
        }
        "workspace/executeCommand" => {
            if let Ok(params) = serde_json::from_value::<ExecuteCommandParams>(params)
                && let Some(argument) = params.arguments.into_iter().next()
                && let Ok(request) = serde_json::from_value::<ApplyAnnotationOps>(argument)
            {
                let mut annotations: Vec<Annotation> = Vec::new();
                let who = Annotator { name: "fuzz".into(), curator: false };
                let _ = apply_annotation_ops(&mut annotations, &request.ops, &who);
                let text = marginalia::annotations::serialize_annotations(&annotations);
                let again = marginalia::annotations::parse_annotation_file(&text);
                assert!(again.diagnostics.is_empty(), "written annotations do not parse back: {:?}", again.diagnostics);
            }
        }
        "textDocument/didOpen" => {
            let _ = serde_json::from_value::<DidOpenTextDocumentParams>(params);
        }
        "initialize" => {
            let _ = serde_json::from_value::<InitializeParams>(params);
        }
        "workspace/didChangeWatchedFiles" => {
            let _ = serde_json::from_value::<DidChangeWatchedFilesParams>(params);
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    // Layer 2: a bare JSON-RPC body.
    if let Ok(message) = serde_json::from_slice::<Value>(data) {
        decode(&message);
    }
    // Layer 1: the bytes as the server's stdin, through the real transport.
    RUNTIME.block_on(async {
        let (service, socket) = LspService::new(|_client| Minimal);
        let input: &[u8] = data;
        Server::new(input, tokio::io::sink(), socket).serve(service).await;
    });
});
