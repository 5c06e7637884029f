//! Answers that can grow with the corpus — find-references, document
//! highlights, workspace symbols — written by the worker straight to the
//! client (see `output.rs`), never held whole.
//!
//! With a `partialResultToken` the items go out as `$/progress` batches, the
//! nearest first (for references: the definition and the open document, then
//! its folder, then the rest of the corpus), and the final response is `[]`.
//! Without one the whole list is one response, written in pieces: its length
//! is measured by a first pass over the index, so memory stays flat in the
//! number of items.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ropey::Rope;
use serde::de::DeserializeOwned;
use tower_lsp_server::jsonrpc::{Error, Id, Request};
use tower_lsp_server::ls_types::*;

use super::convert::{position_to_offset, range_to_lsp};
use super::output::{Output, measure};
use super::state::{Document, ServerState};
use crate::kb::EntryKind;
use crate::workspace::read_text_file;

/// The methods answered here instead of by tower-lsp-server.
pub fn handles(method: &str) -> bool {
    matches!(method, "textDocument/references" | "textDocument/documentHighlight" | "workspace/symbol")
}

/// Items per `$/progress` batch after the first (the first holds the nearest
/// group whole: the definition and the open document's mentions).
pub const BATCH: usize = 2_000;

/// One step of an answer: an item as JSON, or the end of the group the client
/// should see before the rest.
enum Item<'a> {
    Json(&'a [u8]),
    GroupEnd,
}

type Visit<'a> = dyn FnMut(Item<'_>) -> io::Result<()> + 'a;

/// Answers `request` on the worker, writing the response itself; an error
/// instead is for the caller to send.
pub fn answer(state: &mut ServerState, output: &Output, request: Request) -> Result<(), Error> {
    let (method, id, params) = request.into_parts();
    let id = id.unwrap_or(Id::Null);
    let params = params.unwrap_or(serde_json::Value::Null);
    match method.as_ref() {
        "textDocument/references" => references(state, output, &id, decode(params)?),
        "textDocument/documentHighlight" => highlights(state, output, &id, decode(params)?),
        "workspace/symbol" => symbols(state, output, &id, decode(params)?),
        other => return Err(Error::invalid_params(format!("{other} is not answered in batches"))),
    }
    Ok(())
}

fn decode<T: DeserializeOwned>(params: serde_json::Value) -> Result<T, Error> {
    serde_json::from_value(params).map_err(|e| Error::invalid_params(e.to_string()))
}

/// A list answer: batches under `token`, or one response.
fn send_list(output: &Output, id: &Id, token: Option<&ProgressToken>, produce: &dyn Fn(&mut Visit) -> io::Result<()>) {
    let id = serde_json::to_string(id).unwrap_or_else(|_| "null".into());
    match token {
        Some(token) => {
            let token = serde_json::to_string(token).unwrap_or_else(|_| "null".into());
            let prefix = format!(r#"{{"jsonrpc":"2.0","method":"$/progress","params":{{"token":{token},"value":["#);
            let mut batch = prefix.clone().into_bytes();
            let (mut items, mut first_group) = (0usize, true);
            let flush = |batch: &mut Vec<u8>, items: &mut usize| {
                if *items > 0 {
                    batch.extend_from_slice(b"]}}");
                    output.send(batch);
                }
                batch.clear();
                batch.extend_from_slice(prefix.as_bytes());
                *items = 0;
            };
            let _ = produce(&mut |item| {
                match item {
                    Item::Json(json) => {
                        if items > 0 {
                            batch.push(b',');
                        }
                        batch.extend_from_slice(json);
                        items += 1;
                        if items >= BATCH {
                            flush(&mut batch, &mut items);
                        }
                    }
                    Item::GroupEnd if first_group => {
                        first_group = false;
                        flush(&mut batch, &mut items);
                    }
                    Item::GroupEnd => {}
                }
                Ok(())
            });
            flush(&mut batch, &mut items);
            output.send(format!(r#"{{"jsonrpc":"2.0","id":{id},"result":[]}}"#).as_bytes());
        }
        None => {
            let write = |out: &mut dyn Write| -> io::Result<()> {
                write!(out, r#"{{"jsonrpc":"2.0","id":{id},"result":["#)?;
                let mut first = true;
                produce(&mut |item| {
                    if let Item::Json(json) = item {
                        if !first {
                            out.write_all(b",")?;
                        }
                        first = false;
                        out.write_all(json)?;
                    }
                    Ok(())
                })?;
                out.write_all(b"]}")
            };
            output.send_written(measure(write), write);
        }
    }
}

fn send_null(output: &Output, id: &Id) {
    let id = serde_json::to_string(id).unwrap_or_else(|_| "null".into());
    output.send(format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#).as_bytes());
}

/// `{"uri":…,"range":…}` into `out`; `uri` is already a JSON string.
fn write_location(out: &mut Vec<u8>, uri: &str, range: Range) {
    out.clear();
    let _ = write!(
        out,
        r#"{{"uri":{uri},"range":{{"start":{{"line":{},"character":{}}},"end":{{"line":{},"character":{}}}}}}}"#,
        range.start.line, range.start.character, range.end.line, range.end.character
    );
}

/// A file's text for converting positions: the open document's, else the disk's.
fn rope_of(documents: &HashMap<Uri, Document>, path: &Path) -> Option<Rope> {
    if let Some(document) = documents.values().find(|d| d.path.as_deref() == Some(path)) {
        return Some(document.rope.clone());
    }
    read_text_file(path).ok().map(|t| Rope::from_str(&t))
}

fn uri_json(path: &Path) -> Option<String> {
    serde_json::to_string(Uri::from_file_path(path)?.as_str()).ok()
}

fn references(state: &mut ServerState, output: &Output, id: &Id, params: ReferenceParams) {
    let token = params.partial_result_params.partial_result_token;
    let position = params.text_document_position;
    let Some(document) = state.documents.get(&position.text_document.uri) else { return send_null(output, id) };
    let offset = position_to_offset(&document.rope, position.position, state.encoding);
    let key = document.key.clone();
    let encoding = state.encoding;
    let documents = &state.documents;
    let Some(found) = state.host.references_nearest(&key, offset, params.context.include_declaration) else {
        return send_null(output, id);
    };
    let produce = |visit: &mut Visit| -> io::Result<()> {
        let mut json = Vec::with_capacity(256);
        if let Some(declaration) = &found.declaration
            && let (Some(rope), Some(uri)) = (rope_of(documents, &declaration.path), uri_json(&declaration.path))
        {
            write_location(&mut json, &uri, range_to_lsp(&rope, declaration.range, encoding));
            visit(Item::Json(&json))?;
        }
        for (n, file) in found.files().enumerate() {
            let mut mentions = file.iter().peekable();
            if mentions.peek().is_some()
                && let Some(uri) = uri_json(file.path)
            {
                // In UTF-16 the index already knows every position: no file is read.
                if encoding == super::convert::PositionEncoding::Utf16 {
                    for (_, span) in mentions {
                        let range = Range::new(Position::new(span.line, span.start_column), Position::new(span.line, span.end_column));
                        write_location(&mut json, &uri, range);
                        visit(Item::Json(&json))?;
                    }
                } else if let Some(rope) = rope_of(documents, file.path) {
                    for (range, _) in mentions {
                        write_location(&mut json, &uri, range_to_lsp(&rope, range, encoding));
                        visit(Item::Json(&json))?;
                    }
                }
            }
            if n == 0 {
                visit(Item::GroupEnd)?;
            }
        }
        Ok(())
    };
    send_list(output, id, token.as_ref(), &produce);
}

fn highlights(state: &mut ServerState, output: &Output, id: &Id, params: DocumentHighlightParams) {
    let token = params.partial_result_params.partial_result_token;
    let position = params.text_document_position_params;
    let Some(document) = state.documents.get(&position.text_document.uri) else { return send_null(output, id) };
    let (key, rope) = (document.key.clone(), document.rope.clone());
    let offset = position_to_offset(&rope, position.position, state.encoding);
    let Some(ranges) = state.host.highlights(&key, offset) else { return send_null(output, id) };
    let encoding = state.encoding;
    let produce = |visit: &mut Visit| -> io::Result<()> {
        let mut json = Vec::with_capacity(128);
        for range in &ranges {
            json.clear();
            let highlight = DocumentHighlight { range: range_to_lsp(&rope, *range, encoding), kind: Some(DocumentHighlightKind::TEXT) };
            serde_json::to_writer(&mut json, &highlight)?;
            visit(Item::Json(&json))?;
        }
        Ok(())
    };
    send_list(output, id, token.as_ref(), &produce);
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must still be written.
fn symbols(state: &mut ServerState, output: &Output, id: &Id, params: WorkspaceSymbolParams) {
    let token = params.partial_result_params.partial_result_token;
    let encoding = state.encoding;
    let documents = &state.documents;
    let entries = state.host.workspace_symbols(&params.query);
    let produce = |visit: &mut Visit| -> io::Result<()> {
        // Entries of one KB file share its text: read once, not once per entry.
        let mut files: HashMap<PathBuf, Option<(Uri, Rope)>> = HashMap::new();
        let mut json = Vec::with_capacity(256);
        for entry in &entries {
            let file = files
                .entry((*entry.origin.file).clone())
                .or_insert_with_key(|path| Some((Uri::from_file_path(path)?, rope_of(documents, path)?)));
            let Some((uri, rope)) = file else { continue };
            let symbol = SymbolInformation {
                name: entry.name.clone(),
                kind: match entry.kind {
                    EntryKind::Person => SymbolKind::CLASS,
                    EntryKind::Organization => SymbolKind::NAMESPACE,
                    EntryKind::Place => SymbolKind::ENUM_MEMBER,
                    EntryKind::Agreement => SymbolKind::INTERFACE,
                },
                tags: None,
                deprecated: None,
                location: Location { uri: uri.clone(), range: range_to_lsp(rope, entry.origin.id_range, encoding) },
                container_name: Some(entry.id.clone()),
            };
            json.clear();
            serde_json::to_writer(&mut json, &symbol)?;
            visit(Item::Json(&json))?;
        }
        Ok(())
    };
    send_list(output, id, token.as_ref(), &produce);
}
