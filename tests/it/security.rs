//! Security (issue 8): the server writes only inside its corpus — a sidecar
//! path that escapes through `..`, a symlinked folder or file, or lies
//! elsewhere altogether is refused with a clear message, by the annotation
//! command and by the offset update on save; knowledge-base and configuration
//! files are data only; the binary opens no network connection.

use crate::lsp_client;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lsp_client::{LspClient, Position, Range, file_uri};
use serde_json::{Value, json};

fn repo_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// `root/corpus` (configuration and knowledge base, no `articles/` yet) inside a
/// fresh temporary folder `root`.
fn layout() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let corpus = root.path().join("corpus");
    std::fs::create_dir_all(corpus.join("kb")).unwrap();
    std::fs::copy(repo_corpus().join("marginalia.toml"), corpus.join("marginalia.toml")).unwrap();
    for name in ["entities.json", "agreements.json"] {
        std::fs::copy(repo_corpus().join("kb").join(name), corpus.join("kb").join(name)).unwrap();
    }
    (root, corpus)
}

const ARTICLE: &str = "Lavrov said “We want peace.”\n";

/// One annotation on "Lavrov" at the start of [`ARTICLE`], by alice.
fn sidecar_line() -> String {
    json!({"id": "a-1", "kind": "entity", "label": "PERSON", "start": 0, "end": 6, "exact": "Lavrov", "prefix": "",
           "suffix": " said “We want peace.”\n", "entity": "sergey-lavrov", "annotator": "alice",
           "created": "2026-11-23T00:00:00Z", "status": "accepted"})
    .to_string()
        + "\n"
}

fn add_command(uri: &str) -> Value {
    json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": uri, "ops": [{"op": "add", "annotation": {
        "id": "evil-1", "kind": "entity", "label": "PERSON", "start": 0, "end": 6, "exact": "Lavrov", "prefix": "", "suffix": "",
        "annotator": "alice", "created": "2026-11-23T00:00:00Z", "status": "accepted"}}]}]})
}

/// Opens `uri` (an article whose sidecar lies outside the corpus), then checks
/// that (1) the annotation command is refused with `expected` in its message,
/// and (2) moving the annotated text and saving does not rewrite the sidecar:
/// `outside_sidecar` keeps its bytes, and no lock file appears beside it.
fn assert_no_write_outside(client: &mut LspClient, uri: &str, outside_sidecar: &Path, expected: &str) {
    let before = std::fs::read(outside_sidecar).ok();
    client.did_open(uri, "plaintext", 1, ARTICLE);
    let error = client.request("workspace/executeCommand", add_command(uri)).expect_err("the write is refused");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(expected), "{uri}: refusal should say {expected:?}, said {message:?}");
    // Typing before the annotation moves it; saving would write its new offsets.
    client.did_change(uri, 2, Range::new(Position::new(0, 0), Position::new(0, 0)), "Yesterday ");
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    client.hover(uri, Position::new(0, 12)).expect("hover after save"); // the save has been handled
    assert_eq!(std::fs::read(outside_sidecar).ok(), before, "{uri}: the sidecar outside the corpus was written");
    let lock = outside_sidecar.with_file_name(format!(".{}.lock", outside_sidecar.file_name().unwrap().to_string_lossy()));
    assert!(!lock.exists(), "{uri}: a lock file was created outside the corpus: {}", lock.display());
}

#[test]
fn dot_dot_in_the_uri_cannot_escape_the_corpus() {
    let (root, corpus) = layout();
    std::fs::create_dir(corpus.join("articles")).unwrap();
    let outside = root.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("a.txt"), ARTICLE).unwrap();
    std::fs::write(outside.join("a.ann.jsonl"), sidecar_line()).unwrap();
    let (mut client, _) = LspClient::start(None, Some(&corpus));
    // file:///…/corpus/articles/../../outside/a.txt, with the dots kept literally.
    let uri = format!("{}/articles/../../outside/a.txt", file_uri(&corpus));
    assert_no_write_outside(&mut client, &uri, &outside.join("a.ann.jsonl"), "refusing to write");
    // Percent-encoded dots too.
    let uri = format!("{}/articles/%2E%2E/%2e%2e/outside/a.txt", file_uri(&corpus));
    assert_no_write_outside(&mut client, &uri, &outside.join("a.ann.jsonl"), "refusing to write");
    client.shutdown_and_exit();
}

#[test]
fn a_symlinked_articles_folder_pointing_outside_is_refused() {
    let (root, corpus) = layout();
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("a.txt"), ARTICLE).unwrap();
    std::fs::write(elsewhere.join("a.ann.jsonl"), sidecar_line()).unwrap();
    std::os::unix::fs::symlink(&elsewhere, corpus.join("articles")).unwrap();
    let (mut client, _) = LspClient::start(None, Some(&corpus));
    let uri = file_uri(&corpus.join("articles").join("a.txt"));
    assert_no_write_outside(&mut client, &uri, &elsewhere.join("a.ann.jsonl"), "outside the corpus");
    client.shutdown_and_exit();
}

#[test]
fn a_symlinked_sidecar_pointing_outside_is_refused() {
    let (root, corpus) = layout();
    std::fs::create_dir(corpus.join("articles")).unwrap();
    let target = root.path().join("target.jsonl");
    std::fs::write(&target, sidecar_line()).unwrap();
    std::fs::write(corpus.join("articles").join("a.txt"), ARTICLE).unwrap();
    std::os::unix::fs::symlink(&target, corpus.join("articles").join("a.ann.jsonl")).unwrap();
    let (mut client, _) = LspClient::start(None, Some(&corpus));
    let uri = file_uri(&corpus.join("articles").join("a.txt"));
    let before = std::fs::read(&target).unwrap();
    client.did_open(&uri, "plaintext", 1, ARTICLE);
    let error = client.request("workspace/executeCommand", add_command(&uri)).expect_err("refused");
    assert!(error["message"].as_str().unwrap_or_default().contains("outside the corpus"), "{error}");
    client.did_change(&uri, 2, Range::new(Position::new(0, 0), Position::new(0, 0)), "Yesterday ");
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    client.hover(&uri, Position::new(0, 12)).expect("hover");
    assert_eq!(std::fs::read(&target).unwrap(), before, "the symlink's target outside the corpus was written");
    assert!(corpus.join("articles").join("a.ann.jsonl").is_symlink(), "the symlink itself was replaced");
    client.shutdown_and_exit();
}

#[test]
fn absolute_paths_outside_any_corpus_are_refused() {
    let (root, corpus) = layout();
    std::fs::create_dir(corpus.join("articles")).unwrap();
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("b.txt"), ARTICLE).unwrap();
    std::fs::write(elsewhere.join("b.ann.jsonl"), sidecar_line()).unwrap();
    let (mut client, _) = LspClient::start(None, Some(&corpus));
    let uri = file_uri(&elsewhere.join("b.txt"));
    assert_no_write_outside(&mut client, &uri, &elsewhere.join("b.ann.jsonl"), "not inside a corpus");
    // /etc/passwd as an "article": nothing is written next to it either.
    let uri = "file:///etc/passwd.txt";
    client.did_open(uri, "plaintext", 1, ARTICLE);
    let error = client.request("workspace/executeCommand", add_command(uri)).expect_err("refused");
    assert!(error["message"].as_str().unwrap_or_default().contains("refusing to write"), "{error}");
    assert!(!Path::new("/etc/passwd.ann.jsonl").exists());
    client.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// Data only, no network

/// A corpus whose knowledge base and configuration point at a local listener
/// (`$schema`, `sources`, a config value) and hold shell syntax: a whole
/// session and a `check` run neither connect to the listener nor run anything.
#[test]
fn kb_and_config_are_data_only() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (root, corpus) = layout();
    std::fs::create_dir(corpus.join("articles")).unwrap();
    let marker = root.path().join("executed");
    let kb = json!({
        "$schema": format!("{url}/kb.schema.json"),
        "entities": [{
            "id": "shell-person", "name": format!("$(touch {})", marker.display()), "kind": "person",
            "aliases": [format!("`touch {}`", marker.display())],
            "description": format!("<script src=\"{url}/x.js\"></script>"),
            "sources": [format!("{url}/source"), format!("file://{}", marker.display())]
        }]
    });
    std::fs::write(corpus.join("kb").join("remote.json"), serde_json::to_string_pretty(&kb).unwrap()).unwrap();
    let mut config = std::fs::read_to_string(corpus.join("marginalia.toml")).unwrap();
    config = config.replace("kb = [\"kb\"]", &format!("kb = [\"kb\", \"{url}/kb.json\", \"$(touch {})\"]", marker.display()));
    std::fs::write(corpus.join("marginalia.toml"), config).unwrap();
    let article = corpus.join("articles").join("a.txt");
    std::fs::write(&article, format!("Lavrov said “We want peace.” See {url}/article.\n")).unwrap();

    let (mut client, _) = LspClient::start(None, Some(&corpus));
    let uri = file_uri(&article);
    client.did_open(&uri, "plaintext", 1, &std::fs::read_to_string(&article).unwrap());
    client.hover(&uri, Position::new(0, 1)).expect("hover");
    client.request("workspace/symbol", json!({"query": "touch"})).expect("symbols");
    client.shutdown_and_exit();
    let _ = Command::new(env!("CARGO_BIN_EXE_marginalia")).arg("check").arg(&corpus).output().expect("check");
    let _ = Command::new(env!("CARGO_BIN_EXE_marginalia")).args(["analyze", "--format", "json"]).arg(&article).output().expect("analyze");

    match listener.accept() {
        Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("something connected to the URL named in the corpus: {other:?}"),
    }
    assert!(!marker.exists(), "shell syntax in the corpus was executed");
}

/// Under `strace -f -e trace=network`, an LSP session over the bundled corpus
/// and a `check` make no network system call at all (no socket, connect,
/// sendto...). Skipped, saying so, where strace is missing or ptrace is not
/// permitted; CI installs strace (RELIABILITY.md).
#[test]
fn no_network_system_calls_under_strace() {
    let strace_works = Command::new("strace").args(["-f", "-qq", "-o", "/dev/null", "true"]).status().is_ok_and(|s| s.success());
    if !strace_works {
        if std::env::var_os("MARGINALIA_REQUIRE_STRACE").is_some() {
            panic!("strace is required (MARGINALIA_REQUIRE_STRACE) but missing or not permitted");
        }
        eprintln!("SKIPPED: strace is missing or ptrace is not permitted here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let frame = |message: Value| {
        let body = message.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    let seed = repo_corpus().join("articles").join("000_650f7ada08eebc05.txt");
    let initialize = frame(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "rootUri": file_uri(&repo_corpus())}}),
    );
    let session = [
        frame(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})),
        frame(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": file_uri(&seed), "languageId": "plaintext", "version": 1, "text": std::fs::read_to_string(&seed).unwrap()}}})),
        frame(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": file_uri(&seed)}, "position": {"line": 2, "character": 3}}})),
        frame(json!({"jsonrpc": "2.0", "id": 3, "method": "workspace/symbol", "params": {"query": "Lavrov"}})),
        frame(json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown"})),
    ]
    .concat();
    for (name, args) in [("lsp", vec!["lsp".to_string()]), ("check", vec!["check".into(), repo_corpus().display().to_string()])] {
        let trace = dir.path().join(format!("{name}.trace"));
        let mut child = Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=network", "-o"])
            .arg(&trace)
            .arg(env!("CARGO_BIN_EXE_marginalia"))
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("strace runs");
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        if name == "lsp" {
            // A well-behaved client: nothing but `initialized` before the
            // InitializeResult arrives.
            stdin.write_all(initialize.as_bytes()).unwrap();
            stdin.flush().unwrap();
            assert!(read_until_response(&mut stdout, 1)["result"]["capabilities"].is_object());
            stdin.write_all(session.as_bytes()).unwrap();
            stdin.flush().unwrap();
            assert_eq!(read_until_response(&mut stdout, 4)["result"], Value::Null, "shutdown answered");
            stdin.write_all(frame(json!({"jsonrpc": "2.0", "method": "exit"})).as_bytes()).unwrap();
        }
        drop(stdin);
        std::io::copy(&mut stdout, &mut std::io::sink()).unwrap();
        let status = child.wait().unwrap();
        if name == "lsp" {
            assert!(status.success(), "marginalia lsp under strace: {status}");
        }
        let calls = std::fs::read_to_string(&trace).expect("trace written");
        // Every line but signal (`--- SIG…`) and exit (`+++ exited`) notices is a
        // network system call.
        // Looking up the account name (`getpwuid_r`, when USER is unset) asks
        // glibc's name-service cache over its local Unix socket: IPC on this
        // machine, not the network, and allowed as such.
        let nscd = |l: &str| l.contains("AF_UNIX") && (l.contains("socket(AF_UNIX") || l.contains("/var/run/nscd/socket"));
        let calls: Vec<&str> =
            calls.lines().filter(|l| !l.contains(" --- ") && !l.contains(" +++ ") && !l.trim().is_empty() && !nscd(l)).collect();
        assert!(calls.is_empty(), "marginalia {name} made network system calls:\n{}", calls.join("\n"));
    }
}

/// Reads framed messages from `stdout` until the response to request `id`.
fn read_until_response(stdout: &mut impl std::io::BufRead, id: i64) -> Value {
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "the server ended before answering request {id}");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = Some(value.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("Content-Length")];
        std::io::Read::read_exact(stdout, &mut body).unwrap();
        let message: Value = serde_json::from_slice(&body).unwrap();
        if message["id"] == id && message.get("method").is_none() {
            return message;
        }
    }
}
