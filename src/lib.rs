//! marginalia: a language server and CLI for annotating news articles.
//!
//! The crate has one core and two thin edges, in the manner of rust-analyzer's
//! `ide` and its binary. The layers, from the bottom: a module uses only the
//! modules of layers below its own, and the tidy test in `src/layering.rs`
//! (`LAYERS`) fails on any import that runs up or sideways.
//!
//! 1. [`text`], [`diagnostic`], [`text_file`]: byte ranges, code-point
//!    conversion, plain diagnostics, reading UTF-8 files with precise errors.
//! 2. [`article`], [`kb`]: the article model (date header, paragraphs,
//!    sentences, quotation marks) and the knowledge base (tree-sitter JSON,
//!    loading, the Aho-Corasick alias index).
//! 3. [`annotations`]: standoff sidecars (model, format, anchoring, following
//!    edits, validation, locked atomic writes, who may change what).
//! 4. [`analysis`]: mentions, quotations and speakers, unknown names, the
//!    annotators' decisions applied over the rules, incremental re-analysis.
//! 5. [`workspace`] (the corpus on disk: configuration, file roles, the
//!    corpus-wide mention index), [`interchange`] (export and import formats)
//!    and [`agreement`] (inter-annotator agreement), which do not use each other.
//! 6. [`ide`]: editor features (hover cards, definitions, references, outlines,
//!    semantic tokens, fixes, annotation actions, which diagnostics a file
//!    gets), in byte offsets and paths.
//! 7. [`host`]: the analysis host, the one place both edges (and the Python
//!    package) ask: it owns the corpora, their mention indexes and the overlays
//!    of open files, and answers diagnostics, analyses, hovers, references.
//!
//! The core works in UTF-8 byte offsets (what it stores or prints, such as
//! sidecars, `analyze` reports and exports, is in code points), returns plain
//! data and knows nothing of LSP or JSON-RPC; of its modules only [`text_file`],
//! [`workspace`], [`annotations`] and [`host`] touch the file system (the host
//! reads corpus files, and writes a sidecar only through `annotations`' locked
//! store).
//!
//! The edges: [`lsp`] (the only module that speaks protocol types and positions;
//! it owns the server's threads) and [`cli`] (code frames, JSON lines and
//! exports, in code-point offsets). Neither uses the other: the binary hands the
//! server to the CLI for `marginalia lsp`.

#![warn(missing_docs)]

pub mod agreement;
pub mod analysis;
pub mod annotations;
pub mod article;
pub mod diagnostic;
pub mod host;
pub mod ide;
pub mod interchange;
pub mod kb;
pub mod text;
pub mod text_file;
pub mod workspace;

pub mod cli;
pub mod lsp;

#[cfg(test)]
mod layering;
