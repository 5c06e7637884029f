//! Request handlers, run on the worker: each converts protocol positions to byte
//! offsets, asks the analysis host (`crate::host`), and converts the answer back.

use std::collections::HashMap;

use ropey::Rope;
use tower_lsp_server::ls_types::*;

use super::convert::{offset_to_position, position_to_offset, range_from_lsp, range_to_lsp};
use super::state::ServerState;
use crate::annotations::{Status, sidecar_path};
use crate::ide::annotate::{ActionContext, AnnotationOp, OpCheck, annotation_actions, apply_annotation_ops, check_ops};
use crate::ide::semantic::TokenKind;
use crate::ide::symbols::{OutlineItem, OutlineKind};
use crate::ide::{SourceChange, fixes};
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

pub fn code_action(state: &mut ServerState, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    if let Some(actions) = draft_kb_actions(state, &uri, params.range) {
        return Some(actions);
    }
    let analysis = state.analysis(&uri)?;
    let document = state.documents.get(&uri)?;
    if document.role != FileRole::Article {
        return Some(Vec::new());
    }
    let range = range_from_lsp(&document.rope, params.range, state.encoding);
    let mut actions = Vec::new();
    if let Some(corpus) = document.corpus_root.as_ref().and_then(|root| state.host.corpus(root)).cloned() {
        let kb_files: Vec<(std::path::PathBuf, String)> =
            corpus.kb_paths().into_iter().filter_map(|p| Some((p.clone(), state.host.file_text(&p)?))).collect();
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
    }
    if let Some(path) = &document.path {
        let text = document.rope.to_string();
        for change in fixes::fix_misused_quote_marks(path, &text, &analysis, range) {
            let Some(edit) = workspace_edit(state, &change) else { continue };
            let diagnostic =
                params.context.diagnostics.iter().find(|d| d.code == Some(NumberOrString::String("misused-quote-mark".into()))).cloned();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: change.label.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diagnostic.map(|d| vec![d]),
                edit: Some(edit),
                is_preferred: Some(change.preferred),
                ..Default::default()
            }));
        }
    }
    actions.extend(annotation_code_actions(state, &uri, &analysis, range));
    Some(actions)
}

/// "Accept"/"Drop" on an entry of a draft KB file (`marginalia kb suggest`);
/// `None` for any other file.
fn draft_kb_actions(state: &mut ServerState, uri: &Uri, range: Range) -> Option<CodeActionResponse> {
    let document = state.documents.get(uri)?;
    if document.role != FileRole::KnowledgeBase {
        return None;
    }
    let path = document.path.clone()?;
    let text = document.rope.to_string();
    let range = range_from_lsp(&document.rope, range, state.encoding);
    let root = document.corpus_root.clone()?;
    let corpus = state.host.corpus(&root).cloned()?;
    let kb_files: Vec<(std::path::PathBuf, String)> =
        corpus.kb_paths().into_iter().filter_map(|p| Some((p.clone(), state.host.file_text(&p)?))).collect();
    let actions = crate::ide::kb_suggest::draft_entry_actions(&path, &text, range, &kb_files)
        .into_iter()
        .filter_map(|change| {
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: change.label.clone(),
                kind: Some(CodeActionKind::REFACTOR),
                edit: Some(workspace_edit(state, &change)?),
                is_preferred: Some(change.preferred),
                ..Default::default()
            }))
        })
        .collect();
    Some(actions)
}

/// The RFC 3339 time stamped on new annotations.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Annotation actions as code actions whose edit rewrites the sidecar (so the
/// editor's undo restores it), creating the file when it does not exist yet.
fn annotation_code_actions(
    state: &mut ServerState,
    uri: &Uri,
    analysis: &crate::analysis::Analysis,
    range: crate::text::TextRange,
) -> Vec<CodeActionOrCommand> {
    let Some(document) = state.documents.get(uri) else { return Vec::new() };
    let Some(path) = document.path.clone() else { return Vec::new() };
    let root = document.corpus_root.clone();
    let Some(text) = state.host.overlay_text(&path) else { return Vec::new() };
    let (kb, _) = state.host.kb_and_config(root.as_deref());
    let config = root.as_ref().and_then(|r| state.host.corpus(r)).map(|c| c.config.clone()).unwrap_or_default();
    let who = config.annotator(state.editor_annotator.as_deref());
    let now = now();
    let sidecar = sidecar_path(&path);
    let current = match state.host.sidecar_text(&sidecar) {
        Ok(current) => current,
        Err(error) => {
            tracing::error!("{error}");
            return Vec::new();
        }
    };
    let parsed = crate::annotations::parse_annotation_file(current.as_deref().unwrap_or(""));
    let Some(sidecar_uri) = Uri::from_file_path(&sidecar) else { return Vec::new() };
    let sidecar_rope = Rope::from_str(current.as_deref().unwrap_or(""));
    // The sidecar as the client has it open, by the client's own URI.
    let open_sidecar = state.documents.values().find(|d| d.path.as_deref() == Some(sidecar.as_path()));
    let open_sidecar_version = open_sidecar.map(|d| d.version);
    // A client that asked for server writes gets the command unless the user is
    // editing the sidecar by hand (its buffer differs from the file): then the
    // action goes into that buffer, to be saved with the user's own edits.
    let write_on_server =
        state.annotation_writes_on_server && (open_sidecar.is_none() || crate::workspace::read_text_file(&sidecar).ok() == current);
    let sidecar_uri = open_sidecar.map_or(sidecar_uri, |d| d.uri.clone());
    let cx = ActionContext::new(&text, analysis, &kb, &config.labels.entity, state.host.annotations(&path), &who, &now);
    annotation_actions(&cx, range)
        .into_iter()
        .map(|action| {
            let mut code_action = CodeAction {
                title: action.title.clone(),
                kind: Some(CodeActionKind::new("refactor.annotate")),
                is_preferred: Some(action.preferred),
                ..Default::default()
            };
            if !parsed.diagnostics.is_empty() {
                code_action.disabled =
                    Some(CodeActionDisabled { reason: format!("{} has malformed lines; fix them first", sidecar.display()) });
                return CodeActionOrCommand::CodeAction(code_action);
            }
            let mut annotations = parsed.annotations.clone();
            if let Err(reason) = apply_annotation_ops(&mut annotations, &action.ops, &who) {
                code_action.disabled = Some(CodeActionDisabled { reason });
                return CodeActionOrCommand::CodeAction(code_action);
            }
            let mut new_text = crate::annotations::serialize_annotations(&annotations);
            // A sidecar that starts with a byte-order mark keeps it.
            if current.as_deref().is_some_and(|c| c.starts_with(crate::annotations::BYTE_ORDER_MARK)) {
                new_text.insert(0, crate::annotations::BYTE_ORDER_MARK);
            }
            let mut operations = Vec::new();
            if current.is_none() {
                operations.push(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                    uri: sidecar_uri.clone(),
                    options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
                    annotation_id: None,
                })));
            }
            let (replaced, inserted) = crate::annotations::minimal_line_edit(current.as_deref().unwrap_or(""), &new_text);
            // An edit computed now may be applied after the sidecar changed
            // (an import, another annotator): issue 14, case 4, a stale
            // "Remove" deleted the line that had taken its place. An edit to
            // an open sidecar carries its version, which the client checks;
            // one that only inserts whole lines cannot remove anything; any
            // other goes through the server's locked write, which finds the
            // records by id.
            if write_on_server || (open_sidecar_version.is_none() && !replaced.is_empty()) {
                code_action.command = Some(Command {
                    title: action.title.clone(),
                    command: APPLY_ANNOTATIONS_COMMAND.into(),
                    arguments: Some(vec![serde_json::json!({ "uri": uri, "ops": action.ops })]),
                });
                return CodeActionOrCommand::CodeAction(code_action);
            }
            operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri: sidecar_uri.clone(), version: open_sidecar_version },
                edits: vec![OneOf::Left(TextEdit { range: range_to_lsp(&sidecar_rope, replaced, state.encoding), new_text: inserted })],
            }));
            code_action.edit =
                Some(WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(operations)), ..Default::default() });
            CodeActionOrCommand::CodeAction(code_action)
        })
        .collect()
}

/// Arguments of [`APPLY_ANNOTATIONS_COMMAND`].
#[derive(Debug, serde::Deserialize)]
pub struct ApplyAnnotationOps {
    pub uri: Uri,
    pub ops: Vec<AnnotationOp>,
}

/// Writes annotation operations for the article at `uri` to its sidecar on the
/// server: under the sidecar's lock, merged with the file as it is now, written
/// atomically. Returns the number of annotations in the file afterwards and the
/// sidecar's path.
pub fn apply_annotation_command(state: &mut ServerState, arguments: Vec<serde_json::Value>) -> Result<serde_json::Value, String> {
    let argument = arguments.into_iter().next().ok_or("missing argument {uri, ops}")?;
    let mut request: ApplyAnnotationOps = serde_json::from_value(argument).map_err(|e| format!("invalid arguments: {e}"))?;
    let document = state.documents.get(&request.uri).ok_or("the article is not open")?;
    if document.role != crate::workspace::FileRole::Article {
        return Err(format!(
            "{} is a {} file, not an article: annotations go on articles only",
            request.uri.as_str(),
            document.role.describe()
        ));
    }
    let path = document.path.clone().ok_or("the article has no file on disk")?;
    let root = document.corpus_root.clone();
    let text = state.host.overlay_text(&path).ok_or("the article is not open")?;
    let config = root.as_ref().and_then(|r| state.host.corpus(r)).map(|c| c.config.clone()).unwrap_or_default();
    let (kb, _) = state.host.kb_and_config(root.as_deref());
    let who = config.annotator(state.editor_annotator.as_deref());
    let sidecar = sidecar_path(&path);
    crate::workspace::ensure_inside_corpus(&sidecar, root.as_deref())?;
    let (_, written) = crate::annotations::try_update_annotations(&sidecar, |annotations| -> Result<(), AnnotationWriteError> {
        let check = OpCheck { text: &text, labels: &config.labels.entity, kb: &kb, existing: annotations, who: &who };
        check_ops(&mut request.ops, &check)?;
        Ok(apply_annotation_ops(annotations, &request.ops, &who)?)
    })
    .map_err(|e| e.0)?;
    state.host.load_annotations(&path);
    // The sidecar's path, so that a client can say where the work went and reload
    // its buffer of the file.
    Ok(serde_json::json!({ "annotations": written.len(), "sidecar": sidecar }))
}

/// A refused op or a failed write, as the message the client shows.
struct AnnotationWriteError(String);

impl From<String> for AnnotationWriteError {
    fn from(message: String) -> Self {
        AnnotationWriteError(message)
    }
}

impl From<crate::annotations::StoreError> for AnnotationWriteError {
    fn from(error: crate::annotations::StoreError) -> Self {
        AnnotationWriteError(error.to_string())
    }
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
