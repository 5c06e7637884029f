//! Request handlers, run on the worker: each converts protocol positions to byte
//! offsets, asks the analysis host (`crate::host`), and converts the answer back.

use std::collections::HashMap;

use ropey::Rope;
use tower_lsp_server::ls_types::*;

use super::convert::{offset_to_position, position_to_offset, range_from_lsp, range_to_lsp};
use super::state::ServerState;
use crate::annotations::Status;
use crate::host::{AnnotationCodeAction, AnnotationWriteError, FixKind, SidecarState};
use crate::ide::SourceChange;
use crate::ide::annotate::AnnotationOp;
use crate::ide::semantic::TokenKind;
use crate::ide::symbols::{OutlineItem, OutlineKind};
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

/// Bit 0: an accepted annotation covers the token; bit 1: only a suggestion does.
pub const TOKEN_MODIFIERS: [SemanticTokenModifier; 2] = [SemanticTokenModifier::new("accepted"), SemanticTokenModifier::new("suggested")];

/// The command that writes annotation operations on the server side (atomic,
/// locked, merged with the file as it is on disk).
pub const APPLY_ANNOTATIONS_COMMAND: &str = "marginalia.applyAnnotationOps";

/// The open document's key in the host, its rope and the byte offset of `position`.
fn locate(state: &ServerState, uri: &Uri, position: Position) -> Option<(std::path::PathBuf, Rope, usize)> {
    let document = state.documents.get(uri)?;
    let offset = position_to_offset(&document.rope, position, state.encoding);
    Some((document.key.clone(), document.rope.clone(), offset))
}

pub fn hover(state: &mut ServerState, params: HoverParams) -> Option<Hover> {
    super::worker::injected_panic("hover");
    let uri = params.text_document_position_params.text_document.uri;
    let (key, rope, offset) = locate(state, &uri, params.text_document_position_params.position)?;
    let card = state.host.hover(&key, offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: card.markdown }),
        range: Some(range_to_lsp(&rope, card.range, state.encoding)),
    })
}

pub fn goto_definition(state: &mut ServerState, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let uri = params.text_document_position_params.text_document.uri;
    let (key, rope, offset) = locate(state, &uri, params.text_document_position_params.position)?;
    let (origin, target) = state.host.definition(&key, offset)?;
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

pub fn inlay_hint(state: &mut ServerState, params: InlayHintParams) -> Option<Vec<InlayHint>> {
    let document = state.documents.get(&params.text_document.uri)?;
    let (key, rope) = (document.key.clone(), document.rope.clone());
    let range = range_from_lsp(&rope, params.range, state.encoding);
    let hints = state.host.inlay_hints(&key, range)?;
    Some(
        hints
            .into_iter()
            .map(|h| InlayHint {
                position: offset_to_position(&rope, h.offset, state.encoding),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
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
    let document = state.documents.get(&params.text_document.uri)?;
    let (key, rope) = (document.key.clone(), document.rope.clone());
    let outline = state.host.outline(&key)?;
    Some(DocumentSymbolResponse::Nested(outline.into_iter().map(|i| to_document_symbol(&rope, i, state)).collect()))
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
    let document = state.documents.get(&params.text_document.uri)?;
    let (key, rope) = (document.key.clone(), document.rope.clone());
    let encoding = state.encoding;
    let mut data = Vec::new();
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for token in state.host.semantic_tokens(&key)? {
        let (range, kind) = (token.range, token.kind);
        let token_type = TokenKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32;
        let modifiers = match token.annotation {
            Some(Status::Accepted) => 1,
            Some(Status::Suggested) => 2,
            _ => 0,
        };
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
                    token_modifiers_bitset: modifiers,
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

/// The host's code actions at the selection, converted: fixes become
/// workspace edits; annotation actions edit the sidecar or run
/// [`APPLY_ANNOTATIONS_COMMAND`] (see `annotation_code_action`).
pub fn code_action(state: &mut ServerState, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    let document = state.documents.get(&uri)?;
    let key = document.key.clone();
    let range = range_from_lsp(&document.rope, params.range, state.encoding);
    let found = state.host.code_actions(&key, range, state.editor_annotator.as_deref())?;
    let mut actions = Vec::new();
    for fix in &found.fixes {
        let Some(edit) = workspace_edit(state, &fix.change) else { continue };
        let diagnostic = fix.fixes.and_then(|code| {
            params.context.diagnostics.iter().find(|d| d.code == Some(NumberOrString::String(code.as_str().into()))).cloned()
        });
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: fix.change.label.clone(),
            kind: Some(match fix.kind {
                FixKind::QuickFix => CodeActionKind::QUICKFIX,
                FixKind::Refactor => CodeActionKind::REFACTOR,
            }),
            diagnostics: diagnostic.map(|d| vec![d]),
            edit: Some(edit),
            is_preferred: Some(fix.change.preferred),
            ..Default::default()
        }));
    }
    if let Some(sidecar) = &found.sidecar {
        actions.extend(found.annotations.iter().filter_map(|action| annotation_code_action(state, &uri, sidecar, action)));
    }
    Some(actions)
}

/// An annotation action as a code action whose edit rewrites the sidecar (so
/// the editor's undo restores it), creating the file when it does not exist
/// yet, or as the server-side command when an edit could lose another
/// writer's line.
fn annotation_code_action(
    state: &ServerState,
    uri: &Uri,
    sidecar: &SidecarState,
    action: &AnnotationCodeAction,
) -> Option<CodeActionOrCommand> {
    let mut code_action = CodeAction {
        title: action.title.clone(),
        kind: Some(CodeActionKind::new("refactor.annotate")),
        is_preferred: Some(action.preferred),
        ..Default::default()
    };
    let edit = match &action.edit {
        Ok(edit) => edit,
        Err(reason) => {
            code_action.disabled = Some(CodeActionDisabled { reason: reason.clone() });
            return Some(CodeActionOrCommand::CodeAction(code_action));
        }
    };
    // The sidecar as the client has it open, by the client's own URI.
    let open_sidecar = state.documents.values().find(|d| d.path.as_deref() == Some(sidecar.path.as_path()));
    let open_sidecar_version = open_sidecar.map(|d| d.version);
    let sidecar_uri = match open_sidecar {
        Some(d) => d.uri.clone(),
        None => Uri::from_file_path(&sidecar.path)?,
    };
    // A client that asked for server writes gets the command unless the user is
    // editing the sidecar by hand (its buffer differs from the file): then the
    // action goes into that buffer, to be saved with the user's own edits.
    let write_on_server = state.annotation_writes_on_server && !sidecar.unsaved;
    // An edit computed now may be applied after the sidecar changed (an
    // import, another annotator): issue 14, case 4, a stale "Remove" deleted
    // the line that had taken its place. An edit to an open sidecar carries
    // its version, which the client checks; one that only inserts whole lines
    // cannot remove anything; any other goes through the server's locked
    // write, which finds the records by id.
    if write_on_server || (open_sidecar_version.is_none() && !edit.replaced.is_empty()) {
        code_action.command = Some(Command {
            title: action.title.clone(),
            command: APPLY_ANNOTATIONS_COMMAND.into(),
            arguments: Some(vec![serde_json::json!({ "uri": uri, "ops": action.ops })]),
        });
        return Some(CodeActionOrCommand::CodeAction(code_action));
    }
    let mut operations = Vec::new();
    if sidecar.text.is_none() {
        operations.push(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
            uri: sidecar_uri.clone(),
            options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
            annotation_id: None,
        })));
    }
    let sidecar_rope = Rope::from_str(sidecar.text.as_deref().unwrap_or(""));
    operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier { uri: sidecar_uri, version: open_sidecar_version },
        edits: vec![OneOf::Left(TextEdit {
            range: range_to_lsp(&sidecar_rope, edit.replaced, state.encoding),
            new_text: edit.inserted.clone(),
        })],
    }));
    code_action.edit = Some(WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(operations)), ..Default::default() });
    Some(CodeActionOrCommand::CodeAction(code_action))
}

/// Arguments of [`APPLY_ANNOTATIONS_COMMAND`].
#[derive(Debug, serde::Deserialize)]
pub struct ApplyAnnotationOps {
    /// The article's URI.
    pub uri: Uri,
    /// The operations, in order.
    pub ops: Vec<AnnotationOp>,
}

/// Writes annotation operations for the article at `uri` to its sidecar on the
/// server (the host checks them and writes under the sidecar's lock, merged
/// with the file as it is now, atomically). Returns the number of annotations
/// in the file afterwards and the sidecar's path.
pub fn apply_annotation_command(state: &mut ServerState, arguments: Vec<serde_json::Value>) -> Result<serde_json::Value, String> {
    let argument = arguments.into_iter().next().ok_or("missing argument {uri, ops}")?;
    let request: ApplyAnnotationOps = serde_json::from_value(argument).map_err(|e| format!("invalid arguments: {e}"))?;
    let document = state.documents.get(&request.uri).ok_or("the article is not open")?;
    if document.path.is_none() && document.role == FileRole::Article {
        return Err("the article has no file on disk".into());
    }
    let key = document.key.clone();
    let written = state.host.apply_annotation_ops(&key, request.ops, state.editor_annotator.as_deref()).map_err(|error| match error {
        AnnotationWriteError::NotAnArticle(role) => {
            format!("{} is a {} file, not an article: annotations go on articles only", request.uri.as_str(), role.describe())
        }
        other => other.to_string(),
    })?;
    // The sidecar's path, so that a client can say where the work went and reload
    // its buffer of the file.
    Ok(serde_json::json!({ "annotations": written.count, "sidecar": written.sidecar }))
}

/// Before articles are renamed: the edit that moves each one's sidecar with it
/// (issue 14, case 5: a rename used to orphan the sidecar silently).
pub fn will_rename_files(params: RenameFilesParams) -> Option<WorkspaceEdit> {
    let operations: Vec<DocumentChangeOperation> = super::state::sidecar_moves(&params)
        .into_iter()
        .filter_map(|(old, new)| {
            Some(DocumentChangeOperation::Op(ResourceOp::Rename(RenameFile {
                old_uri: Uri::from_file_path(&old)?,
                new_uri: Uri::from_file_path(&new)?,
                options: Some(RenameFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
                annotation_id: None,
            })))
        })
        .collect();
    (!operations.is_empty())
        .then(|| WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(operations)), ..Default::default() })
}

/// The renames the server wants to hear about: article files.
pub fn article_rename_filter() -> FileOperationRegistrationOptions {
    FileOperationRegistrationOptions {
        filters: vec![FileOperationFilter {
            scheme: Some("file".into()),
            pattern: FileOperationPattern { glob: "**/*.txt".into(), matches: Some(FileOperationPatternKind::File), options: None },
        }],
    }
}
