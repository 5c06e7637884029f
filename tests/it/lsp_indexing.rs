//! A corpus too large to index before answering: the server answers at once,
//! indexes in the background with `$/progress`, and then references span every
//! article.

use crate::lsp_client;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_client::{Encoding, LspClient, file_uri, position_of};
use serde_json::json;

const ARTICLES: usize = 2_500;

#[test]
fn large_corpus_is_indexed_in_the_background_with_progress() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("marginalia.toml"), corpus.path().join("marginalia.toml")).unwrap();
    std::fs::create_dir(corpus.path().join("kb")).unwrap();
    for name in ["entities.json", "agreements.json"] {
        std::fs::copy(repo.join("kb").join(name), corpus.path().join("kb").join(name)).unwrap();
    }
    std::fs::create_dir(corpus.path().join("articles")).unwrap();
    let seeds: Vec<PathBuf> = std::fs::read_dir(repo.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        // The seeds that name Lavrov in Latin letters (not the Russian, Ukrainian, German ones).
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("Lavrov"))
        .collect();
    for i in 0..ARTICLES {
        std::fs::copy(&seeds[i % seeds.len()], corpus.path().join("articles").join(format!("{i:05}.txt"))).unwrap();
    }

    let mut client = LspClient::spawn_with_progress(corpus.path());

    // Requests are answered while the index is being built.
    let path = corpus.path().join("articles/00000.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    client.did_open(&uri, "plaintext", 1, &text);
    let lavrov = position_of(&text, text.find("Lavrov").unwrap(), Encoding::Utf16);
    let hover = client.hover(&uri, lavrov).expect("hover while indexing");
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Sergey Lavrov"));

    // Every copy of a seed mentions Lavrov: once indexed, references cover them all.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let references = client
            .request(
                "textDocument/references",
                json!({"textDocument": {"uri": uri}, "position": lavrov.to_json(), "context": {"includeDeclaration": false}}),
            )
            .expect("references");
        let files: std::collections::HashSet<&str> = references.as_array().unwrap().iter().map(|r| r["uri"].as_str().unwrap()).collect();
        if files.len() == ARTICLES {
            break;
        }
        assert!(Instant::now() < deadline, "index still incomplete: {} of {ARTICLES} files", files.len());
        std::thread::sleep(Duration::from_millis(100));
    }
    let kinds: Vec<String> = client
        .notifications
        .iter()
        .filter(|n| n["method"] == "$/progress")
        .map(|n| n["params"]["value"]["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("begin"), "{kinds:?}");
    assert_eq!(kinds.last().map(String::as_str), Some("end"), "{kinds:?}");
    client.shutdown_and_exit();
}
