//! The LSP benchmark harness: drives the real `marginalia lsp` binary over stdio
//! and measures what an annotator feels, then writes `results.json`, a Markdown
//! table and an SVG plot of latency against document size.
//!
//! ```sh
//! cargo build --release && cargo run --release --example lsp_bench -- [--quick] [--keystrokes-only] [--peers] [--out bench-results]
//! ```
//!
//! - keystroke → `publishDiagnostics` for that version, by document size (client-observed
//!   and server-side, the latter from the server's `marginalia::timing` log);
//! - hover, definition, references, semantic tokens, inlay hints on a 10k-article corpus;
//! - cold start (initialize → first diagnostics) on the bundled corpus;
//! - indexing time and peak memory for 10k and 100k articles;
//! - `marginalia check` over the 100k corpus (time, MB/s, peak memory) next to `grep -c '“'`.

#[path = "../benches/support/generator.rs"]
mod generator;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(600);

fn binary() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/marginalia");
    assert!(path.is_file(), "build the server first: cargo build --release");
    path
}

/// A minimal LSP client over the child's stdio.
struct Server {
    child: Child,
    stdin: ChildStdin,
    /// Each message with the moment its last byte was read (before parsing).
    messages: Receiver<(Instant, Value)>,
    /// When the last message `wait` returned had been read.
    last_read: Instant,
    next_id: i64,
    /// Server-side publish latencies by document version, from stderr.
    timings: Arc<Mutex<Vec<(i64, u64)>>>,
    notifications: Vec<Value>,
}

impl Server {
    fn start(root: &Path, progress: bool) -> (Server, Instant) {
        let mut command = Command::new(binary());
        command.arg("lsp").env("MARGINALIA_LOG", "warn,marginalia::timing=debug");
        Server::start_command(command, root, progress)
    }

    /// Any language server, driven by the same client as marginalia's (the
    /// peer comparison of issue 20).
    fn start_command(mut command: Command, root: &Path, progress: bool) -> (Server, Instant) {
        let started = Instant::now();
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start the server");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if stdout.read_exact(&mut body).is_err() {
                    return;
                }
                let read = Instant::now();
                if sender.send((read, serde_json::from_slice(&body).expect("server sends JSON"))).is_err() {
                    return;
                }
            }
        });
        let timings = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = timings.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let field = |name: &str| {
                    line.split(&format!("{name}="))
                        .nth(1)
                        .and_then(|r| r.split([' ', ',']).next())
                        .and_then(|v| v.trim_start_matches("Some(").trim_end_matches(')').parse().ok())
                };
                if let (Some(version), Some(elapsed)) = (field("version"), field("elapsed_us")) {
                    sink.lock().unwrap().push((version as i64, elapsed));
                }
            }
        });
        let mut server = Server { child, stdin, messages, last_read: Instant::now(), next_id: 0, timings, notifications: Vec::new() };
        let uri = file_uri(root);
        let capabilities = if progress { json!({"window": {"workDoneProgress": true}}) } else { json!({}) };
        server.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "bench"}], "capabilities": capabilities}),
        );
        server.notify("initialized", json!({}));
        (server, started)
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Waits for the next message matching `accept`, answering server requests.
    fn wait(&mut self, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.notifications.iter().position(&accept) {
            return self.notifications.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let (read, message) =
                self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("the server answers in time");
            self.last_read = read;
            if message.get("method").is_some() && message.get("id").is_some() {
                self.send(json!({"jsonrpc": "2.0", "id": message["id"], "result": null}));
                continue;
            }
            if accept(&message) {
                return message;
            }
            if message.get("method").is_some() {
                self.notifications.push(message);
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait(|m| m["id"] == id && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    fn wait_diagnostics(&mut self, uri: &str, version: i64) {
        let uri = uri.to_string();
        self.wait(move |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && m["params"]["version"] == version
        });
    }

    /// The next diagnostics for `uri` published after now, for servers that
    /// do not say which version they are for (harper-ls).
    fn wait_next_diagnostics(&mut self, uri: &str) {
        let uri = uri.to_string();
        self.notifications.retain(|m| !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri));
        self.wait(move |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    }

    fn server_latency(&self, version: i64) -> Option<u64> {
        self.timings.lock().unwrap().iter().rev().find(|(v, _)| *v == version).map(|(_, e)| *e)
    }

    /// Peak resident memory so far (VmHWM), in MiB.
    fn peak_mib(&self) -> f64 {
        peak_mib(self.child.id())
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn peak_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap_or_else(|_| path.to_path_buf()).display())
}

/// UTF-16 position of byte `offset` (the harness's documents are mostly ASCII).
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[line_start..offset].encode_utf16().count()})
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    if samples.is_empty() {
        return f64::NAN;
    }
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

#[derive(serde::Serialize)]
struct Latency {
    what: String,
    size_bytes: usize,
    samples: usize,
    p50_ms: f64,
    p99_ms: f64,
    server_p50_ms: Option<f64>,
    server_p99_ms: Option<f64>,
}

fn latency(what: &str, size: usize, client: &mut [f64], server: &mut [f64]) -> Latency {
    let has_server = !server.is_empty();
    Latency {
        what: what.into(),
        size_bytes: size,
        samples: client.len(),
        p50_ms: percentile(client, 0.5),
        p99_ms: percentile(client, 0.99),
        server_p50_ms: has_server.then(|| percentile(server, 0.5)),
        server_p99_ms: has_server.then(|| percentile(server, 0.99)),
    }
}

/// The server a keystroke run drives: marginalia, or a peer on the same document.
#[derive(Clone, Copy, PartialEq)]
enum Peer<'a> {
    Marginalia,
    /// harper-ls at this path (`cargo install harper-ls --locked`).
    HarperLs(&'a Path),
}

/// Types one character at a random place, `count` times, timing each edit to its diagnostics.
fn keystrokes(corpus: &Path, text: &str, count: usize, rng: &mut fastrand::Rng) -> Latency {
    keystrokes_on(Peer::Marginalia, corpus, text, count, rng)
}

fn keystrokes_on(peer: Peer, corpus: &Path, text: &str, count: usize, rng: &mut fastrand::Rng) -> Latency {
    let path = corpus.join("articles/keystrokes.txt");
    std::fs::write(&path, text).unwrap();
    let (mut server, _) = match peer {
        Peer::Marginalia => Server::start(corpus, false),
        Peer::HarperLs(program) => {
            let mut command = Command::new(program);
            command.arg("--stdio");
            Server::start_command(command, corpus, false)
        }
    };
    let uri = file_uri(&path);
    let mut text = text.to_string();
    // harper-ls lints Markdown and plain text; its plain-text mode is the one for articles.
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}));
    match peer {
        Peer::Marginalia => server.wait_diagnostics(&uri, 1),
        Peer::HarperLs(_) => server.wait_next_diagnostics(&uri),
    }
    let (mut client, mut inside) = (Vec::new(), Vec::new());
    for version in 2..2 + count as i64 {
        let mut offset = rng.usize(..text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let at = position(&text, offset);
        let typed = if rng.u8(..10) == 0 { " " } else { "e" };
        text.insert_str(offset, typed);
        let started = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": typed}]}),
        );
        match peer {
            Peer::Marginalia => server.wait_diagnostics(&uri, version),
            Peer::HarperLs(_) => server.wait_next_diagnostics(&uri),
        }
        client.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(us) = server.server_latency(version) {
            inside.push(us as f64 / 1000.0);
        }
    }
    server.stop();
    std::fs::remove_file(&path).unwrap();
    latency("keystroke → diagnostics", text.len(), &mut client, &mut inside)
}

/// Opens the corpus's first article, waits for its diagnostics and returns its
/// URI, text and `marginalia/analyze` report: the article the request
/// benchmarks ask about.
fn open_first_article(server: &mut Server, corpus: &Path) -> (String, String, Value) {
    let path = corpus.join("articles/000/000000.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}));
    server.wait_diagnostics(&uri, 1);
    let report = server.request("marginalia/analyze", json!({"textDocument": {"uri": uri}}));
    (uri, text, report)
}

/// Hover, definition, references, semantic tokens and inlay hints on one article
/// of a large corpus, at its mentions.
fn requests(corpus: &Path, count: usize, rng: &mut fastrand::Rng) -> Vec<Latency> {
    let (mut server, _) = Server::start(corpus, true);
    // Wait for the background index before timing references.
    server.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let (uri, text, report) = open_first_article(&mut server, corpus);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mentions: Vec<usize> =
        report["entities"].as_array().unwrap().iter().map(|e| chars[e["start"].as_u64().unwrap() as usize].0).collect();
    let agreements: Vec<usize> =
        report["agreements"].as_array().unwrap().iter().map(|e| chars[e["start"].as_u64().unwrap() as usize].0).collect();
    let targets = if agreements.is_empty() { &mentions } else { &agreements };
    let mut results = Vec::new();
    let requests: [(&str, &str); 5] = [
        ("hover", "textDocument/hover"),
        ("definition", "textDocument/definition"),
        ("references", "textDocument/references"),
        ("semantic tokens", "textDocument/semanticTokens/full"),
        ("inlay hints", "textDocument/inlayHint"),
    ];
    for (name, method) in requests {
        let mut samples = Vec::new();
        for _ in 0..count {
            let pool = if name == "definition" { targets } else { &mentions };
            let at = position(&text, pool[rng.usize(..pool.len())]);
            let params = match name {
                "semantic tokens" => json!({"textDocument": {"uri": uri}}),
                "inlay hints" => {
                    json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": position(&text, text.len())}})
                }
                "references" => json!({"textDocument": {"uri": uri}, "position": at, "context": {"includeDeclaration": true}}),
                _ => json!({"textDocument": {"uri": uri}, "position": at}),
            };
            let started = Instant::now();
            server.request(method, params);
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        results.push(latency(name, text.len(), &mut samples, &mut []));
    }
    server.stop();
    results
}

/// Find-references as an editor that asks for partial results sees it (issue
/// 20): from sending the request to the first `$/progress` batch, and to the
/// final response, on random mentions of one article of the corpus; then, for
/// each entity the article names, the whole answer without partial results,
/// with its size. Returns the latencies and the per-entity rows.
fn streamed_references(corpus: &Path, count: usize, rng: &mut fastrand::Rng) -> (Vec<Latency>, Vec<WholeAnswer>) {
    let (mut server, _) = Server::start(corpus, true);
    server.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let (uri, text, report) = open_first_article(&mut server, corpus);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let entities: Vec<(usize, String)> = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (chars[e["start"].as_u64().unwrap() as usize].0, e["id"].as_str().unwrap().to_string()))
        .collect();
    let peak_before = server.peak_mib();
    let (mut first, mut last) = (Vec::new(), Vec::new());
    for sample in 0..count {
        let at = position(&text, entities[rng.usize(..entities.len())].0);
        let token = format!("refs-{sample}");
        server.next_id += 1;
        let id = server.next_id;
        let params =
            json!({"textDocument": {"uri": uri}, "position": at, "context": {"includeDeclaration": true}, "partialResultToken": token});
        let started = Instant::now();
        server.send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/references", "params": params}));
        server.wait(|m| m["method"] == "$/progress" && m["params"]["token"] == token.as_str());
        first.push(started.elapsed().as_secs_f64() * 1000.0);
        server.wait(|m| m["id"] == id && m.get("method").is_none());
        last.push(started.elapsed().as_secs_f64() * 1000.0);
        server.notifications.retain(|m| m["params"]["token"] != token.as_str());
    }
    let mut wholes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (offset, entity) in &entities {
        if !seen.insert(entity.clone()) {
            continue;
        }
        let params = json!({"textDocument": {"uri": uri}, "position": position(&text, *offset), "context": {"includeDeclaration": true}});
        let started = Instant::now();
        let locations = server.request("textDocument/references", params).as_array().map_or(0, Vec::len);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        // Until its last byte was read, before this client's own JSON parsing.
        let received_ms = server.last_read.duration_since(started).as_secs_f64() * 1000.0;
        wholes.push(WholeAnswer { entity: entity.clone(), locations, received_ms, ms, peak_mib: 0.0 });
    }
    let peak_after = server.peak_mib();
    for whole in &mut wholes {
        whole.peak_mib = peak_after;
    }
    eprintln!("server peak memory: {peak_before:.0} MiB before the references, {peak_after:.0} MiB after");
    server.stop();
    wholes.sort_by_key(|w| std::cmp::Reverse(w.locations));
    let size = text.len();
    (
        vec![latency("references, first batch", size, &mut first, &mut []), latency("references, last response", size, &mut last, &mut [])],
        wholes,
    )
}

#[derive(serde::Serialize)]
struct WholeAnswer {
    entity: String,
    locations: usize,
    /// From sending the request to the answer's last byte read.
    received_ms: f64,
    /// The same, plus parsing it into a `serde_json::Value`.
    ms: f64,
    /// The server's peak resident memory after all the whole answers.
    peak_mib: f64,
}

#[derive(serde::Serialize)]
struct Indexing {
    articles: usize,
    seconds: f64,
    peak_mib: f64,
    first_answer_ms: f64,
}

fn indexing(corpus: &Path, articles: usize) -> Indexing {
    let (mut server, started) = Server::start(corpus, true);
    // A request answered while indexing runs.
    let asked = Instant::now();
    server.request("workspace/symbol", json!({"query": "lavrov"}));
    let first_answer_ms = asked.elapsed().as_secs_f64() * 1000.0;
    server.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let seconds = started.elapsed().as_secs_f64();
    let peak_mib = server.peak_mib();
    server.stop();
    Indexing { articles, seconds, peak_mib, first_answer_ms }
}

#[derive(serde::Serialize)]
struct ColdStart {
    runs: usize,
    median_ms: f64,
}

fn cold_start() -> ColdStart {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let path = corpus.join("articles/004_a2fe9243e21dc331.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut samples = Vec::new();
    for _ in 0..10 {
        let (mut server, started) = Server::start(&corpus, false);
        let uri = file_uri(&path);
        server.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}));
        server.wait_diagnostics(&uri, 1);
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        server.stop();
    }
    ColdStart { runs: samples.len(), median_ms: percentile(&mut samples, 0.5) }
}

#[derive(serde::Serialize)]
struct Check {
    articles: usize,
    megabytes: f64,
    seconds: f64,
    mb_per_second: f64,
    peak_mib: f64,
    grep_seconds: f64,
}

/// Runs a command to completion, sampling its peak memory; returns (seconds, MiB).
fn timed(mut command: Command) -> (f64, f64) {
    let started = Instant::now();
    let mut child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("run");
    let mut peak: f64 = 0.0;
    loop {
        peak = peak.max(peak_mib(child.id()));
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (started.elapsed().as_secs_f64(), peak)
}

fn check(corpus: &Path, articles: usize) -> Check {
    let bytes: u64 = walk(&corpus.join("articles")).iter().map(|p| p.metadata().map(|m| m.len()).unwrap_or(0)).sum();
    let mut command = Command::new(binary());
    command.args(["check", "--format", "json"]).arg(corpus);
    let (seconds, peak_mib) = timed(command);
    let mut grep = Command::new("grep");
    grep.args(["-rc", "“"]).arg(corpus.join("articles"));
    let (grep_seconds, _) = timed(grep);
    let megabytes = bytes as f64 / 1e6;
    Check { articles, megabytes, seconds, mb_per_second: megabytes / seconds, peak_mib, grep_seconds }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

fn plot(latencies: &[Latency], out: &Path) {
    use plotters::prelude::*;
    let points: Vec<&Latency> = latencies.iter().filter(|l| l.what.starts_with("keystroke")).collect();
    let root = SVGBackend::new(out, (720, 420)).into_drawing_area();
    root.fill(&WHITE).unwrap();
    let max_ms = points.iter().map(|l| l.p99_ms).fold(1.0, f64::max) * 1.2;
    let mut chart = ChartBuilder::on(&root)
        .caption("keystroke → diagnostics latency by document size", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d((1_000f64..50_000_000f64).log_scale(), (0.01f64..max_ms).log_scale())
        .unwrap();
    chart.configure_mesh().x_desc("document size (bytes)").y_desc("latency (ms)").draw().unwrap();
    type Series = (&'static str, RGBColor, fn(&Latency) -> Option<f64>);
    let series: [Series; 4] = [
        ("client p50", BLUE, |l| Some(l.p50_ms)),
        ("client p99", RED, |l| Some(l.p99_ms)),
        ("server p50", GREEN, |l| l.server_p50_ms),
        ("server p99", MAGENTA, |l| l.server_p99_ms),
    ];
    for (name, color, value) in series {
        let data: Vec<(f64, f64)> = points.iter().filter_map(|l| Some((l.size_bytes as f64, value(l)?.max(0.011)))).collect();
        chart
            .draw_series(LineSeries::new(data.clone(), color.stroke_width(2)))
            .unwrap()
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        chart.draw_series(data.into_iter().map(|p| Circle::new(p, 3, color.filled()))).unwrap();
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .unwrap();
    root.present().unwrap();
}

/// The latency table, in Markdown.
fn print_latencies(latencies: &[Latency]) {
    let ms = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.2}"));
    println!("| measurement | size | samples | p50 ms | p99 ms | server p50 ms | server p99 ms |\n|---|---:|---:|---:|---:|---:|---:|");
    for l in latencies {
        println!(
            "| {} | {} B | {} | {:.2} | {:.2} | {} | {} |",
            l.what,
            l.size_bytes,
            l.samples,
            l.p50_ms,
            l.p99_ms,
            ms(l.server_p50_ms),
            ms(l.server_p99_ms)
        );
    }
}

/// harper-ls where `cargo install` puts it, or on PATH.
fn harper_ls() -> Option<PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin/harper-ls"));
    let on_path =
        std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("harper-ls")).find(|p| p.is_file()));
    cargo_bin.filter(|p| p.is_file()).or(on_path)
}

/// The seed articles joined: the document of the peer comparison.
fn seeds_joined(bundled: &Path) -> String {
    let mut paths: Vec<PathBuf> =
        walk(&bundled.join("articles")).into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    paths.sort();
    // The five seeds (000–004); articles added to the corpus later stay out.
    paths.iter().take(5).map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n\n")
}

fn peers(bundled: &Path, corpus: &Path, rng: &mut fastrand::Rng) {
    let Some(harper) = harper_ls() else {
        eprintln!("harper-ls is not installed (cargo install harper-ls --locked): the peer comparison is skipped");
        return;
    };
    let version =
        Command::new(&harper).arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    let seeds = seeds_joined(bundled);
    let documents = [(seeds.clone(), 300), ([seeds.as_str(); 10].join("\n\n"), 100)];
    println!(
        "| document | samples | marginalia p50 ms | p99 ms | {version} p50 ms | p99 ms | ratio p50 | ratio p99 |\n|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (document, count) in documents {
        eprintln!("keystrokes on {} bytes, marginalia and harper-ls ...", document.len());
        let ours = keystrokes_on(Peer::Marginalia, corpus, &document, count, rng);
        let theirs = keystrokes_on(Peer::HarperLs(&harper), corpus, &document, count, rng);
        println!(
            "| {} KB | {count} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            document.len() / 1000,
            ours.p50_ms,
            ours.p99_ms,
            theirs.p50_ms,
            theirs.p99_ms,
            ours.p50_ms / theirs.p50_ms,
            ours.p99_ms / theirs.p99_ms
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let out =
        args.iter().position(|a| a == "--out").and_then(|i| args.get(i + 1)).map_or_else(|| PathBuf::from("bench-results"), PathBuf::from);
    std::fs::create_dir_all(&out).unwrap();
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let scratch = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(1);
    let mut generator = generator::Generator::from_seeds(&bundled.join("articles"), 42);
    // `--indexing-only N`: just the indexing time and peak memory for N articles.
    if let Some(count) = args.iter().position(|a| a == "--indexing-only").and_then(|i| args.get(i + 1)?.parse::<usize>().ok()) {
        let corpus = scratch.path().join("corpus");
        generator::Generator::from_seeds(&bundled.join("articles"), count as u64).write_corpus(&bundled, &corpus, count);
        let i = indexing(&corpus, count);
        println!("| {} articles | {:.2} | {:.0} | {:.1} |", i.articles, i.seconds, i.peak_mib, i.first_answer_ms);
        return;
    }

    // `--references-only CORPUS`: streamed references on an existing corpus
    // (`gen_corpus corpus /tmp/corpus-10k 10000`), printed.
    if let Some(corpus) = args.iter().position(|a| a == "--references-only").and_then(|i| args.get(i + 1)) {
        let (streamed, wholes) = streamed_references(Path::new(corpus), if quick { 50 } else { 300 }, &mut rng);
        print_latencies(&streamed);
        println!(
            "\n| references, whole answer (no partial results) | locations | received ms | parsed ms | server peak MiB |\n|---|---:|---:|---:|---:|"
        );
        for w in &wholes {
            println!("| {} | {} | {:.1} | {:.1} | {:.0} |", w.entity, w.locations, w.received_ms, w.ms, w.peak_mib);
        }
        return;
    }
    let small = scratch.path().join("small");
    generator.write_corpus(&bundled, &small, 10);
    // `--peers`: keystroke → diagnostics for marginalia and harper-ls, one after
    // the other in this run, by this client, on the seed articles joined (20 KB)
    // and joined ten times (200 KB).
    if args.iter().any(|a| a == "--peers") {
        peers(&bundled, &small, &mut rng);
        return;
    }
    let sizes: &[(usize, usize)] = if quick {
        &[(20_000, 50), (2_000_000, 10)]
    } else {
        &[(5_000, 200), (20_000, 300), (200_000, 100), (2_000_000, 50), (20_000_000, 10)]
    };
    let mut latencies = Vec::new();
    for &(size, count) in sizes {
        let document = generator.article(size);
        eprintln!("keystrokes on {size} bytes ...");
        latencies.push(keystrokes(&small, &document, count, &mut rng));
    }
    // `--keystrokes-only`: just the typing latencies, without writing results.
    if args.iter().any(|a| a == "--keystrokes-only") {
        print_latencies(&latencies);
        return;
    }
    eprintln!("cold start ...");
    let cold = cold_start();

    let counts: &[usize] = if quick { &[10_000] } else { &[10_000, 100_000] };
    let mut indexings = Vec::new();
    let mut checks = Vec::new();
    let mut wholes = Vec::new();
    for &count in counts {
        let corpus = scratch.path().join(format!("corpus-{count}"));
        eprintln!("generating {count} articles ...");
        generator::Generator::from_seeds(&bundled.join("articles"), count as u64).write_corpus(&bundled, &corpus, count);
        eprintln!("indexing {count} ...");
        indexings.push(indexing(&corpus, count));
        if count == 10_000 {
            eprintln!("requests on the 10k corpus ...");
            latencies.extend(requests(&corpus, if quick { 50 } else { 300 }, &mut rng));
            eprintln!("streamed references on the 10k corpus ...");
            let (streamed, answers) = streamed_references(&corpus, if quick { 50 } else { 300 }, &mut rng);
            latencies.extend(streamed);
            wholes = answers;
        }
        if count == *counts.last().unwrap() {
            eprintln!("check over {count} ...");
            checks.push(check(&corpus, count));
        }
        std::fs::remove_dir_all(&corpus).unwrap();
    }

    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_default();
    let machine = format!("{} cores, {cpu}", std::thread::available_parallelism().map_or(0, |n| n.get()));
    let results = json!({"machine": machine, "latency": latencies, "cold_start": cold, "indexing": indexings, "check": checks, "references_whole": wholes});
    std::fs::write(out.join("results.json"), serde_json::to_string_pretty(&results).unwrap()).unwrap();
    plot(&latencies, &out.join("latency.svg"));

    println!("Machine: {machine}\n");
    print_latencies(&latencies);
    println!(
        "\n| references, whole answer (no partial results) | locations | received ms | parsed ms | server peak MiB |\n|---|---:|---:|---:|---:|"
    );
    for w in &wholes {
        println!("| {} | {} | {:.1} | {:.1} | {:.0} |", w.entity, w.locations, w.received_ms, w.ms, w.peak_mib);
    }
    println!("\n| cold start (initialize → first diagnostics, bundled corpus) | median {:.1} ms over {} runs |", cold.median_ms, cold.runs);
    println!("\n| indexing | seconds | peak MiB | first answer while indexing (ms) |\n|---:|---:|---:|---:|");
    for i in &indexings {
        println!("| {} articles | {:.2} | {:.0} | {:.1} |", i.articles, i.seconds, i.peak_mib, i.first_answer_ms);
    }
    println!("\n| check | MB | seconds | MB/s | peak MiB | grep -c '“' seconds |\n|---:|---:|---:|---:|---:|---:|");
    for c in &checks {
        println!(
            "| {} articles | {:.1} | {:.2} | {:.1} | {:.0} | {:.2} |",
            c.articles, c.megabytes, c.seconds, c.mb_per_second, c.peak_mib, c.grep_seconds
        );
    }
    eprintln!("wrote {} and {}", out.join("results.json").display(), out.join("latency.svg").display());
}
