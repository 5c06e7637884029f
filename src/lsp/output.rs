//! One writer for everything the server sends. tower-lsp-server writes its
//! responses here, and the worker writes here directly what it produces itself
//! (diagnostics, streamed answers and their `$/progress` batches), each message
//! whole under one lock.
//!
//! Why not let tower-lsp-server send everything: it merges notifications and
//! responses from two queues (`stream_select!` in its `transport.rs`), so a
//! `$/progress` batch sent before a response may reach the client after it, and
//! the client drops it; it also turns every result into a `serde_json::Value`
//! tree first (six maps per location in a 100,000-location answer), and every
//! message crosses two more threads (the transport's task and tokio's blocking
//! pool for stdout). Here a message written before another reaches the client
//! before it, by construction.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

/// Where messages go: stdout in the server, a buffer in tests.
#[derive(Clone)]
pub struct Output {
    sink: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl Output {
    pub fn stdout() -> Output {
        Output::new(Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout())))
    }

    pub fn new(sink: Box<dyn Write + Send>) -> Output {
        Output { sink: Arc::new(Mutex::new(sink)) }
    }

    /// Writes one message (its JSON body), framed.
    pub fn send(&self, body: &[u8]) {
        self.send_written(body.len(), |out| out.write_all(body));
    }

    /// Writes one message of exactly `length` bytes that `write` produces in
    /// pieces, so that a large answer is never held whole in memory. The
    /// caller measures `length` with [`measure`] on the same writing.
    pub fn send_written(&self, length: usize, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        let mut sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        let mut counted = Counter { inner: &mut **sink, written: 0 };
        let result = write!(counted, "Content-Length: {length}\r\n\r\n").and_then(|()| {
            let header = counted.written;
            write(&mut counted)?;
            if counted.written - header != length {
                // Nothing after this can be framed right; say so loudly.
                tracing::error!(announced = length, written = counted.written - header, "a message's length was mis-measured");
            }
            counted.flush()
        });
        if let Err(error) = result {
            tracing::debug!("writing to the client failed: {error}");
        }
    }

    /// The writer tower-lsp-server's transport writes its framed messages to.
    pub fn transport(&self) -> TransportWriter {
        TransportWriter { output: self.clone(), pending: Vec::new() }
    }

    /// Writes frames that are already framed (header included), whole.
    fn send_framed(&self, frames: &[u8]) {
        let mut sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(error) = sink.write_all(frames).and_then(|()| sink.flush()) {
            tracing::debug!("writing to the client failed: {error}");
        }
    }
}

/// The length `write` writes, without keeping what it writes.
pub fn measure(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> usize {
    let mut counter = Counter { inner: &mut io::sink(), written: 0 };
    let _ = write(&mut counter);
    counter.written
}

struct Counter<'a> {
    inner: &'a mut dyn Write,
    written: usize,
}

impl Write for Counter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The transport's side: it writes `Content-Length` frames in pieces of any
/// size; whole frames are passed on, so that a message of the worker's never
/// lands inside one of the transport's.
pub struct TransportWriter {
    output: Output,
    pending: Vec<u8>,
}

/// The length of the first whole frame in `bytes`, if there is one.
fn whole_frame(bytes: &[u8]) -> Option<usize> {
    let header_end = memchr::memmem::find(bytes, b"\r\n\r\n")? + 4;
    let header = std::str::from_utf8(&bytes[..header_end]).ok()?;
    let length: usize = header.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
    })?;
    (bytes.len() >= header_end + length).then_some(header_end + length)
}

impl tokio::io::AsyncWrite for TransportWriter {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.pending.extend_from_slice(buf);
        let mut whole = 0;
        while let Some(n) = whole_frame(&this.pending[whole..]) {
            whole += n;
        }
        if whole > 0 {
            this.output.send_framed(&this.pending[..whole]);
            this.pending.drain(..whole);
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_message_of_the_worker_never_lands_inside_a_frame_of_the_transport() {
        let written = Shared::default();
        let output = Output::new(Box::new(written.clone()));
        let mut transport = output.transport();
        // The transport writes a frame in two pieces; the worker sends in between.
        transport.write_all(b"Content-Length: 7\r\n\r\n{\"a\"").await.unwrap();
        output.send(b"{}");
        transport.write_all(b":1}Content-Length: 2\r\n\r\n[]").await.unwrap();
        let text = String::from_utf8(written.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text, "Content-Length: 2\r\n\r\n{}Content-Length: 7\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n[]");
    }

    #[test]
    fn a_message_written_in_pieces_announces_its_measured_length() {
        let written = Shared::default();
        let output = Output::new(Box::new(written.clone()));
        let write = |out: &mut dyn Write| -> io::Result<()> {
            for i in 0..3 {
                write!(out, "{i}é")?;
            }
            Ok(())
        };
        output.send_written(measure(write), write);
        assert_eq!(String::from_utf8(written.0.lock().unwrap().clone()).unwrap(), "Content-Length: 9\r\n\r\n0é1é2é");
    }
}
