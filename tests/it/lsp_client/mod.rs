//! A small LSP client for protocol-level tests: it drives the real
//! `marginalia lsp` binary over stdio, frames messages with `Content-Length`,
//! and checks that stdout carries nothing but well-formed JSON-RPC.
//!
//! It also holds the test side's own position arithmetic (UTF-8/16/32 over
//! `\n`, `\r\n` and `\r` line breaks), written independently of the server's.

#![allow(dead_code)] // Each test binary uses its own subset of the helpers.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Upper bound for any single answer from the server. Never a correctness
/// condition: a test only fails on it when the server is hung. Generous because
/// all integration tests share one binary and run two at a time beside the
/// heavy ones (a 3 MB article analysed in a debug build, a million-entry KB):
/// at a load average of 14 the 3 MB article's diagnostics took over 30 s.
pub const TIMEOUT: Duration = Duration::from_secs(120);
/// Upper bound for the process to exit after `exit`.
pub const EXIT_TIMEOUT: Duration = Duration::from_secs(10);

pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_REQUEST: i64 = -32600;
pub const SERVER_NOT_INITIALIZED: i64 = -32002;

enum Incoming {
    Message(Value),
    /// Anything on stdout that is not a framed JSON-RPC message.
    Garbage(String),
    /// stdout closed at a message boundary.
    Eof,
}

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Incoming>,
    next_id: i64,
    responses: HashMap<i64, Value>,
    /// Every notification the server sent, in arrival order.
    pub notifications: Vec<Value>,
    /// Error responses with a null id (to messages that could not be decoded).
    pub null_id_errors: Vec<Value>,
    stderr: Arc<Mutex<Vec<u8>>>,
    protocol_errors: Vec<String>,
    stdout_closed: bool,
    reader: Option<JoinHandle<()>>,
    stderr_reader: Option<JoinHandle<()>>,
    exited: bool,
}

impl LspClient {
    /// Starts `marginalia lsp` in the crate root.
    pub fn spawn() -> LspClient {
        LspClient::spawn_with_env(&[])
    }

    /// A server initialized on the corpus at `root` (its one workspace folder)
    /// by a client that takes `$/progress` (`window.workDoneProgress`): what
    /// the indexing and streaming tests need.
    pub fn spawn_with_progress(root: &Path) -> LspClient {
        let mut client = LspClient::spawn();
        let root = file_uri(root);
        client
            .request(
                "initialize",
                json!({"processId": null, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "big"}],
                       "capabilities": {"window": {"workDoneProgress": true}}}),
            )
            .expect("initialize");
        client.notify("initialized", json!({}));
        client
    }

    /// Starts `marginalia lsp` in the crate root with extra environment variables.
    pub fn spawn_with_env(env: &[(&str, &str)]) -> LspClient {
        let mut command = Command::new(env!("CARGO_BIN_EXE_marginalia"));
        command
            .arg("lsp")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("starting `marginalia lsp`");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");
        let (sender, incoming) = channel();
        let reader = std::thread::spawn(move || read_messages(BufReader::new(stdout), sender));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        let stderr_reader = std::thread::spawn(move || {
            let mut pipe = stderr_pipe;
            let mut buffer = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        LspClient {
            child,
            stdin: Some(stdin),
            incoming,
            next_id: 1,
            responses: HashMap::new(),
            notifications: Vec::new(),
            null_id_errors: Vec::new(),
            stderr,
            protocol_errors: Vec::new(),
            stdout_closed: false,
            reader: Some(reader),
            stderr_reader: Some(stderr_reader),
            exited: false,
        }
    }

    /// What the server wrote to stderr so far (its logs).
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Waits until the server's stderr holds `needle` (a log line marking that
    /// it got somewhere), failing after `timeout`.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) {
        let deadline = std::time::Instant::now() + timeout;
        while !self.stderr().contains(needle) {
            if std::time::Instant::now() > deadline {
                self.fail(&format!("no {needle:?} in the server log within {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn fail(&self, message: &str) -> ! {
        panic!("{message}\n--- protocol errors: {:?}\n--- server stderr:\n{}", self.protocol_errors, self.stderr())
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("JSON serializes");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        let Some(stdin) = self.stdin.as_mut() else { self.fail("stdin already closed") };
        if let Err(error) = stdin.write_all(&frame).and_then(|()| stdin.flush()) {
            self.fail(&format!("cannot write to the server: {error}"));
        }
    }

    /// Writes `bytes` to the server's stdin as they are: for framing tests
    /// (bad headers, bodies that are not JSON-RPC). `false` when the server has
    /// closed its stdin.
    pub fn send_raw(&mut self, bytes: &[u8]) -> bool {
        let Some(stdin) = self.stdin.as_mut() else { return false };
        stdin.write_all(bytes).and_then(|()| stdin.flush()).is_ok()
    }

    /// Closes the server's stdin (end of stream) and waits at most `timeout`
    /// for the process to end; `None` if it is still running then.
    pub fn close_stdin_and_wait(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        self.stdin = None;
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.exited = true;
                    return Some(status);
                }
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                _ => return None,
            }
        }
    }

    /// Sends a notification; `Value::Null` params are left out (as for `exit`).
    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
    }

    /// Sends a request without waiting; returns its id. `Value::Null` params
    /// are left out (as for `shutdown`).
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
        id
    }

    /// Sends a request and waits for its response: `Ok(result)` or
    /// `Err(error object)`. Notifications arriving meanwhile are collected.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params);
        self.response(id, method)
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64, what: &str) -> Result<Value, Value> {
        self.response_within(id, what, TIMEOUT)
    }

    /// [`Self::response`] with another upper bound, for answers that are slow
    /// on purpose (huge inputs in a debug build).
    pub fn response_within(&mut self, id: i64, what: &str, timeout: Duration) -> Result<Value, Value> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(response) = self.responses.remove(&id) {
                return match (response.get("result"), response.get("error")) {
                    (Some(result), None) => Ok(result.clone()),
                    (None, Some(error)) => Err(error.clone()),
                    _ => self.fail(&format!("malformed response to {what}: {response}")),
                };
            }
            if !self.pump(deadline) {
                self.fail(&format!("no response to `{what}` (id {id}) within {timeout:?}"));
            }
        }
    }

    /// Handles one incoming message; `false` on timeout.
    fn pump(&mut self, deadline: Instant) -> bool {
        if self.stdout_closed {
            self.fail("the server closed its stdout");
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(remaining) {
            Ok(Incoming::Message(message)) => {
                self.dispatch(message);
                true
            }
            Ok(Incoming::Garbage(description)) => {
                self.protocol_errors.push(description.clone());
                self.fail(&format!("the server wrote something that is not framed JSON-RPC to stdout: {description}"));
            }
            Ok(Incoming::Eof) | Err(RecvTimeoutError::Disconnected) => {
                self.stdout_closed = true;
                let status = self.child.try_wait().ok().flatten();
                self.fail(&format!("the server closed its stdout (exit status so far: {status:?})"));
            }
            Err(RecvTimeoutError::Timeout) => false,
        }
    }

    fn dispatch(&mut self, message: Value) {
        let id = message.get("id").cloned();
        let method = message.get("method").and_then(Value::as_str).map(str::to_owned);
        match (id, method) {
            (Some(id), Some(_)) => {
                // A request from the server: answer so it never waits on us.
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            (None, Some(_)) => self.notifications.push(message),
            // The transport's answer to a message it could not decode (JSON-RPC
            // parse error), which has no id to answer to.
            (Some(Value::Null), None) if message.get("error").is_some() => self.null_id_errors.push(message),
            (Some(Value::Number(id)), None) if id.as_i64().is_some() => {
                let id = id.as_i64().unwrap_or_default();
                if self.responses.insert(id, message).is_some() {
                    self.fail(&format!("two responses for request id {id}"));
                }
            }
            _ => {
                self.protocol_errors.push(format!("message neither request, response nor notification: {message}"));
                self.fail(&format!("unexpected message from the server: {message}"));
            }
        }
    }

    /// The texts of the `window/showMessage` notifications received so far.
    pub fn messages_shown(&self) -> Vec<String> {
        self.notifications
            .iter()
            .filter(|n| n["method"] == "window/showMessage")
            .map(|n| n["params"]["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// All `publishDiagnostics` params received so far for `uri`, in order.
    pub fn published_diagnostics(&self, uri: &str) -> Vec<Value> {
        self.notifications
            .iter()
            .filter(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
            .map(|n| n["params"].clone())
            .collect()
    }

    /// Waits until a `publishDiagnostics` for `uri` at `version` has arrived
    /// (possibly already) and returns its `diagnostics` array.
    pub fn wait_for_diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(params) = self.published_diagnostics(uri).into_iter().rev().find(|p| p["version"] == version) {
                return params["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            if !self.pump(deadline) {
                let seen: Vec<Value> = self.published_diagnostics(uri).iter().map(|p| p["version"].clone()).collect();
                self.fail(&format!("no publishDiagnostics for {uri} at version {version} within {TIMEOUT:?}; versions seen: {seen:?}"));
            }
        }
    }

    /// `initialize` (offering `encodings` when given, with `root` as rootUri and
    /// sole workspace folder when given), then `initialized`. Returns the
    /// InitializeResult.
    pub fn initialize(&mut self, encodings: Option<&[&str]>, root: Option<&Path>) -> Value {
        self.initialize_within(encodings, root, TIMEOUT)
    }

    /// [`Self::initialize`] with another upper bound on the answer, for servers
    /// that load a deliberately huge corpus first.
    pub fn initialize_within(&mut self, encodings: Option<&[&str]>, root: Option<&Path>, timeout: Duration) -> Value {
        self.initialize_with(encodings, root, timeout, Value::Null)
    }

    /// [`Self::initialize`] with `initializationOptions`, as an editor plugin sends them.
    pub fn initialize_with_options(&mut self, root: Option<&Path>, options: Value) -> Value {
        self.initialize_with(None, root, TIMEOUT, options)
    }

    fn initialize_with(&mut self, encodings: Option<&[&str]>, root: Option<&Path>, timeout: Duration, options: Value) -> Value {
        let mut capabilities = json!({
            "textDocument": {
                "synchronization": {"didSave": true, "dynamicRegistration": false},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "publishDiagnostics": {"versionSupport": true, "relatedInformation": true}
            },
            "workspace": {"workspaceFolders": true}
        });
        if let Some(encodings) = encodings {
            capabilities["general"] = json!({"positionEncodings": encodings});
        }
        let (root_uri, folders) = match root {
            Some(root) => {
                let uri = file_uri(root);
                (json!(uri), json!([{"uri": uri, "name": "corpus"}]))
            }
            None => (Value::Null, Value::Null),
        };
        let mut params = json!({
            "processId": std::process::id(),
            "clientInfo": {"name": "marginalia-protocol-tests"},
            "rootUri": root_uri,
            "workspaceFolders": folders,
            "capabilities": capabilities
        });
        if !options.is_null() {
            params["initializationOptions"] = options;
        }
        let id = self.send_request("initialize", params);
        let result = match self.response_within(id, "initialize", timeout) {
            Ok(result) => result,
            Err(error) => self.fail(&format!("initialize failed: {error}")),
        };
        self.notify("initialized", json!({}));
        result
    }

    /// Spawns a server and initializes it.
    pub fn start(encodings: Option<&[&str]>, root: Option<&Path>) -> (LspClient, Value) {
        let mut client = LspClient::spawn();
        let result = client.initialize(encodings, root);
        (client, result)
    }

    pub fn did_open(&mut self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}}),
        );
    }

    /// One `didChange` with a single ranged change.
    pub fn did_change(&mut self, uri: &str, version: i64, range: Range, text: &str) {
        self.did_change_many(uri, version, &[(range, text.to_owned())]);
    }

    pub fn did_change_many(&mut self, uri: &str, version: i64, changes: &[(Range, String)]) {
        let changes: Vec<Value> = changes.iter().map(|(range, text)| json!({"range": range.to_json(), "text": text})).collect();
        self.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}));
    }

    pub fn hover(&mut self, uri: &str, position: Position) -> Result<Value, Value> {
        self.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position.to_json()}))
    }

    pub fn analyze(&mut self, uri: &str) -> Result<Value, Value> {
        self.request("marginalia/analyze", json!({"textDocument": {"uri": uri}}))
    }

    /// Fails the test if anything but framed JSON-RPC has reached stdout so far.
    pub fn assert_stdout_clean(&mut self) {
        while let Ok(incoming) = self.incoming.try_recv() {
            match incoming {
                Incoming::Message(message) => self.dispatch(message),
                Incoming::Garbage(description) => self.protocol_errors.push(description),
                Incoming::Eof => self.stdout_closed = true,
            }
        }
        if !self.protocol_errors.is_empty() {
            self.fail("stdout carried something other than framed JSON-RPC");
        }
    }

    /// Sends `exit` and waits (at most [`EXIT_TIMEOUT`]) for the process to end;
    /// then drains stdout to EOF and fails on anything but framed JSON-RPC
    /// ending at a message boundary. Returns the exit status.
    pub fn exit(&mut self) -> std::process::ExitStatus {
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + EXIT_TIMEOUT;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                Ok(None) => self.fail(&format!("the server did not exit within {EXIT_TIMEOUT:?} after `exit`")),
                Err(error) => self.fail(&format!("waiting for the server: {error}")),
            }
        };
        self.exited = true;
        self.stdin = None;
        // The process is gone, so stdout reaches EOF: drain everything it wrote.
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let mut saw_eof = self.stdout_closed;
        while let Ok(incoming) = self.incoming.try_recv() {
            match incoming {
                Incoming::Message(message) => {
                    if message.get("id").is_some() && message.get("method").is_some() {
                        self.protocol_errors.push(format!("server request after exit: {message}"));
                    } else {
                        self.dispatch(message);
                    }
                }
                Incoming::Garbage(description) => self.protocol_errors.push(description),
                Incoming::Eof => saw_eof = true,
            }
        }
        if !saw_eof {
            self.protocol_errors.push("stdout did not end at a message boundary".into());
        }
        self.assert_stdout_clean();
        status
    }

    /// `shutdown` (must answer `null`), then `exit`; the process must exit with
    /// status 0 within [`EXIT_TIMEOUT`] and leave stdout clean, ending at a
    /// message boundary.
    pub fn shutdown_and_exit(&mut self) {
        match self.request("shutdown", Value::Null) {
            Ok(Value::Null) => {}
            other => self.fail(&format!("shutdown answered {other:?}, expected a null result")),
        }
        let status = self.exit();
        self.assert_stdout_clean();
        // Every publication carries the version it was computed for.
        for publication in self.notifications.iter().filter(|n| n["method"] == "textDocument/publishDiagnostics") {
            if !publication["params"]["version"].is_i64() {
                self.fail(&format!("publishDiagnostics without a version: {publication}"));
            }
        }
        if !status.success() {
            self.fail(&format!("the server exited with {status}, expected status 0"));
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        self.stdin = None;
        if !self.exited {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Parses `Content-Length`-framed JSON-RPC from the server's stdout. Anything
/// else is reported as garbage and ends reading (the stream cannot be resynced).
fn read_messages(mut stdout: impl BufRead, sender: Sender<Incoming>) {
    loop {
        let mut content_length: Option<usize> = None;
        let mut first_line = true;
        loop {
            let mut line = Vec::new();
            match stdout.read_until(b'\n', &mut line) {
                Ok(0) => {
                    let _ = sender.send(if first_line {
                        Incoming::Eof
                    } else {
                        Incoming::Garbage("stdout ended inside a message header".into())
                    });
                    return;
                }
                Ok(_) => {}
                Err(error) => {
                    let _ = sender.send(Incoming::Garbage(format!("reading stdout: {error}")));
                    return;
                }
            }
            first_line = false;
            let Some(line) = line.strip_suffix(b"\r\n") else {
                let _ = sender.send(Incoming::Garbage(format!("header line not ended by CRLF: {:?}", String::from_utf8_lossy(&line))));
                return;
            };
            if line.is_empty() {
                break;
            }
            let line = String::from_utf8_lossy(line).into_owned();
            let Some((name, value)) = line.split_once(": ") else {
                let _ = sender.send(Incoming::Garbage(format!("not a header line: {line:?}")));
                return;
            };
            if name.eq_ignore_ascii_case("Content-Length") {
                match value.trim().parse() {
                    Ok(n) if content_length.is_none() => content_length = Some(n),
                    _ => {
                        let _ = sender.send(Incoming::Garbage(format!("bad or repeated Content-Length: {line:?}")));
                        return;
                    }
                }
            } else if name.eq_ignore_ascii_case("Content-Type") {
                if !value.contains("utf-8") && !value.contains("utf8") {
                    let _ = sender.send(Incoming::Garbage(format!("unexpected Content-Type: {line:?}")));
                    return;
                }
            } else {
                let _ = sender.send(Incoming::Garbage(format!("unknown header: {line:?}")));
                return;
            }
        }
        let Some(length) = content_length else {
            let _ = sender.send(Incoming::Garbage("message without Content-Length".into()));
            return;
        };
        let mut body = vec![0u8; length];
        if let Err(error) = stdout.read_exact(&mut body) {
            let _ = sender.send(Incoming::Garbage(format!("stdout ended inside a {length}-byte body: {error}")));
            return;
        }
        let message: Value = match serde_json::from_slice(&body) {
            Ok(message) => message,
            Err(error) => {
                let _ = sender.send(Incoming::Garbage(format!("body is not JSON ({error}): {:?}", String::from_utf8_lossy(&body))));
                return;
            }
        };
        if !message.is_object() || message["jsonrpc"] != "2.0" {
            let _ = sender.send(Incoming::Garbage(format!("not a JSON-RPC 2.0 message: {message}")));
            return;
        }
        if sender.send(Incoming::Message(message)).is_err() {
            return;
        }
    }
}

// ---------------------------------------------------------------------------
// Test-side text arithmetic, independent of the server's.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    pub const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }

    pub fn from_name(name: &str) -> Encoding {
        match name {
            "utf-8" => Encoding::Utf8,
            "utf-16" => Encoding::Utf16,
            "utf-32" => Encoding::Utf32,
            other => panic!("unknown position encoding {other:?}"),
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub fn new(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    pub fn to_json(self) -> Value {
        json!({"line": self.line, "character": self.character})
    }

    pub fn from_json(value: &Value) -> Position {
        let field = |name: &str| -> u32 {
            value[name].as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or_else(|| panic!("bad position {value}"))
        };
        Position { line: field("line"), character: field("character") }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

impl Range {
    pub fn new(start: Position, end: Position) -> Range {
        Range { start, end }
    }

    pub fn to_json(self) -> Value {
        json!({"start": self.start.to_json(), "end": self.end.to_json()})
    }

    pub fn from_json(value: &Value) -> Range {
        Range { start: Position::from_json(&value["start"]), end: Position::from_json(&value["end"]) }
    }
}

/// Byte ranges of each line's content (without its break), lines ending at
/// `\r\n`, `\n` or a lone `\r`, as LSP defines them.
pub fn line_contents(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                lines.push(start..i);
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                lines.push(start..i);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    lines.push(start..bytes.len());
    lines
}

/// The LSP position of byte `offset` (a char boundary outside a line break).
pub fn position_of(text: &str, offset: usize, encoding: Encoding) -> Position {
    assert!(text.is_char_boundary(offset), "offset {offset} is not a char boundary");
    let lines = line_contents(text);
    let line = lines.iter().rposition(|l| l.start <= offset).expect("line 0 starts at 0");
    let content = &lines[line];
    assert!(offset <= content.end, "offset {offset} lies inside a line break");
    let character: usize = text[content.start..offset].chars().map(|c| encoding.units(c)).sum();
    Position::new(line as u32, character as u32)
}

/// The byte offset of `position`, or `None` when it does not name a character
/// boundary inside the document (past a line's end, inside a character).
pub fn offset_of(text: &str, position: Position, encoding: Encoding) -> Option<usize> {
    let lines = line_contents(text);
    let content = lines.get(position.line as usize)?;
    let target = position.character as usize;
    let mut units = 0;
    for (i, c) in text[content.clone()].char_indices() {
        if units == target {
            return Some(content.start + i);
        }
        if units > target {
            return None;
        }
        units += encoding.units(c);
    }
    (units == target).then_some(content.end)
}

pub fn range_of(text: &str, bytes: std::ops::Range<usize>, encoding: Encoding) -> Range {
    Range::new(position_of(text, bytes.start, encoding), position_of(text, bytes.end, encoding))
}

/// The text a range covers; panics when the range is not valid in `encoding`.
pub fn slice_of(text: &str, range: Range, encoding: Encoding) -> &str {
    let start = offset_of(text, range.start, encoding).unwrap_or_else(|| panic!("{range:?} start is invalid in {encoding:?}"));
    let end = offset_of(text, range.end, encoding).unwrap_or_else(|| panic!("{range:?} end is invalid in {encoding:?}"));
    assert!(start <= end, "inverted range {range:?}");
    &text[start..end]
}

/// Applies an LSP ranged change locally.
pub fn apply_change(text: &mut String, range: Range, new_text: &str, encoding: Encoding) {
    let start = offset_of(text, range.start, encoding).expect("valid change start");
    let end = offset_of(text, range.end, encoding).expect("valid change end");
    text.replace_range(start..end, new_text);
}

/// Byte offset of code point `index` (the CLI's unit).
pub fn code_point_to_byte(text: &str, index: usize) -> usize {
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).nth(index).expect("code point index in range")
}

/// `file://` URI of an absolute path, percent-encoding what needs it.
pub fn file_uri(path: &Path) -> String {
    let path = std::path::absolute(path).expect("absolute path");
    let mut uri = String::from("file://");
    for byte in path.to_str().expect("UTF-8 path").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(byte as char),
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri
}

/// Runs `marginalia analyze --format json` on `path`; the one report it prints.
pub fn cli_analyze(path: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["analyze", "--format", "json"])
        .arg(path)
        .output()
        .expect("running `marginalia analyze`");
    assert!(output.status.success(), "marginalia analyze failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line per file: {stdout}");
    serde_json::from_str(lines[0]).expect("analyze prints JSON")
}

/// (code, range in `encoding`) of each CLI diagnostic for `text`, sorted.
pub fn cli_diagnostics_as_lsp(report: &Value, text: &str, encoding: Encoding) -> Vec<(String, Range)> {
    let mut diagnostics: Vec<(String, Range)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            let start = code_point_to_byte(text, d["start"].as_u64().expect("start") as usize);
            let end = code_point_to_byte(text, d["end"].as_u64().expect("end") as usize);
            (d["code"].as_str().expect("code").to_owned(), range_of(text, start..end, encoding))
        })
        .collect();
    diagnostics.sort();
    diagnostics
}

/// (code, range) of published LSP diagnostics, sorted.
pub fn lsp_diagnostics(diagnostics: &[Value]) -> Vec<(String, Range)> {
    let mut list: Vec<(String, Range)> =
        diagnostics.iter().map(|d| (d["code"].as_str().expect("string code").to_owned(), Range::from_json(&d["range"]))).collect();
    list.sort();
    list
}

/// The client's own checks, so a passing protocol test means something.
/// The bundled corpus in the repository.
pub fn repo_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A copy of the bundled corpus (configuration, knowledge base, articles) in a
/// temporary folder, for tests that write sidecars or knowledge-base files.
pub fn corpus_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["kb", "articles"] {
        std::fs::create_dir(dir.path().join(sub)).expect("create folder");
        for entry in std::fs::read_dir(repo_corpus().join(sub)).expect("read the bundled corpus") {
            let path = entry.expect("folder entry").path();
            if path.extension().is_some_and(|e| e == "txt" || e == "json") {
                std::fs::copy(&path, dir.path().join(sub).join(path.file_name().expect("file name"))).expect("copy");
            }
        }
    }
    std::fs::copy(repo_corpus().join("marginalia.toml"), dir.path().join("marginalia.toml")).expect("copy config");
    dir
}

#[cfg(test)]
mod self_tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Vec<Incoming> {
        let (sender, receiver) = channel();
        read_messages(bytes, sender);
        receiver.try_iter().collect()
    }

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn is_garbage(incoming: &[Incoming]) -> bool {
        matches!(incoming.last(), Some(Incoming::Garbage(_)))
    }

    #[test]
    fn framed_json_rpc_is_read_to_a_clean_end() {
        let mut bytes = frame(r#"{"jsonrpc":"2.0","method":"x"}"#);
        bytes.extend(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n");
        bytes.extend(frame(r#"{"jsonrpc":"2.0","id":1,"result":"é😀"}"#));
        let incoming = read_all(&bytes);
        assert_eq!(incoming.len(), 3);
        assert!(matches!(&incoming[1], Incoming::Message(m) if m["result"] == "é😀"));
        assert!(matches!(incoming[2], Incoming::Eof));
    }

    #[test]
    fn anything_else_on_stdout_is_garbage() {
        let valid = frame(r#"{"jsonrpc":"2.0","method":"x"}"#);
        let cases: Vec<Vec<u8>> = vec![
            [b"INFO log line\n".as_slice(), &valid].concat(),
            [valid.as_slice(), b"\n"].concat(),
            frame("not json"),
            frame(r#"{"method":"x"}"#),
            frame(r#"[1,2]"#),
            b"Content-Length: 100\r\n\r\n{}".to_vec(),
            b"Content-Length: 2\n\n{}".to_vec(),
            b"\r\n{}".to_vec(),
        ];
        for bytes in cases {
            assert!(is_garbage(&read_all(&bytes)), "{:?}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn positions_in_each_encoding() {
        let text = "a😀“b”\r\nsé\rthird\nlast";
        let b = text.find('b').unwrap();
        assert_eq!(position_of(text, b, Encoding::Utf8), Position::new(0, 8));
        assert_eq!(position_of(text, b, Encoding::Utf16), Position::new(0, 4));
        assert_eq!(position_of(text, b, Encoding::Utf32), Position::new(0, 3));
        assert_eq!(position_of(text, text.find("third").unwrap(), Encoding::Utf16), Position::new(2, 0));
        assert_eq!(position_of(text, text.find("last").unwrap(), Encoding::Utf16), Position::new(3, 0));
        for encoding in Encoding::ALL {
            for (offset, _) in text.char_indices().filter(|(i, _)| !text[..*i].ends_with('\r') || !text[*i..].starts_with('\n')) {
                assert_eq!(offset_of(text, position_of(text, offset, encoding), encoding), Some(offset), "{encoding:?} {offset}");
            }
        }
        // Inside the emoji, past a line's end, past the last line.
        assert_eq!(offset_of(text, Position::new(0, 2), Encoding::Utf16), None);
        assert_eq!(offset_of(text, Position::new(0, 3), Encoding::Utf8), None);
        assert_eq!(offset_of(text, Position::new(1, 4), Encoding::Utf16), None);
        assert_eq!(offset_of(text, Position::new(4, 0), Encoding::Utf16), None);
        let mut edited = text.to_owned();
        apply_change(&mut edited, Range::new(Position::new(0, 3), Position::new(2, 2)), "X", Encoding::Utf16);
        assert_eq!(edited, "a😀Xird\nlast");
    }
}
