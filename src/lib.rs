//! marginalia: a language server and CLI for annotating news articles.
//!
//! The crate has one pure core and two thin edges, in the manner of rust-analyzer's
//! `ide` and its binary:
//!
//! - core: [`text`], [`diagnostic`], [`article`], [`kb`], [`analysis`] and
//!   [`workspace`] take text, the knowledge base and annotations, and return plain
//!   data with byte offsets; [`ide`] turns that into editor features (hover cards,
//!   definitions, references, outlines, fixes), still in byte offsets and paths.
//!   None of them knows LSP or JSON-RPC.
//! - edges: [`lsp`] (the only module that speaks protocol types and positions) and
//!   [`cli`] (code frames and JSON lines, in code-point offsets).

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
