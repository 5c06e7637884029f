//! The reader of stdin: a thread of its own that frames messages, drops
//! malformed ones, and puts document notifications in the worker's queue
//! itself.
//!
//! Malformed frames: tower-lsp-server stops reading for good at the first frame
//! its codec cannot decode (tokio-util's `FramedRead` ends the stream after a
//! decoder error), which would take the server down on one stray byte. So
//! frames are read here first: malformed ones are logged and dropped, and only
//! frames the transport can decode are passed on.
//!
//! Document notifications: a keystroke goes from this thread to the worker in
//! one hand-off, instead of through tokio's blocking pool, a relay task and
//! the transport's task (issue 20: typing latency as the client sees it). A
//! request gets its place in the worker's queue here too, in the order read
//! (see `ordering.rs`), so it still sees exactly the edits sent before it.

use std::io::{BufRead, BufReader, Read};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

use super::ordering::{Lifecycle, Slots, document_event};
use super::worker::WorkerHandle;

/// Longest header line kept; longer lines are garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// Largest body accepted (a 100 MB article, JSON-escaped, fits).
pub const MAX_BODY: usize = 1 << 30;

/// What the reader needs to dispatch document notifications itself.
pub struct Dispatch {
    pub worker: WorkerHandle,
    pub lifecycle: Arc<Lifecycle>,
    pub slots: Slots,
}

/// Starts the reader thread; returns what the transport reads.
pub fn guard(input: impl Read + Send + 'static, dispatch: Dispatch) -> ChannelReader {
    let (sender, receiver) = mpsc::unbounded_channel::<Vec<u8>>();
    let spawned = std::thread::Builder::new().name("marginalia-stdin".into()).spawn(move || {
        let mut input = BufReader::with_capacity(1 << 16, input);
        loop {
            match next_frame(&mut input) {
                Frame::End => break,
                Frame::Bad(problem) => tracing::error!("dropped a malformed message: {problem}"),
                Frame::Good(body, request) => {
                    if let Some(request) = request {
                        if dispatch.lifecycle.accepts_documents()
                            && let Some(event) = document_event(&request)
                        {
                            match event {
                                Ok(event) => dispatch.worker.send_event(event),
                                Err(message) => tracing::error!("{message}"),
                            }
                            continue;
                        }
                        if let Some(id) = request.id() {
                            dispatch.slots.reserve(id.clone(), &dispatch.worker);
                        }
                    }
                    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
                    frame.extend_from_slice(&body);
                    if sender.send(frame).is_err() {
                        break; // the transport has stopped (after `exit`)
                    }
                }
            }
        }
        // Dropping the sender ends the transport's input.
    });
    if let Err(error) = spawned {
        tracing::error!("cannot start the stdin reader: {error}");
    }
    ChannelReader { receiver, current: Vec::new(), at: 0 }
}

/// The transport's input: the frames the reader passed on.
pub struct ChannelReader {
    receiver: mpsc::UnboundedReceiver<Vec<u8>>,
    current: Vec<u8>,
    at: usize,
}

impl AsyncRead for ChannelReader {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        while this.at == this.current.len() {
            match this.receiver.poll_recv(cx) {
                Poll::Ready(Some(frame)) => (this.current, this.at) = (frame, 0),
                Poll::Ready(None) => return Poll::Ready(Ok(())), // end of input
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = buf.remaining().min(this.current.len() - this.at);
        buf.put_slice(&this.current[this.at..this.at + n]);
        this.at += n;
        Poll::Ready(Ok(()))
    }
}

enum Frame {
    /// The body, and the request it holds (`None` for a response from the client).
    Good(Vec<u8>, Option<Request>),
    Bad(String),
    End,
}

/// The next frame. Header lines are scanned for `Content-Length`, so after
/// garbage (a body whose length was wrong) reading resumes at the next header.
fn next_frame(input: &mut impl BufRead) -> Frame {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_any = false;
    loop {
        let mut line = Vec::new();
        match input.by_ref().take(MAX_HEADER_LINE as u64).read_until(b'\n', &mut line) {
            Ok(0) => return if saw_any { Frame::Bad("the stream ended inside a header".into()) } else { Frame::End },
            Ok(_) => {}
            Err(error) => return if saw_any { Frame::Bad(format!("reading stdin: {error}")) } else { Frame::End },
        }
        saw_any = true;
        if !line.ends_with(b"\n") {
            // Longer than any header: garbage; keep scanning.
            length = None;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_some() {
                break;
            }
            continue; // a blank line between frames, or after garbage
        }
        // Resynchronise on a `Content-Length` anywhere in the line (garbage may precede it).
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            length = Some(value.parse::<usize>().map_err(|e| format!("bad Content-Length {value:?}: {e}")));
        } else if let Some(at) = lower.find("content-type:") {
            let value = &lower[at + "content-type:".len()..];
            if let Some(charset) = value.split(';').skip(1).map(str::trim).find_map(|p| p.strip_prefix("charset="))
                && !matches!(charset, "utf-8" | "utf8")
            {
                length = Some(Err(format!("unsupported charset {charset:?}")));
            }
        }
    }
    let length = match length {
        Some(Ok(length)) if length <= MAX_BODY => length,
        Some(Ok(length)) => return Frame::Bad(format!("a {length}-byte message is larger than {MAX_BODY} bytes")),
        Some(Err(problem)) => return Frame::Bad(problem),
        None => unreachable!("the header loop ends only with a length"),
    };
    // Read as it arrives, never allocating a length the stream may not hold.
    let mut body = Vec::new();
    match input.by_ref().take(length as u64).read_to_end(&mut body) {
        Ok(read) if read == length => {}
        Ok(read) => return Frame::Bad(format!("the stream ended after {read} bytes of a {length}-byte body")),
        Err(error) => return Frame::Bad(format!("reading a {length}-byte body: {error}")),
    }
    if std::str::from_utf8(&body).is_err() {
        return Frame::Bad("the body is not UTF-8".into());
    }
    if let Ok(request) = serde_json::from_slice::<Request>(&body) {
        Frame::Good(body, Some(request))
    } else if serde_json::from_slice::<Response>(&body).is_ok() {
        Frame::Good(body, None)
    } else {
        Frame::Bad(format!("not a JSON-RPC message: {}", String::from_utf8_lossy(&body[..body.len().min(200)])))
    }
}
