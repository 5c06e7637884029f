//! The integration tests, as one test binary with a module per feature (as
//! ripgrep does): each `tests/*.rs` file used to link the whole crate into its
//! own binary, sixteen links of 110–180 MB each on every `cargo test`.
//!
//! Run one feature's tests with a filter: `cargo test --test it quotes::`.
//! `fixture` is the quote-fixture mini-language and `lsp_client` the small LSP
//! client the protocol tests drive the real binary with.

mod fixture;
mod lsp_client;

mod annotations;
mod cli;
mod faults;
mod ide;
mod interchange;
mod lsp_annotations;
mod lsp_indexing;
mod lsp_kb;
mod lsp_protocol;
mod lsp_streaming;
mod nvim_e2e;
mod quotes;
mod regressions;
mod reliability_lsp;
mod schemas;
mod security;
mod soak;
