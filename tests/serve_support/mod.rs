//! Starts `mtlint serve` on a free loopback port for a test, and stops it when the test ends.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `mtlint serve`, killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// `127.0.0.1:PORT`
    pub address: String,
}

impl Server {
    /// Starts the server with the built-in rules and no configuration (unless `extra` names one with `--config`),
    /// plus `extra` arguments.
    pub fn start(extra: &[&str]) -> Server {
        let isolated: &[&str] = if extra.contains(&"--config") { &[] } else { &["--isolated"] };
        let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
            .args(["serve", "--port", "0"])
            .args(isolated)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mtlint serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let _ = tx.send(rest.split('/').next().unwrap_or_default().to_string());
                }
                eprintln!("[server] {line}");
            }
        });
        let address = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!("mtlint serve did not print the address it listens on within 30 s");
            }
        };
        Server { child, url: format!("http://{address}"), address }
    }

    /// Sends raw bytes on a new connection and returns the status code and body of the answer (the connection
    /// is closed by the request's `Connection: close`).
    pub fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect to the server");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("set a read timeout");
        stream.write_all(request).expect("send the request");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).to_string();
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP agent that returns error statuses as responses instead of errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// POSTs a JSON body and returns the status and the parsed answer.
pub fn post_json(agent: &ureq::Agent, url: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let mut response =
        agent.post(url).header("content-type", "application/json").send(body.to_string()).expect("a response");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a readable body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("a JSON answer ({e}): {text}"));
    (status, value)
}
