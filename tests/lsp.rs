//! `mtlint lsp` end to end: the real binary driven over standard input and output, by hand-built JSON-RPC messages
//! (positions in UTF-16, incremental edits, code actions, hover, configuration, malformed input) and by a real LSP
//! client nobody in this project wrote (Neovim's built-in one).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);
const SPACE_RULE: &str = "en.missing-space-after-punctuation";

/// A language client speaking to `mtlint lsp`.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    /// Messages read while waiting for another one.
    seen: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("mtlint lsp starts");
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    assert!(line.ends_with(|c: char| c.is_ascii_digit()), "unexpected header {line:?}");
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().expect("a length"));
                    }
                }
                let mut body = vec![0; length.expect("every message has a Content-Length")];
                reader.read_exact(&mut body).expect("the whole body");
                let value: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                assert_eq!(value["jsonrpc"], "2.0");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Client { child, stdin, messages, seen: Vec::new(), next_id: 0 };
        let root = format!("file://{}", dir.display());
        let id = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
        );
        let init = client.response(id);
        assert_eq!(init["result"]["capabilities"]["textDocumentSync"]["change"], 2, "incremental sync: {init}");
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
        client.notify("initialized", json!({}));
        // The server asks to watch configuration files; answer it like a client does.
        let register = client.wait_for(|m| m["method"] == "client/registerCapability");
        client.send_value(&json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
        client
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("the server reads");
        self.stdin.flush().expect("the server reads");
    }

    fn send_value(&mut self, value: &Value) {
        let body = value.to_string();
        self.send_bytes(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send_value(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send_value(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message (seen before or new) that `wanted` accepts.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&wanted) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.messages.recv_timeout(left).unwrap_or_else(|_| {
                panic!("no awaited message within {TIMEOUT:?}; received meanwhile: {:#?}", self.seen)
            });
            if wanted(&message) {
                return message;
            }
            self.seen.push(message);
        }
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        m["params"]["diagnostics"].as_array().expect("a list").clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    fn code_actions(&mut self, uri: &str, range: &Value) -> Vec<Value> {
        let id = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        );
        let response = self.response(id);
        response["result"].as_array().unwrap_or_else(|| panic!("a list of actions: {response}")).clone()
    }

    fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        let id = self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        self.response(id)["result"].clone()
    }

    /// Shuts the server down and returns its exit code.
    fn shutdown(mut self) -> i32 {
        let id = self.request("shutdown", Value::Null);
        let response = self.response(id);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server can be waited for") {
                return status.code().expect("an exit code");
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn diagnostic<'a>(diagnostics: &'a [Value], rule: &str) -> Option<&'a Value> {
    diagnostics.iter().find(|d| d["code"] == rule)
}

fn position(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": position(start.0, start.1), "end": position(end.0, end.1)})
}

/// Applies one LSP text edit (positions in UTF-16) to a text, as a client does.
fn apply_edit(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| -> usize {
        let (line, character) = (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let (a, b) = (offset(&edit["range"]["start"]), offset(&edit["range"]["end"]));
    format!("{}{}{}", &text[..a], edit["newText"].as_str().unwrap(), &text[b..])
}

fn only_edit(action: &Value, uri: &str) -> Value {
    let edits = action["edit"]["changes"][uri].as_array().unwrap_or_else(|| panic!("edits for {uri}: {action}"));
    assert_eq!(edits.len(), 1, "{action}");
    edits[0].clone()
}

fn titles(actions: &[Value]) -> Vec<String> {
    actions.iter().map(|a| a["title"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn diagnostics_code_actions_and_hover_count_utf16_and_follow_incremental_edits() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("release.txt"));
    let text = "😀国 Exports grew.The market rose.\n";
    let mut client = Client::start(dir.path());
    client.open(&uri, "plaintext", text);
    let diagnostics = client.diagnostics(&uri, 1);

    // "😀" is two UTF-16 code units, "国" one: "grew" starts at character 2 + 1 + 1 + 8 = 12.
    let glued = diagnostic(&diagnostics, SPACE_RULE).unwrap_or_else(|| panic!("{diagnostics:#?}"));
    assert_eq!(glued["range"], range((0, 12), (0, 20)));
    assert_eq!(glued["source"], "mtlint");
    assert_eq!(glued["severity"], 1);
    let message = glued["message"].as_str().unwrap();
    assert!(
        message.contains("two sentences are glued together") && message.contains("Fluency/Punctuation"),
        "{message}"
    );
    assert_eq!(glued["data"]["suggestions"], json!(["grew. The"]));
    let cjk = diagnostic(&diagnostics, "en.untranslated-cjk").expect("the Chinese character is flagged");
    assert_eq!(cjk["range"], range((0, 2), (0, 3)));

    // A burst of edits, one character each, in UTF-16 positions after the emoji: "Yes, " before "Exports".
    for (i, c) in "Yes, ".chars().enumerate() {
        let at = 4 + i as u32;
        client.change(&uri, 2 + i as i64, json!([{"range": range((0, at), (0, at)), "text": c.to_string()}]));
    }
    let last = 2 + 4;
    let text = "😀国 Yes, Exports grew.The market rose.\n";
    let diagnostics = client.diagnostics(&uri, last);
    assert_eq!(diagnostic(&diagnostics, SPACE_RULE).expect("still flagged")["range"], range((0, 17), (0, 25)));
    // Debounced: the edits of the burst were not each checked.
    let intermediate = client
        .seen
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].as_i64() < Some(last))
        .count();
    assert!(intermediate <= 1, "{intermediate} checks during the burst");

    // Code actions on the flagged span.
    let actions = client.code_actions(&uri, &range((0, 19), (0, 19)));
    let names = titles(&actions);
    let replace =
        actions.iter().find(|a| a["title"] == "Replace with \"grew. The\"").unwrap_or_else(|| panic!("{names:?}"));
    assert_eq!(replace["kind"], "quickfix");
    assert_eq!(replace["isPreferred"], true);
    assert_eq!(replace["diagnostics"][0]["code"], SPACE_RULE);
    let edit = only_edit(replace, &uri);
    assert_eq!(edit["range"], range((0, 17), (0, 25)));
    assert_eq!(apply_edit(text, &edit), "😀国 Yes, Exports grew. The market rose.\n");
    let fix_all = actions.iter().find(|a| a["title"] == "Fix all safe findings in this document").expect("fix all");
    assert_eq!(apply_edit(text, &only_edit(fix_all, &uri)), "😀国 Yes, Exports grew. The market rose.\n");
    // Asked for source actions only (as VS Code's `editor.codeActionsOnSave` does): the "fix all" action alone.
    let id = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((0, 0), (0, 0)),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let source = client.response(id)["result"].clone();
    assert_eq!(source.as_array().map(Vec::len), Some(1), "{source}");
    assert_eq!(source[0]["kind"], "source.fixAll.mtlint");
    let disable = actions
        .iter()
        .find(|a| a["title"] == format!("Disable {SPACE_RULE} for this line"))
        .unwrap_or_else(|| panic!("{names:?}"));
    let disable_edit = only_edit(disable, &uri);
    assert_eq!(disable_edit["range"], range((0, 0), (0, 0)));
    assert_eq!(disable_edit["newText"], format!("# mtlint-disable-next-line {SPACE_RULE}\n"));

    // Hover on the flagged span explains the rule.
    let hover = client.hover(&uri, 0, 20);
    let value = hover["contents"]["value"].as_str().unwrap_or_else(|| panic!("a hover: {hover}"));
    assert!(value.contains(SPACE_RULE) && value.contains("glued together"), "{value}");
    assert_eq!(hover["range"], range((0, 17), (0, 25)));
    assert_eq!(client.hover(&uri, 0, 30), Value::Null, "no hover away from findings");

    // Applying the "disable" edit silences the rule; a term rule then shows its source term on hover.
    client.change(&uri, 10, json!([{"range": disable_edit["range"], "text": disable_edit["newText"]}]));
    client.change(&uri, 11, json!([{"range": range((1, 38), (1, 38)), "text": " at the National New Office"}]));
    let diagnostics = client.diagnostics(&uri, 11);
    assert!(diagnostic(&diagnostics, SPACE_RULE).is_none(), "{diagnostics:#?}");
    let term = diagnostic(&diagnostics, "zh-en.gov.scio").unwrap_or_else(|| panic!("{diagnostics:#?}"));
    assert_eq!(term["range"], range((1, 46), (1, 65)));
    let hover = client.hover(&uri, 1, 50);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("Source term: **国新办**") && value.contains("State Council Information Office"), "{value}");

    // Closing the document clears its diagnostics.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let cleared =
        client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null());
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn markdown_documents_are_read_as_markdown_and_disabled_with_html_comments() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("release.md"));
    let text = "# Title\r\n\r\n  Exports grew.The market rose. `code.Here`\r\n";
    let mut client = Client::start(dir.path());
    client.open(&uri, "markdown", text);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(
        diagnostics.iter().filter(|d| d["code"] == SPACE_RULE).count(),
        1,
        "code is not prose: {diagnostics:#?}"
    );
    assert_eq!(diagnostic(&diagnostics, SPACE_RULE).unwrap()["range"], range((2, 10), (2, 18)));
    let actions = client.code_actions(&uri, &range((2, 10), (2, 18)));
    let disable = actions.iter().find(|a| a["title"] == format!("Disable {SPACE_RULE} for this line")).unwrap();
    let edit = only_edit(disable, &uri);
    assert_eq!(edit["newText"], format!("  <!-- mtlint-disable-next-line {SPACE_RULE} -->\r\n"));
    assert_eq!(edit["range"], range((2, 0), (2, 0)));
    client.change(&uri, 2, json!([{"range": edit["range"], "text": edit["newText"]}]));
    let diagnostics = client.diagnostics(&uri, 2);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn the_workspace_configuration_is_honoured_and_reloaded_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mtlint.toml");
    std::fs::write(&config, format!("disable = [\"{SPACE_RULE}\"]\n")).unwrap();
    let uri = file_uri(&dir.path().join("release.txt"));
    let mut client = Client::start(dir.path());
    client.open(&uri, "plaintext", "Exports grew.The market rose at the the fair.\n");
    let diagnostics = client.diagnostics(&uri, 1);
    assert!(diagnostic(&diagnostics, SPACE_RULE).is_none(), "disabled by mtlint.toml: {diagnostics:#?}");
    assert!(diagnostic(&diagnostics, "en.repeated-word").is_some(), "{diagnostics:#?}");

    // The configuration changes; the client's file watcher says so.
    std::fs::write(&config, "disable = [\"en.repeated-word\"]\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&config), "type": 2}]}));
    let diagnostics = client.diagnostics(&uri, 1);
    assert!(diagnostic(&diagnostics, SPACE_RULE).is_some(), "{diagnostics:#?}");
    assert!(diagnostic(&diagnostics, "en.repeated-word").is_none(), "{diagnostics:#?}");

    // An invalid configuration is one diagnostic, not a crash.
    std::fs::write(&config, "disable = [\"en.repeated-word\"]\nnot-a-key = 1\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&config), "type": 2}]}));
    let diagnostics = client.diagnostics(&uri, 1);
    let broken = diagnostic(&diagnostics, "mtlint.config").unwrap_or_else(|| panic!("{diagnostics:#?}"));
    assert!(broken["message"].as_str().unwrap().contains("not-a-key"), "{broken}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn malformed_messages_unknown_methods_and_huge_documents_do_not_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    // Not JSON: a parse error answered with a null id.
    client.send_bytes(b"Content-Length: 9\r\n\r\n{not json");
    let error = client.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    // JSON, but not a request: an invalid request, answered with its id.
    client.send_value(&json!({"jsonrpc": "2.0", "id": 77, "params": 3}));
    assert_eq!(client.wait_for(|m| m["id"] == 77)["error"]["code"], -32600);
    // Garbage headers, then a valid message.
    client.send_bytes(b"this is not a header\r\nX-Whatever: 1\r\n\r\n");
    // An unknown request and a notification the server does not know.
    let id = client.request("mtlint/unknown", json!({}));
    assert_eq!(client.response(id)["error"]["code"], -32601);
    client.notify("mtlint/somethingElse", json!({}));
    // Wrong parameters for a known method.
    let id = client.request("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(client.response(id)["error"]["code"], -32602);
    // A change to a document that is not open, and a malformed notification.
    client.change("file:///nowhere.txt", 3, json!([{"text": "x"}]));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": 1}}));

    // A document too large to check is reported as such, and does not keep the others waiting.
    let huge_uri = file_uri(&dir.path().join("huge.txt"));
    let huge = "Exports grew.The market rose. ".repeat(600_000);
    client.open(&huge_uri, "plaintext", &huge);
    let small_uri = file_uri(&dir.path().join("small.txt"));
    client.open(&small_uri, "plaintext", "Exports grew.The market rose.\n");
    let small = client.diagnostics(&small_uri, 1);
    assert_eq!(diagnostic(&small, SPACE_RULE).unwrap()["range"], range((0, 8), (0, 16)));
    let huge_diagnostics = client.diagnostics(&huge_uri, 1);
    assert_eq!(huge_diagnostics.len(), 1, "{huge_diagnostics:#?}");
    assert_eq!(huge_diagnostics[0]["code"], "mtlint.too-large");

    // A request before a check of the latest edit is answered once that check is done.
    client.change(&small_uri, 2, json!([{"range": range((0, 0), (0, 0)), "text": "国"}]));
    let hover = client.hover(&small_uri, 0, 10);
    assert!(hover["contents"]["value"].as_str().unwrap().contains(SPACE_RULE), "{hover}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn requests_before_initialize_are_refused_and_exit_without_shutdown_is_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mtlint lsp starts");
    let mut stdin = child.stdin.take().unwrap();
    for body in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}}).to_string(),
        json!({"jsonrpc": "2.0", "method": "exit"}).to_string(),
    ] {
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("-32002"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

/// Neovim's built-in LSP client, a client this project did not write, starts `mtlint lsp` for a text file and
/// receives its diagnostics.
#[test]
fn neovim_receives_the_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("release.txt");
    std::fs::write(&file, "Exports grew.The market rose.\n").unwrap();
    let out = dir.path().join("diagnostics.json");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp/diagnostics.lua");
    let mut nvim = match Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("MTLINT_BIN", env!("CARGO_BIN_EXE_mtlint"))
        .env("MTLINT_FILE", &file)
        .env("MTLINT_OUT", &out)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => panic!(
            "this test needs Neovim (nvim >= 0.7) as a real LSP client, and it cannot be run: {e}. \
             Install it: apt-get install -y neovim (.ci/run does)"
        ),
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = nvim.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("nvim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    let _ = nvim.stderr.take().unwrap().read_to_string(&mut stderr);
    let written = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("nvim wrote no result ({e}); status {status}, stderr: {stderr}"));
    let result: Value = serde_json::from_str(&written).unwrap_or_else(|e| panic!("{e}: {written}"));
    assert!(result.get("error").is_none(), "the Lua script failed: {result}");
    assert_eq!(result["received"], true, "nvim received no diagnostics: {result}; stderr: {stderr}");
    let diagnostics = result["diagnostics"].as_array().expect("a list");
    let glued = diagnostics.iter().find(|d| d["code"] == SPACE_RULE).unwrap_or_else(|| panic!("{result}"));
    assert_eq!(glued["source"], "mtlint");
    assert_eq!(glued["lnum"], 0);
    assert_eq!(glued["col"], 8);
    // Neovim 0.8+ keeps the protocol's diagnostic; 0.7 only its own (byte) column, checked above.
    if !glued["range"].is_null() {
        assert_eq!(glued["range"]["start"], position(0, 8));
    }
}
