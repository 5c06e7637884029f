//! The LSP edge: the only module that speaks protocol types. It converts
//! positions in the negotiated encoding, keeps open documents in ropey, applies
//! document notifications in order, and asks the core for answers.

mod convert;
mod framing;
mod handlers;
mod indexing;
mod ordering;
mod output;
mod server;
mod state;
mod streamed;
mod worker;

pub use convert::{PositionEncoding, offset_to_position, position_to_offset};

use std::process::ExitCode;
use std::sync::Arc;

use tower_lsp_server::{LspService, Server};

/// Serves LSP over stdin/stdout until `exit`. Logs go to stderr only.
pub fn run_stdio() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("MARGINALIA_LOG").unwrap_or_else(|_| "info".into()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let shut_down_cleanly = runtime.block_on(async {
        let lifecycle = Arc::new(ordering::Lifecycle::default());
        let mut worker = None;
        let handle = tokio::runtime::Handle::current();
        let output = output::Output::stdout();
        let (service, socket) = LspService::build(|client| {
            let spawned = worker::spawn_worker(client.clone(), handle, output.clone());
            worker = Some(spawned.clone());
            server::Backend { client, worker: spawned, lifecycle: lifecycle.clone(), watch_files_dynamically: Default::default() }
        })
        .custom_method("marginalia/analyze", server::Backend::analyze_document)
        .finish();
        let worker = worker.expect("LspService::build calls its init closure");
        let slots = ordering::Slots::default();
        let dispatch = framing::Dispatch { worker: worker.clone(), lifecycle: lifecycle.clone(), slots: slots.clone() };
        let input = framing::guard(std::io::stdin(), dispatch);
        let service = ordering::OrderedDocuments { inner: service, worker, lifecycle: lifecycle.clone(), output: output.clone(), slots };
        Server::new(input, output.transport(), socket).serve(service).await;
        lifecycle.was_shut_down()
    });
    // The worker thread may still hold the last batch; the process exits anyway.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    if shut_down_cleanly { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
