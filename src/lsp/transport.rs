//! The wire: JSON-RPC messages framed by `Content-Length` headers on standard input and output.
//!
//! Reading is done here rather than by `lsp-server`'s own stdio transport, whose reader stops at the first malformed
//! message: a bad header, a body that is not JSON or not a JSON-RPC message is logged (and answered with an error
//! when it could be a request), and reading goes on with the next message. Writing goes through a thread, so a
//! client slow to read never blocks the server's loop.

use lsp_server::{ErrorCode, Message, RequestId, Response};
use serde_json::{Value, json};
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc;
use std::time::Duration;

/// A message body larger than this is skipped (and logged) rather than read into memory.
const MAX_BODY: usize = 512 * 1024 * 1024;

/// What the reader thread hands to the server's loop.
pub enum Incoming {
    Message(Message),
    /// Standard input is closed (or unreadable): the client is gone.
    Closed,
}

enum Outgoing {
    Bytes(Vec<u8>),
    Flush(mpsc::Sender<()>),
}

/// The sending half of the connection; cheap to clone and usable from any thread.
#[derive(Clone)]
pub struct Output {
    sender: mpsc::Sender<Outgoing>,
}

impl Output {
    /// Starts the thread writing to standard output.
    // Started once, before any input is read: a server that cannot start its threads cannot run at all.
    #[allow(clippy::expect_used)]
    pub fn stdout() -> Output {
        let (sender, receiver) = mpsc::channel::<Outgoing>();
        std::thread::Builder::new()
            .name("mtlint-lsp-writer".into())
            .spawn(move || {
                let mut stdout = io::stdout().lock();
                let mut broken = false;
                for item in receiver {
                    match item {
                        Outgoing::Bytes(bytes) if !broken => {
                            if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                                eprintln!("mtlint lsp: cannot write to the client: {e}");
                                broken = true;
                            }
                        }
                        Outgoing::Bytes(_) => {}
                        Outgoing::Flush(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            })
            .expect("a thread can be started");
        Output { sender }
    }

    /// An output that drops everything sent to it (for the fuzz targets, which only decode).
    pub(crate) fn discard() -> Output {
        Output { sender: mpsc::channel::<Outgoing>().0 }
    }

    pub fn send(&self, message: impl Into<Message>) {
        let message: Message = message.into();
        let mut bytes = Vec::new();
        match message.write(&mut bytes) {
            Ok(()) => {
                let _ = self.sender.send(Outgoing::Bytes(bytes));
            }
            Err(e) => eprintln!("mtlint lsp: cannot encode a message: {e}"),
        }
    }

    pub fn respond<R: serde::Serialize>(&self, id: RequestId, result: R) {
        match serde_json::to_value(result) {
            Ok(value) => self.send(Response { id, response_result: Ok(value) }),
            Err(e) => self.error(id, ErrorCode::InternalError, format!("cannot encode the result: {e}")),
        }
    }

    pub fn error(&self, id: RequestId, code: ErrorCode, message: String) {
        self.send(Response::new_err(id, code as i32, message));
    }

    pub fn notify<P: serde::Serialize>(&self, method: &str, params: P) {
        self.send(lsp_server::Notification::new(method.to_string(), params));
    }

    /// An error answer to a message that could not be read as a request, with its id as sent (or null).
    fn raw_error(&self, id: Value, code: ErrorCode, message: &str) {
        let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code as i32, "message": message}}).to_string();
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        let _ = self.sender.send(Outgoing::Bytes(bytes));
    }

    /// Waits (up to `timeout`) until everything sent so far is written.
    pub fn flush(&self, timeout: Duration) {
        let (done, wait) = mpsc::channel();
        if self.sender.send(Outgoing::Flush(done)).is_ok() {
            let _ = wait.recv_timeout(timeout);
        }
    }
}

/// Starts the thread reading standard input; each message (or the end of input) is passed to `deliver`.
// Started once, before any input is read: a server that cannot start its threads cannot run at all.
#[allow(clippy::expect_used)]
pub fn read_stdin(output: Output, deliver: impl Fn(Incoming) -> bool + Send + 'static) {
    std::thread::Builder::new()
        .name("mtlint-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            loop {
                let incoming = match read_frame(&mut input) {
                    Ok(Frame::Body(body)) => match parse(&body, &output) {
                        Some(message) => Incoming::Message(message),
                        None => continue,
                    },
                    Ok(Frame::Skipped(why)) => {
                        eprintln!("mtlint lsp: {why}");
                        continue;
                    }
                    Ok(Frame::End) => Incoming::Closed,
                    Err(e) => {
                        eprintln!("mtlint lsp: cannot read from the client: {e}");
                        Incoming::Closed
                    }
                };
                let closed = matches!(incoming, Incoming::Closed);
                if !deliver(incoming) || closed {
                    return;
                }
            }
        })
        .expect("a thread can be started");
}

pub(crate) enum Frame {
    Body(Vec<u8>),
    /// Something that is not a message was read and dropped.
    Skipped(String),
    End,
}

/// Reads one `Content-Length`-framed message. Header lines may end with `\r\n` or `\n`; unknown headers are ignored.
pub(crate) fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut headers = 0;
    let mut junk = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(if headers == 0 { Frame::End } else { Frame::Skipped("input ended inside a header".into()) });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if headers == 0 {
                continue;
            }
            break;
        }
        headers += 1;
        // Found anywhere in the line, so that a header glued to the end of a stray body still frames the next
        // message.
        match text.to_ascii_lowercase().find("content-length:") {
            Some(at) => match text[at + "content-length:".len()..].trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => junk = Some(format!("malformed Content-Length header: {:?}", clip(text))),
            },
            None if !text.contains(':') => junk = Some(format!("malformed header line: {:?}", clip(text))),
            None => {}
        }
    }
    if let Some(junk) = junk {
        eprintln!("mtlint lsp: {junk}");
    }
    let Some(length) = length else { return Ok(Frame::Skipped("a message without Content-Length".into())) };
    if length > MAX_BODY {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Skipped(format!("skipped a message of {length} bytes (the limit is {MAX_BODY})")));
    }
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Ok(Frame::Body(body)),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(Frame::End),
        Err(e) => Err(e),
    }
}

/// A message from a body; `None` (logged, and answered when it looks like a request) when it is not one.
pub(crate) fn parse(body: &[u8], output: &Output) -> Option<Message> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("mtlint lsp: a message that is not JSON ({e}): {:?}", clip(&String::from_utf8_lossy(body)));
            output.raw_error(Value::Null, ErrorCode::ParseError, &format!("not JSON: {e}"));
            return None;
        }
    };
    match serde_json::from_value::<Message>(value.clone()) {
        Ok(message) => Some(message),
        Err(e) => {
            eprintln!("mtlint lsp: not a JSON-RPC message ({e}): {}", clip(&value.to_string()));
            let id = value.get("id").filter(|id| id.is_string() || id.is_number()).cloned();
            let is_response = value.get("result").is_some() || value.get("error").is_some();
            if !is_response && (id.is_some() || value.get("method").is_none()) {
                let message = format!("not a valid JSON-RPC request: {e}");
                output.raw_error(id.unwrap_or(Value::Null), ErrorCode::InvalidRequest, &message);
            }
            None
        }
    }
}

/// At most 200 characters of `text`, for logs.
fn clip(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
