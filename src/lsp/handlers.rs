//! Request handlers, run on the worker: each converts protocol positions to byte
//! offsets, asks the `ide` layer, and converts the answer back.

use std::collections::HashMap;
use std::path::Path;

use ropey::Rope;
use tower_lsp_server::ls_types::*;

use super::convert::{offset_to_position, position_to_offset, range_from_lsp, range_to_lsp};
use super::state::ServerState;
use crate::ide::semantic::{TokenKind, semantic_tokens};
use crate::ide::symbols::{OutlineItem, OutlineKind, document_outline, workspace_symbols};
use crate::ide::{FileRange, SourceChange, fixes, hover, navigation};
use crate::kb::EntryKind;
use crate::workspace::FileRole;

/// Token types in the order of [`TokenKind::ALL`]; standard types, so every editor
/// colours them without configuration.
pub const TOKEN_TYPES: [SemanticTokenType; 5] = [
    SemanticTokenType::CLASS,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::INTERFACE,
    SemanticTokenType::STRING,
];

/// A location in any corpus file, converted against that file's current text.
fn location(state: &ServerState, target: &FileRange) -> Option<Location> {
    let rope = state.file_rope(&target.path)?;
    Some(Location { uri: Uri::from_file_path(&target.path)?, range: range_to_lsp(&rope, target.range, state.encoding) })
}

/// The open document's text, rope and the byte offset of `position`.
fn locate(state: &mut ServerState, uri: &Uri, position: Position) -> Option<(std::sync::Arc<str>, Rope, usize)> {
    let encoding = state.encoding;
    let document = state.documents.get_mut(uri)?;
    let offset = position_to_offset(&document.rope, position, encoding);
    Some((document.text(), document.rope.clone(), offset))
}

pub fn hover(state: &mut ServerState, params: HoverParams) -> Option<Hover> {
    let uri = params.text_document_position_params.text_document.uri;
    let (text, rope, offset) = locate(state, &uri, params.text_document_position_params.position)?;
    let analysis = state.analysis(&uri)?;
    let document = state.documents.get(&uri)?;
    let (kb, _) = state.kb_for(document);
    let card = hover::hover(&text, &analysis, &kb, state.index_for(document), offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: card.markdown }),
        range: Some(range_to_lsp(&rope, card.range, state.encoding)),
    })
}

pub fn goto_definition(state: &mut ServerState, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let uri = params.text_document_position_params.text_document.uri;
    let (_, rope, offset) = locate(state, &uri, params.text_document_position_params.position)?;
    let analysis = state.analysis(&uri)?;
    let (kb, _) = state.kb_for(state.documents.get(&uri)?);
    let (origin, target) = navigation::definition(&kb, &analysis, offset)?;
    let target_rope = state.file_rope(&target.path)?;
    let target_range = range_to_lsp(&target_rope, target.range, state.encoding);
    Some(GotoDefinitionResponse::Link(vec![LocationLink {
        origin_selection_range: Some(range_to_lsp(&rope, origin, state.encoding)),
        target_uri: Uri::from_file_path(&target.path)?,
        // The whole id line is the target; the id itself is selected.
        target_range,
        target_selection_range: target_range,
    }]))
}

/// The KB id under the cursor: a mention in an article, or the entry around the
/// cursor in a KB file.
fn entry_id_at(state: &mut ServerState, uri: &Uri, position: Position) -> Option<String> {
    let (text, _, offset) = locate(state, uri, position)?;
    let document = state.documents.get(uri)?;
    match document.role {
        FileRole::KnowledgeBase => navigation::kb_entry_at(document.path.as_deref().unwrap_or(Path::new("")), &text, offset),
        _ => state.analysis(uri)?.mention_at(offset).map(|m| m.id.clone()),
    }
}

pub fn references(state: &mut ServerState, params: ReferenceParams) -> Option<Vec<Location>> {
    let uri = params.text_document_position.text_document.uri;
    let id = entry_id_at(state, &uri, params.text_document_position.position)?;
    let document = state.documents.get(&uri)?;
    let (kb, _) = state.kb_for(document);
    let index = state.index_for(document)?;
    let found = navigation::references(&kb, index, &id, params.context.include_declaration);
    Some(found.iter().filter_map(|f| location(state, f)).collect())
}

pub fn document_highlight(state: &mut ServerState, params: DocumentHighlightParams) -> Option<Vec<DocumentHighlight>> {
    let uri = params.text_document_position_params.text_document.uri;
    let (_, rope, offset) = locate(state, &uri, params.text_document_position_params.position)?;
    let analysis = state.analysis(&uri)?;
    let ranges = navigation::highlights(&analysis, offset);
    Some(
        ranges
            .into_iter()
            .map(|r| DocumentHighlight { range: range_to_lsp(&rope, r, state.encoding), kind: Some(DocumentHighlightKind::TEXT) })
            .collect(),
    )
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
fn to_document_symbol(rope: &Rope, item: OutlineItem, state: &ServerState) -> DocumentSymbol {
    DocumentSymbol {
        name: item.name,
        detail: item.detail,
        kind: match item.kind {
            OutlineKind::Header => SymbolKind::PROPERTY,
            OutlineKind::Paragraph => SymbolKind::NAMESPACE,
            OutlineKind::Quote => SymbolKind::STRING,
        },
        tags: None,
        deprecated: None,
        range: range_to_lsp(rope, item.range, state.encoding),
        selection_range: range_to_lsp(rope, item.selection_range, state.encoding),
        children: Some(item.children.into_iter().map(|c| to_document_symbol(rope, c, state)).collect()),
    }
}

pub fn document_symbol(state: &mut ServerState, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let uri = params.text_document.uri;
    let analysis = state.analysis(&uri)?;
    let document = state.documents.get_mut(&uri)?;
    if document.role != FileRole::Article {
        return None;
    }
    let text = document.text();
    let rope = document.rope.clone();
    let outline = document_outline(&text, &analysis);
    Some(DocumentSymbolResponse::Nested(outline.into_iter().map(|i| to_document_symbol(&rope, i, state)).collect()))
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must still be written.
pub fn workspace_symbol(state: &mut ServerState, params: WorkspaceSymbolParams) -> Option<WorkspaceSymbolResponse> {
    let mut symbols = Vec::new();
    for corpus in state.corpora.values() {
        for entry in workspace_symbols(&corpus.kb, &params.query) {
            let target = FileRange { path: (*entry.origin.file).clone(), range: entry.origin.id_range };
            let Some(location) = location(state, &target) else { continue };
            symbols.push(SymbolInformation {
                name: entry.name.clone(),
                kind: match entry.kind {
                    EntryKind::Person => SymbolKind::CLASS,
                    EntryKind::Organization => SymbolKind::NAMESPACE,
                    EntryKind::Place => SymbolKind::ENUM_MEMBER,
                    EntryKind::Agreement => SymbolKind::INTERFACE,
                },
                tags: None,
                deprecated: None,
                location,
                container_name: Some(entry.id.clone()),
            });
        }
    }
    Some(WorkspaceSymbolResponse::Flat(symbols))
}

/// Length of `[start, end)` in the negotiated encoding's units.
fn encoded_len(rope: &Rope, start: usize, end: usize, encoding: super::convert::PositionEncoding) -> u32 {
    use super::convert::PositionEncoding::*;
    let (a, b) = (rope.byte_to_char(start), rope.byte_to_char(end));
    (match encoding {
        Utf8 => end - start,
        Utf16 => rope.char_to_utf16_cu(b) - rope.char_to_utf16_cu(a),
        Utf32 => b - a,
    }) as u32
}

pub fn semantic_tokens_full(state: &mut ServerState, params: SemanticTokensParams) -> Option<SemanticTokensResult> {
    let uri = params.text_document.uri;
    let analysis = state.analysis(&uri)?;
    let rope = state.documents.get(&uri)?.rope.clone();
    let encoding = state.encoding;
    let mut data = Vec::new();
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for (range, kind) in semantic_tokens(&analysis) {
        let token_type = TokenKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32;
        // Tokens may not span lines: split at each line break.
        let mut start = range.start;
        while start < range.end {
            let line = rope.byte_to_line(start);
            let line_end = if line + 1 < rope.len_lines() { rope.line_to_byte(line + 1) } else { rope.len_bytes() };
            let content_end = {
                let mut e = line_end.min(range.end);
                while e > start && matches!(rope.byte(e - 1), b'\n' | b'\r') {
                    e -= 1;
                }
                e
            };
            if content_end > start {
                let position = offset_to_position(&rope, start, encoding);
                let delta_line = position.line - last_line;
                let delta_start = if delta_line == 0 { position.character - last_start } else { position.character };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: encoded_len(&rope, start, content_end, encoding),
                    token_type,
                    token_modifiers_bitset: 0,
                });
                last_line = position.line;
                last_start = position.character;
            }
            // `line_end` is past `start` (the next line's start or the text's end).
            start = line_end;
        }
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data }))
}

fn workspace_edit(state: &ServerState, change: &SourceChange) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in &change.edits {
        let rope = state.file_rope(&edit.path)?;
        changes
            .entry(Uri::from_file_path(&edit.path)?)
            .or_default()
            .push(TextEdit { range: range_to_lsp(&rope, edit.range, state.encoding), new_text: edit.new_text.clone() });
    }
    Some(WorkspaceEdit { changes: Some(changes), ..Default::default() })
}

pub fn code_action(state: &mut ServerState, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    let analysis = state.analysis(&uri)?;
    let document = state.documents.get(&uri)?;
    let range = range_from_lsp(&document.rope, params.range, state.encoding);
    let root = document.corpus_root.clone()?;
    let corpus = state.corpora.get(&root)?;
    let kb_files: Vec<(std::path::PathBuf, String)> =
        corpus.kb_paths().into_iter().filter_map(|p| Some((p.clone(), state.file_text(&p)?))).collect();
    let mut actions = Vec::new();
    for unknown in analysis.unknown_entities.iter().filter(|u| u.range.overlaps(range) || u.range.touches(range.start)) {
        let diagnostic =
            params.context.diagnostics.iter().find(|d| d.code == Some(NumberOrString::String("unknown-entity".into()))).cloned();
        for change in fixes::add_to_knowledge_base(unknown, &corpus.kb, &kb_files) {
            let Some(edit) = workspace_edit(state, &change) else { continue };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: change.label.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diagnostic.clone().map(|d| vec![d]),
                edit: Some(edit),
                is_preferred: Some(change.preferred),
                ..Default::default()
            }));
        }
    }
    Some(actions)
}
