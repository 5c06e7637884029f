//! Faults and data safety (issue 8): annotation writes survive `kill -9` at any
//! instant; two servers with two annotators writing one sidecar lose nothing;
//! the server never writes an article file.

use crate::lsp_client;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use lsp_client::{Encoding, LspClient, Position, Range, corpus_copy, file_uri, position_of};
use marginalia::annotations::{Annotation, AnnotationKind, Status, parse_annotation_file, update_annotations};
use serde_json::{Value, json};

const SEED: &str = "003_06a289d246a3710c.txt";

/// A tiny deterministic generator (64-bit LCG), so every run kills at the same
/// pseudo-random instants.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

// ---------------------------------------------------------------------------
// kill -9 during annotation writes

/// Environment variables that turn [`annotation_writer_child`] into the writer.
const WRITER_PATH: &str = "MARGINALIA_FAULTS_WRITER_SIDECAR";
const WRITER_COUNT: &str = "MARGINALIA_FAULTS_WRITER_COUNT";

/// Generation `g` of the writer: `count` annotations with ids `g{g}-{i}`.
fn generation(g: u64, count: usize) -> Vec<Annotation> {
    (0..count)
        .map(|i| Annotation {
            id: format!("g{g}-{i}"),
            kind: AnnotationKind::Entity,
            label: "PERSON".into(),
            start: i * 10,
            end: i * 10 + 6,
            exact: "Lavrov".into(),
            prefix: format!("generation {g} “quoted” 😀 "),
            suffix: " said".into(),
            entity: Some("sergey-lavrov".into()),
            speaker: None,
            annotator: "writer".into(),
            created: "2026-11-23T00:00:00Z".into(),
            status: Status::Accepted,
            extra: Default::default(),
        })
        .collect()
}

fn generation_of(annotations: &[Annotation]) -> Option<u64> {
    annotations.first()?.id.strip_prefix('g')?.split('-').next()?.parse().ok()
}

/// The writer's test name inside the one integration-test binary (`tests/it`),
/// which its parent passes to `--exact`.
const WRITER_TEST: &str = "faults::annotation_writer_child";

/// Not a test on its own: run by [`sidecar_writes_survive_kill_9_at_any_instant`]
/// as a child process (this same test binary, with the variables above set), it
/// replaces the sidecar's whole annotation set through the library's locked,
/// atomic `update_annotations`, generation after generation, until killed.
#[test]
fn annotation_writer_child() {
    let (Ok(path), Ok(count)) = (std::env::var(WRITER_PATH), std::env::var(WRITER_COUNT)) else { return };
    let count: usize = count.parse().expect("count");
    let path = PathBuf::from(path);
    println!("writer ready");
    loop {
        update_annotations(&path, |all| {
            let next = generation_of(all).unwrap_or(0) + 1;
            *all = generation(next, count);
        })
        .expect("update");
        println!("wrote");
    }
}

/// Kills a writer with SIGKILL at 300 pseudo-random instants (a new writer each
/// time, continuing from what is on disk). After each kill the sidecar parses
/// without a single malformed line and holds exactly one whole generation — the
/// one before the interrupted write or the one after — never a mix, never fewer
/// lines, never an older generation than already seen. Temporary files do not
/// accumulate (F6): a kill mid-write leaves at most the sidecar's one
/// temporary file, which the next write replaces.
#[test]
fn sidecar_writes_survive_kill_9_at_any_instant() {
    const KILLS: usize = 300;
    const COUNT: usize = 200; // ~55 KB a generation: a write takes a while
    let dir = tempfile::tempdir().unwrap();
    let sidecar = dir.path().join("article.ann.jsonl");
    update_annotations(&sidecar, |all| *all = generation(1, COUNT)).unwrap();
    let me = std::env::current_exe().expect("test binary");
    let mut lcg = Lcg(0x5eed_c0ff_ee00);
    let mut last_generation = 1;
    let mut advanced = 0;
    let mut left_a_temp_file = 0;
    let temp_files = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    };
    for kill in 0..KILLS {
        let mut child = Command::new(&me)
            .args(["--exact", WRITER_TEST, "--nocapture", "--test-threads=1"])
            .env(WRITER_PATH, &sidecar)
            .env(WRITER_COUNT, COUNT.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawning the writer");
        // Wait until the writer runs and has completed 0, 1 or 2 writes (its own
        // progress, whatever the machine's speed), then kill it a pseudo-random
        // 0-3 ms later: the kill lands anywhere in the next write.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = lines.find(|l| l.as_deref().is_ok_and(|l| l.contains("writer ready")));
        assert!(ready.is_some(), "the writer did not start (kill {kill})");
        for _ in 0..lcg.below(3) {
            let wrote = lines.find(|l| l.as_deref().is_ok_and(|l| l == "wrote"));
            assert!(wrote.is_some(), "the writer stopped writing (kill {kill})");
        }
        std::thread::sleep(Duration::from_micros(lcg.below(3_000)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaping the writer");

        let text = std::fs::read_to_string(&sidecar).expect("the sidecar exists and is UTF-8");
        let file = parse_annotation_file(&text);
        assert!(file.diagnostics.is_empty(), "kill {kill}: the sidecar has malformed lines: {:?}", file.diagnostics);
        let g = generation_of(&file.annotations).expect("a generation");
        assert_eq!(file.annotations, generation(g, COUNT), "kill {kill}: the sidecar holds a torn or mixed set");
        assert!(g >= last_generation, "kill {kill}: generation went back from {last_generation} to {g}");
        if g > last_generation {
            advanced += 1;
        }
        last_generation = g;
        let temps = temp_files();
        assert!(temps.len() <= 1 && temps.iter().all(|t| t == ".marginalia-article.ann.jsonl.tmp"), "kill {kill}: {temps:?}");
        left_a_temp_file += temps.len();
    }
    // The writers did write (the kills did not all land before the first write).
    assert!(advanced > KILLS / 3, "only {advanced} of {KILLS} writers completed a write");
    // The next write, like every write after a kill, replaces what was left.
    update_annotations(&sidecar, |all| *all = generation(last_generation + 1, COUNT)).unwrap();
    assert_eq!(temp_files(), Vec::<String>::new(), "a completed write leaves no temporary file");
    eprintln!(
        "{KILLS} kills: final generation {last_generation}, {advanced} kills after a completed write, \
         {left_a_temp_file} kills mid-write left the (one) temporary file, never more than one at a time"
    );
}

// ---------------------------------------------------------------------------
// Two annotators, two servers, one sidecar

/// An annotation of the three characters of `text` at code point `start`.
fn add_op(text: &str, id: &str, annotator: &str, start: usize) -> Value {
    let exact: String = text.chars().skip(start).take(3).collect();
    json!({"op": "add", "annotation": {
        "id": id, "kind": "entity", "label": "PERSON", "start": start, "end": start + 3,
        "exact": exact, "prefix": "", "suffix": "", "annotator": annotator,
        "created": "2026-11-23T00:00:00Z", "status": "accepted"
    }})
}

/// Two servers (annotators alice and bob) apply annotation commands to the same
/// article's sidecar at once, pipelined; every single add lands, and each
/// annotator then removes half of their own, concurrently again: the final
/// sidecar holds exactly the expected set.
#[test]
fn two_servers_two_annotators_lose_no_update() {
    const EACH: usize = 40;
    let corpus = corpus_copy();
    let article = corpus.path().join("articles").join(SEED);
    let text = std::fs::read_to_string(&article).unwrap();
    let uri = file_uri(&article);
    let mut servers: Vec<(LspClient, &str)> = ["alice", "bob"]
        .into_iter()
        .map(|name| {
            let mut client = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", name)]);
            client.initialize(None, Some(corpus.path()));
            client.did_open(&uri, "plaintext", 1, &text);
            (client, name)
        })
        .collect();
    let command = |ops: Vec<Value>| json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": uri, "ops": ops}]});

    // Round 1: interleaved adds, not waiting for answers.
    let mut pending: Vec<Vec<i64>> = vec![Vec::new(), Vec::new()];
    for i in 0..EACH {
        for (s, (client, name)) in servers.iter_mut().enumerate() {
            let id = format!("{name}-{i}");
            pending[s].push(client.send_request("workspace/executeCommand", command(vec![add_op(&text, &id, name, i * 10 + s)])));
        }
    }
    for (s, (client, _)) in servers.iter_mut().enumerate() {
        for id in pending[s].drain(..) {
            client.response(id, "executeCommand").expect("add applied");
        }
    }
    // Round 2: each removes its even-numbered annotations, concurrently.
    for (s, (client, name)) in servers.iter_mut().enumerate() {
        for i in (0..EACH).step_by(2) {
            pending[s]
                .push(client.send_request("workspace/executeCommand", command(vec![json!({"op": "remove", "id": format!("{name}-{i}")})])));
        }
    }
    for (s, (client, _)) in servers.iter_mut().enumerate() {
        for id in pending[s].drain(..) {
            client.response(id, "executeCommand").expect("remove applied");
        }
    }
    let sidecar = article.with_file_name(SEED.replace(".txt", ".ann.jsonl"));
    let file = parse_annotation_file(&std::fs::read_to_string(&sidecar).expect("sidecar written"));
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    let ids: BTreeSet<String> = file.annotations.iter().map(|a| a.id.clone()).collect();
    let expected: BTreeSet<String> =
        ["alice", "bob"].iter().flat_map(|name| (1..EACH).step_by(2).map(move |i| format!("{name}-{i}"))).collect();
    assert_eq!(ids, expected, "an update was lost or duplicated");
    assert_eq!(file.annotations.len(), EACH, "no duplicate lines");
    for (mut client, _) in servers {
        client.shutdown_and_exit();
    }
}

// ---------------------------------------------------------------------------
// The server never writes articles

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walk(dir).into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

/// A whole session — edits, saves (after the test itself writes the article, as
/// an editor does), annotation commands, code actions, hovers, close — leaves
/// every article byte-for-byte as the test last wrote it, and the knowledge
/// base and configuration untouched; the only files the server creates or
/// changes are the sidecar and its lock file.
#[test]
fn the_server_never_writes_article_files() {
    let corpus = corpus_copy();
    let before = snapshot(corpus.path());
    let article = corpus.path().join("articles").join(SEED);
    let mut text = std::fs::read_to_string(&article).unwrap();
    let uri = file_uri(&article);
    let mut client = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "alice")]);
    client.initialize(None, Some(corpus.path()));
    client.did_open(&uri, "plaintext", 1, &text);
    let lavrov = text.find("Lavrov").unwrap();
    let at = position_of(&text, lavrov, Encoding::Utf16);
    // A server-side annotation write.
    client
        .request(
            "workspace/executeCommand",
            json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": uri, "ops": [{"op": "add", "annotation": {
                "id": "a-1", "kind": "entity", "label": "PERSON", "start": text[..lavrov].chars().count(),
                "end": text[..lavrov].chars().count() + 6, "exact": "Lavrov", "prefix": "", "suffix": "",
                "entity": "sergey-lavrov", "annotator": "alice", "created": "2026-11-23T00:00:00Z", "status": "accepted"}}]}]}),
        )
        .expect("command");
    // Edits in the buffer, and saves without writing the file: the disk keeps
    // the old bytes.
    let mut version = 1;
    for insert in ["Breaking: ", "“Quoted” ", "😀 "] {
        version += 1;
        client.did_change(&uri, version, Range::new(Position::new(0, 0), Position::new(0, 0)), insert);
        text.insert_str(0, insert);
        client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
        client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": Range::new(at, at).to_json(), "context": {"diagnostics": []}}),
            )
            .expect("actions");
        client.hover(&uri, at).expect("hover");
    }
    client.wait_for_diagnostics(&uri, version);
    let on_disk_unchanged = before[&article].clone();
    assert_eq!(std::fs::read(&article).unwrap(), on_disk_unchanged, "the server wrote the article");
    // Now the "editor" writes the buffer and saves: that is the only change.
    std::fs::write(&article, &text).unwrap();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri, "text": text}}));
    client.hover(&uri, at).expect("hover after save");
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    client.shutdown_and_exit();

    let after = snapshot(corpus.path());
    let sidecar = article.with_file_name(SEED.replace(".txt", ".ann.jsonl"));
    let lock = article.with_file_name(format!(".{}.lock", SEED.replace(".txt", ".ann.jsonl")));
    for (path, bytes) in &after {
        if *path == sidecar || *path == lock {
            continue;
        }
        let expected: &[u8] = if *path == article {
            text.as_bytes()
        } else {
            before.get(path).map(Vec::as_slice).unwrap_or_else(|| panic!("the server created {}", path.display()))
        };
        assert!(bytes.as_slice() == expected, "{} changed on disk", path.display());
    }
    assert_eq!(after.len(), before.len() + 2, "only the sidecar and its lock file are new");
}
