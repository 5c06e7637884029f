//! The `marginalia` binary: the CLI and, with `marginalia lsp`, the language server.

// Analysis allocates many small vectors (words, spans, candidates) per document;
// mimalloc's thread-local free lists make those a third cheaper than glibc's malloc.
// Built without transparent huge pages (`no_thp` in Cargo.toml): faulting them in
// stalled the first keystrokes after opening a long document (2 MB: 45–75 ms
// instead of 20–30; BENCHMARKS.md), for no gain afterwards.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    marginalia::cli::run(marginalia::lsp::run_stdio)
}
