//! The `marginalia` binary: the CLI and, with `marginalia lsp`, the language server.

fn main() -> std::process::ExitCode {
    marginalia::cli::run()
}
