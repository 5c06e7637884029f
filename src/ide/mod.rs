//! Editor features in terms of byte offsets and file paths: hover cards,
//! definitions, references, outlines, token kinds and fixes. This is the layer
//! the LSP edge converts to protocol types (as rust-analyzer's `ide` crate is for
//! its binary); it knows nothing of positions or JSON-RPC.

pub mod annotate;
pub mod diagnostics;
pub mod fixes;
pub mod hover;
pub mod inlay;
pub mod kb_suggest;
pub mod navigation;
pub mod semantic;
pub mod symbols;

use std::path::PathBuf;

use crate::text::TextRange;

/// A range in some file of the corpus.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileRange {
    /// The file.
    pub path: PathBuf,
    /// The bytes of its current text.
    pub range: TextRange,
}

/// Replace `range` of `path` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEdit {
    /// The file to edit.
    pub path: PathBuf,
    /// The bytes replaced, in its current text.
    pub range: TextRange,
    /// What replaces them.
    pub new_text: String,
}

/// A named set of edits, offered as a code action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceChange {
    /// What the editor shows (`Add "Olaf Scholz" to kb/entities.json`).
    pub label: String,
    /// The edits, applied together.
    pub edits: Vec<FileEdit>,
    /// The most likely of several alternatives.
    pub preferred: bool,
}
