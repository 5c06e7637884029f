//! The `marginalia` binary: the CLI and, with `marginalia lsp`, the language server.

// Analysis allocates many small vectors (words, spans, candidates) per document;
// mimalloc's thread-local free lists make those a third cheaper than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    marginalia::cli::run()
}
