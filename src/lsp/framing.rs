//! A guard between stdin and the transport. tower-lsp-server stops reading for
//! good at the first frame its codec cannot decode (tokio-util's `FramedRead`
//! ends the stream after a decoder error), which would take the server down on
//! one stray byte. So frames are read here first: malformed ones are logged and
//! dropped, and only frames the transport can decode are passed on.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Longest header line kept; longer lines are garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// Largest body accepted (a 100 MB article, JSON-escaped, fits).
pub const MAX_BODY: usize = 1 << 30;

/// Spawns the guard on the current runtime; returns what the transport reads.
pub fn guard(input: impl AsyncRead + Unpin + Send + 'static) -> DuplexStream {
    let (reader, mut writer) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut input = BufReader::new(input);
        loop {
            match next_frame(&mut input).await {
                Frame::End => break,
                Frame::Bad(problem) => tracing::error!("dropped a malformed message: {problem}"),
                Frame::Good(body) => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    if writer.write_all(header.as_bytes()).await.is_err() || writer.write_all(&body).await.is_err() {
                        break; // the transport has stopped (after `exit`)
                    }
                }
            }
        }
        // Dropping the writer ends the transport's input.
    });
    reader
}

enum Frame {
    Good(Vec<u8>),
    Bad(String),
    End,
}

/// The next frame. Header lines are scanned for `Content-Length`, so after
/// garbage (a body whose length was wrong) reading resumes at the next header.
async fn next_frame(input: &mut (impl tokio::io::AsyncBufRead + Unpin)) -> Frame {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_any = false;
    loop {
        let mut line = Vec::new();
        match (&mut *input).take(MAX_HEADER_LINE as u64).read_until(b'\n', &mut line).await {
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
    match (&mut *input).take(length as u64).read_to_end(&mut body).await {
        Ok(read) if read == length => {}
        Ok(read) => return Frame::Bad(format!("the stream ended after {read} bytes of a {length}-byte body")),
        Err(error) => return Frame::Bad(format!("reading a {length}-byte body: {error}")),
    }
    if std::str::from_utf8(&body).is_err() {
        return Frame::Bad("the body is not UTF-8".into());
    }
    if serde_json::from_slice::<Request>(&body).is_ok() || serde_json::from_slice::<Response>(&body).is_ok() {
        Frame::Good(body)
    } else {
        Frame::Bad(format!("not a JSON-RPC message: {}", String::from_utf8_lossy(&body[..body.len().min(200)])))
    }
}
