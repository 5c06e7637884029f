//! Indexing a large corpus on background threads, reporting `$/progress` to
//! clients that show it, and handing the finished index to the worker.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::ProgressToken;

use super::worker::WorkerHandle;
use crate::host::IndexingJob;
use crate::workspace::MentionIndex;

pub fn spawn_indexing(job: IndexingJob, worker: WorkerHandle, client: Client, runtime: tokio::runtime::Handle, show_progress: bool) {
    let spawned = std::thread::Builder::new().name("marginalia-indexer".into()).spawn(move || {
        let total = job.paths.len();
        let done = Arc::new(AtomicUsize::new(0));
        let progress = show_progress.then(|| {
            runtime.block_on(async {
                let token = ProgressToken::String(format!("marginalia-index-{}", job.generation));
                client.create_work_done_progress(token.clone()).await.ok()?;
                Some(client.progress(token, "Indexing corpus").with_message(format!("0/{total} articles")).with_percentage(0).begin().await)
            })
        });
        let progress = progress.flatten();
        let started = std::time::Instant::now();
        let index = std::thread::scope(|scope| {
            let building = scope.spawn(|| MentionIndex::build_with_progress(&job.paths, &job.kb, |n, _| done.store(n, Ordering::Relaxed)));
            while !building.is_finished() {
                std::thread::sleep(Duration::from_millis(200));
                if let Some(progress) = &progress {
                    let n = done.load(Ordering::Relaxed);
                    let percentage = (n * 100 / total.max(1)) as u32;
                    runtime.block_on(progress.report_with_message(format!("{n}/{total} articles"), percentage));
                }
            }
            building.join()
        });
        let Ok(index) = index else {
            tracing::error!("indexing panicked; references and mention counts stay partial");
            return;
        };
        tracing::info!(articles = total, elapsed_ms = started.elapsed().as_millis() as u64, "background index built");
        if let Some(progress) = progress {
            runtime.block_on(progress.finish_with_message(format!("{total} articles indexed")));
        }
        let (root, generation) = (job.root, job.generation);
        worker.post(move |state| state.install_index(root, generation, index));
    });
    if let Err(error) = spawned {
        tracing::error!("cannot start the indexing thread: {error}");
    }
}
