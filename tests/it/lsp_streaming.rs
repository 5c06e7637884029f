//! Answers that grow with the corpus stream (issue 20): find-references with a
//! `partialResultToken` arrives as `$/progress` batches before its (empty)
//! response, the nearest files first — the definition and the open document,
//! then its folder, then the rest — and the batches together are exactly the
//! answer a client without partial results gets in one response.

use crate::lsp_client;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_client::{Encoding, LspClient, file_uri, position_of};
use serde_json::{Value, json};

/// Per folder; with the seeds' Lavrov mentions, several batches of 2,000.
const PER_FOLDER: usize = 700;

fn corpus_in_two_folders() -> tempfile::TempDir {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("marginalia.toml"), corpus.path().join("marginalia.toml")).unwrap();
    std::fs::create_dir(corpus.path().join("kb")).unwrap();
    for name in ["entities.json", "agreements.json"] {
        std::fs::copy(repo.join("kb").join(name), corpus.path().join("kb").join(name)).unwrap();
    }
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(repo.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("Lavrov"))
        .collect();
    seeds.sort();
    for folder in ["a", "b"] {
        std::fs::create_dir_all(corpus.path().join("articles").join(folder)).unwrap();
        for i in 0..PER_FOLDER {
            std::fs::copy(&seeds[i % seeds.len()], corpus.path().join("articles").join(folder).join(format!("{i:04}.txt"))).unwrap();
        }
    }
    corpus
}

/// The `$/progress` values sent under `token` so far, in arrival order.
fn batches(client: &LspClient, token: &str) -> Vec<Vec<Value>> {
    client
        .notifications
        .iter()
        .filter(|n| n["method"] == "$/progress" && n["params"]["token"] == token)
        .map(|n| n["params"]["value"].as_array().expect("a batch is an array of results").clone())
        .collect()
}

fn folder_of(location: &Value) -> String {
    let uri = location["uri"].as_str().unwrap();
    uri.rsplit('/').nth(1).unwrap().to_string()
}

#[test]
fn references_stream_in_batches_nearest_first_and_add_up_to_the_whole_answer() {
    let corpus = corpus_in_two_folders();
    let mut client = LspClient::spawn_with_progress(corpus.path());
    let path = corpus.path().join("articles/b/0003.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    client.did_open(&uri, "plaintext", 1, &text);
    let lavrov = position_of(&text, text.find("Lavrov").unwrap(), Encoding::Utf16).to_json();
    let params = |token: Option<&str>| {
        let mut params = json!({"textDocument": {"uri": uri}, "position": lavrov, "context": {"includeDeclaration": true}});
        if let Some(token) = token {
            params["partialResultToken"] = json!(token);
        }
        params
    };
    // The whole answer, once the background index is complete.
    let deadline = Instant::now() + Duration::from_secs(120);
    let whole = loop {
        let whole = client.request("textDocument/references", params(None)).expect("references").as_array().unwrap().clone();
        let files: std::collections::HashSet<&str> = whole.iter().map(|r| r["uri"].as_str().unwrap()).collect();
        // Every article, and the KB file of the definition.
        if files.len() == 2 * PER_FOLDER + 1 {
            break whole;
        }
        assert!(Instant::now() < deadline, "index still incomplete: {} files", files.len());
        std::thread::sleep(Duration::from_millis(100));
    };

    let id = client.send_request("textDocument/references", params(Some("refs")));
    let last = client.response(id, "references in batches").expect("references in batches");
    assert_eq!(last, json!([]), "with partial results the final response is empty");
    let sent = batches(&client, "refs");
    assert!(sent.len() >= 3, "{} batches", sent.len());
    // Nothing more under the token after the response (a batch arriving late is lost).
    client.hover(&uri, position_of(&text, 0, Encoding::Utf16)).expect("hover");
    assert_eq!(batches(&client, "refs").len(), sent.len(), "a batch arrived after the response");

    // The first batch: the definition, then the open document's mentions, and nothing else.
    let first = &sent[0];
    assert!(first[0]["uri"].as_str().unwrap().ends_with("/kb/entities.json"), "{}", first[0]);
    assert!(first.len() > 1 && first[1..].iter().all(|l| l["uri"] == uri), "{first:?}");
    // Then its folder before any other.
    let streamed: Vec<Value> = sent.concat();
    let folders: Vec<String> = streamed[first.len()..].iter().map(folder_of).collect();
    let switch = folders.iter().position(|f| f == "a").expect("the other folder comes last");
    assert!(folders[..switch].iter().all(|f| f == "b") && folders[switch..].iter().all(|f| f == "a"), "folders out of order");
    // Together the batches are the whole answer (the same items; order aside).
    let sorted = |mut items: Vec<Value>| {
        items.sort_by_key(|v| v.to_string());
        items
    };
    assert_eq!(streamed.len(), whole.len());
    assert_eq!(sorted(streamed), sorted(whole));
    client.shutdown_and_exit();
}

#[test]
fn highlights_and_workspace_symbols_stream_too_and_add_up_to_the_whole_answer() {
    let corpus = corpus_in_two_folders();
    let mut client = LspClient::spawn_with_progress(corpus.path());
    let path = corpus.path().join("articles/a/0000.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    client.did_open(&uri, "plaintext", 1, &text);
    let lavrov = position_of(&text, text.find("Lavrov").unwrap(), Encoding::Utf16).to_json();
    let position = json!({"textDocument": {"uri": uri}, "position": lavrov});
    let whole = client.request("textDocument/documentHighlight", position.clone()).expect("highlights");
    assert!(whole.as_array().unwrap().len() >= 2, "{whole}");
    let mut with_token = position;
    with_token["partialResultToken"] = json!(7);
    assert_eq!(client.request("textDocument/documentHighlight", with_token).expect("highlights in batches"), json!([]));
    assert_eq!(batches_numbered(&client, 7), whole.as_array().unwrap().clone());

    let whole = client.request("workspace/symbol", json!({"query": ""})).expect("symbols");
    assert!(whole.as_array().unwrap().len() > 10, "{whole}");
    let streamed = client.request("workspace/symbol", json!({"query": "", "partialResultToken": "symbols"})).expect("symbols in batches");
    assert_eq!(streamed, json!([]));
    assert_eq!(batches(&client, "symbols").concat(), whole.as_array().unwrap().clone());
    // Not at a mention: no answer at all, as before.
    let nowhere =
        json!({"textDocument": {"uri": file_uri(&corpus.path().join("articles/none.txt"))}, "position": {"line": 0, "character": 0}});
    assert_eq!(
        client
            .request(
                "textDocument/references",
                json!({"textDocument": nowhere["textDocument"], "position": nowhere["position"], "context": {"includeDeclaration": false}})
            )
            .expect("references"),
        Value::Null
    );
    client.shutdown_and_exit();
}

fn batches_numbered(client: &LspClient, token: i64) -> Vec<Value> {
    client
        .notifications
        .iter()
        .filter(|n| n["method"] == "$/progress" && n["params"]["token"] == token)
        .flat_map(|n| n["params"]["value"].as_array().unwrap().clone())
        .collect()
}
