//! marginalia: a language server and CLI for annotating news articles.
//!
//! The crate has one core and two thin edges, in the manner of rust-analyzer's
//! `ide` and its binary. The core's layers, from the bottom (a module uses its
//! own layer or those below; ARCHITECTURE.md lists where the code does not yet):
//!
//! 1. [`text`], [`diagnostic`]: byte ranges, code-point conversion, plain
//!    diagnostics.
//! 2. [`article`], [`kb`]: the article model (date header, paragraphs,
//!    sentences, quotation marks) and the knowledge base (tree-sitter JSON,
//!    loading, the Aho-Corasick alias index).
//! 3. [`analysis`] (mentions, quotations and speakers, unknown names, manual
//!    decisions, incremental re-analysis), [`annotations`] (standoff sidecars:
//!    model, format, anchoring, validation, locked atomic writes),
//!    [`interchange`] (export and import formats) and [`agreement`]
//!    (inter-annotator agreement).
//! 4. [`workspace`]: the corpus on disk (configuration, file roles, reading
//!    files, the corpus-wide mention index), shared by both edges.
//! 5. [`ide`]: editor features (hover cards, definitions, references, outlines,
//!    semantic tokens, fixes, annotation actions), in byte offsets and paths.
//!
//! The core works in UTF-8 byte offsets (what it stores or prints, such as
//! sidecars, `analyze` reports and exports, is in code points), returns plain
//! data and knows nothing of LSP or JSON-RPC; of its modules only [`workspace`]
//! and [`annotations`] touch the file system.
//!
//! The edges: [`lsp`] (the only module that speaks protocol types and positions;
//! it owns the server's threads) and [`cli`] (code frames, JSON lines and
//! exports, in code-point offsets).

pub mod agreement;
pub mod analysis;
pub mod annotations;
pub mod article;
pub mod diagnostic;
pub mod ide;
pub mod interchange;
pub mod kb;
pub mod text;
pub mod workspace;

pub mod cli;
pub mod lsp;
