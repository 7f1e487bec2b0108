//! `mtlint lsp`: the language server, over standard input and output.
//!
//! One loop owns the open documents. Checks run on the worker threads (rayon's pool) on a snapshot of a document and
//! come back as events; a check is started when a document is opened or saved, and 200 ms after the last of a burst
//! of edits, and at most one runs per document at a time. Hovers and code actions are answered from the latest
//! check; when edits are not checked yet they wait for the check, which is then started at once. Nothing the client
//! sends can stop the loop: malformed messages are logged (see [`transport`]), unknown requests get
//! `MethodNotFound`, and a panic while handling a message is caught and answered with `InternalError`.

mod analysis;
mod features;
pub(crate) mod text;
pub(crate) mod transport;

use crate::cli::LspArgs;
use crate::commands::Exit;
use crate::config::FILE_NAMES;
use crate::document::InputFormat;
use analysis::{Checked, Configs, Snapshot};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    HoverParams, HoverProviderCapability, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};
use transport::{Incoming, Output};

/// How long after the last edit of a burst a document is checked again.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Runs the server until the client says `exit` or closes standard input.
pub fn run(args: &LspArgs) -> Exit {
    let cli_rules = args.selection.sources();
    let (events, receiver) = mpsc::channel::<Event>();
    let output = Output::stdout();
    let reader_events = events.clone();
    transport::read_stdin(output.clone(), move |incoming| reader_events.send(Event::Client(incoming)).is_ok());
    let mut server = Server {
        output: output.clone(),
        events,
        configs: Arc::new(Configs::new(cli_rules)),
        documents: HashMap::new(),
        state: State::Uninitialized,
        generation: 0,
        watch_files: false,
        next_request: 0,
    };
    eprintln!("mtlint lsp: mtlint {} language server started", env!("CARGO_PKG_VERSION"));
    let exit = server.serve(&receiver);
    output.flush(Duration::from_secs(2));
    exit
}

enum Event {
    Client(Incoming),
    Checked(Box<Checked>),
    /// A check that failed (panicked): its document may be checked again.
    CheckFailed {
        uri: Uri,
        generation: u64,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShuttingDown,
}

/// A request that waits for the check of the document's current text.
enum Waiting {
    Hover(RequestId, HoverParams),
    CodeAction(RequestId, CodeActionParams),
}

impl Waiting {
    fn id(&self) -> &RequestId {
        match self {
            Waiting::Hover(id, _) | Waiting::CodeAction(id, _) => id,
        }
    }
}

struct Document {
    text: Arc<String>,
    version: i32,
    language: String,
    generation: u64,
    /// When to check next; `None` when no check is due.
    due: Option<Instant>,
    /// The generation a worker is checking now.
    running: Option<u64>,
    checked: Option<Arc<Checked>>,
    waiting: Vec<Waiting>,
}

impl Document {
    fn current(&self) -> Option<&Arc<Checked>> {
        self.checked.as_ref().filter(|c| c.generation == self.generation)
    }
}

struct Server {
    output: Output,
    events: mpsc::Sender<Event>,
    configs: Arc<Configs>,
    documents: HashMap<Uri, Document>,
    state: State,
    generation: u64,
    /// Whether the client watches configuration files for us.
    watch_files: bool,
    next_request: u64,
}

impl Server {
    fn serve(&mut self, receiver: &mpsc::Receiver<Event>) -> Exit {
        loop {
            let event = match self.next_due() {
                Some(due) => receiver.recv_timeout(due.saturating_duration_since(Instant::now())),
                None => receiver.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            };
            match event {
                Ok(Event::Client(Incoming::Message(message))) => {
                    if let Some(exit) = self.handle(message) {
                        return exit;
                    }
                }
                Ok(Event::Client(Incoming::Closed)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    eprintln!("mtlint lsp: the client closed the connection");
                    // The protocol: exit code 0 only after `shutdown`.
                    return if self.state == State::ShuttingDown { Exit::Clean } else { Exit::Findings };
                }
                Ok(Event::Checked(checked)) => self.checked(*checked),
                Ok(Event::CheckFailed { uri, generation }) => {
                    if let Some(doc) = self.documents.get_mut(&uri)
                        && doc.running == Some(generation)
                    {
                        doc.running = None;
                        // Answer what waits, without findings, rather than let it wait for a check that fails again.
                        let waiting = std::mem::take(&mut doc.waiting);
                        for w in waiting {
                            self.answer_empty(w);
                        }
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            self.start_due_checks();
        }
    }

    /// Handles one message; `Some` when the server is to exit.
    fn handle(&mut self, message: Message) -> Option<Exit> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                if catch_unwind(AssertUnwindSafe(|| self.request(request))).is_err() {
                    eprintln!("mtlint lsp: internal error while answering {method}");
                    self.output.error(id, ErrorCode::InternalError, format!("mtlint failed while answering {method}"));
                }
                None
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    return Some(if self.state == State::ShuttingDown { Exit::Clean } else { Exit::Findings });
                }
                let method = notification.method.clone();
                if catch_unwind(AssertUnwindSafe(|| self.notification(notification))).is_err() {
                    eprintln!("mtlint lsp: internal error while handling {method}");
                }
                None
            }
            Message::Response(response) => {
                if let Err(e) = response.response_result {
                    eprintln!("mtlint lsp: the client answered request {} with an error: {}", response.id, e.message);
                }
                None
            }
        }
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        match (self.state, method.as_str()) {
            (State::Uninitialized, "initialize") => self.initialize(id, &params),
            (State::Uninitialized, _) => {
                self.output.error(id, ErrorCode::ServerNotInitialized, "the server is not initialized yet".into())
            }
            (State::ShuttingDown, _) => {
                self.output.error(id, ErrorCode::InvalidRequest, "the server is shutting down".into())
            }
            (State::Running, "initialize") => {
                self.output.error(id, ErrorCode::InvalidRequest, "the server is already initialized".into())
            }
            (State::Running, "shutdown") => {
                self.state = State::ShuttingDown;
                self.output.respond(id, Value::Null);
            }
            (State::Running, "textDocument/hover") => match serde_json::from_value::<HoverParams>(params) {
                Ok(p) => {
                    let uri = p.text_document_position_params.text_document.uri.clone();
                    self.answer_when_checked(&uri, Waiting::Hover(id, p));
                }
                Err(e) => self.output.error(id, ErrorCode::InvalidParams, e.to_string()),
            },
            (State::Running, "textDocument/codeAction") => match serde_json::from_value::<CodeActionParams>(params) {
                Ok(p) => {
                    let uri = p.text_document.uri.clone();
                    self.answer_when_checked(&uri, Waiting::CodeAction(id, p));
                }
                Err(e) => self.output.error(id, ErrorCode::InvalidParams, e.to_string()),
            },
            (State::Running, _) => {
                eprintln!("mtlint lsp: unknown request {method}");
                self.output.error(id, ErrorCode::MethodNotFound, format!("unknown method {method}"));
            }
        }
    }

    fn initialize(&mut self, id: RequestId, params: &Value) {
        // Read leniently: a client's odd capabilities must not stop the server from starting.
        self.watch_files = params
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let root = params
            .pointer("/workspaceFolders/0/uri")
            .or_else(|| params.get("rootUri"))
            .and_then(Value::as_str)
            .and_then(text::uri_to_path)
            .or_else(|| params.get("rootPath").and_then(Value::as_str).map(PathBuf::from));
        // Documents that are not files (unsaved buffers) take the configuration of the workspace's folder.
        if let Some(root) = root.filter(|r| r.is_dir())
            && let Err(e) = std::env::set_current_dir(&root)
        {
            eprintln!("mtlint lsp: cannot use {} as the workspace folder: {e}", root.display());
        }
        let capabilities = ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
                ..TextDocumentSyncOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(features::FIX_ALL_KIND)]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        };
        self.state = State::Running;
        self.output.respond(
            id,
            json!({
                "capabilities": capabilities,
                "serverInfo": {"name": "mtlint", "version": env!("CARGO_PKG_VERSION")},
            }),
        );
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        if self.state == State::Uninitialized {
            eprintln!("mtlint lsp: ignoring {method} before initialize");
            return;
        }
        match method.as_str() {
            "initialized" => self.watch_configuration_files(),
            "textDocument/didOpen" => match serde_json::from_value::<DidOpenTextDocumentParams>(params) {
                Ok(p) => self.open(p),
                Err(e) => eprintln!("mtlint lsp: malformed {method}: {e}"),
            },
            "textDocument/didChange" => match serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                Ok(p) => self.change(p),
                Err(e) => eprintln!("mtlint lsp: malformed {method}: {e}"),
            },
            "textDocument/didSave" => match serde_json::from_value::<DidSaveTextDocumentParams>(params) {
                Ok(p) => self.save(p),
                Err(e) => eprintln!("mtlint lsp: malformed {method}: {e}"),
            },
            "textDocument/didClose" => match serde_json::from_value::<DidCloseTextDocumentParams>(params) {
                Ok(p) => self.close(&p.text_document.uri),
                Err(e) => eprintln!("mtlint lsp: malformed {method}: {e}"),
            },
            "workspace/didChangeWatchedFiles" => match serde_json::from_value::<DidChangeWatchedFilesParams>(params) {
                Ok(p) => {
                    let paths: Vec<PathBuf> =
                        p.changes.iter().filter_map(|c| text::uri_to_path(c.uri.as_str())).collect();
                    if paths.iter().any(|p| is_configuration(p)) {
                        self.configuration_changed();
                    }
                }
                Err(e) => eprintln!("mtlint lsp: malformed {method}: {e}"),
            },
            "$/cancelRequest" => {
                let id = params.get("id").cloned().and_then(|id| serde_json::from_value::<RequestId>(id).ok());
                if let Some(id) = id {
                    self.cancel(&id);
                }
            }
            "workspace/didChangeConfiguration" => {}
            _ if method.starts_with("$/") => {}
            _ => eprintln!("mtlint lsp: ignoring notification {method}"),
        }
    }

    /// Asks the client to tell us when a configuration file changes (when it can).
    fn watch_configuration_files(&mut self) {
        if !self.watch_files {
            return;
        }
        self.next_request += 1;
        let watchers: Vec<Value> = FILE_NAMES.iter().map(|name| json!({"globPattern": format!("**/{name}")})).collect();
        let params = json!({"registrations": [{
            "id": "mtlint-configuration",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": watchers},
        }]});
        let id = RequestId::from(format!("mtlint-{}", self.next_request));
        self.output.send(Request::new(id, "client/registerCapability".into(), params));
    }

    fn open(&mut self, p: DidOpenTextDocumentParams) {
        self.generation += 1;
        let doc = Document {
            text: Arc::new(p.text_document.text),
            version: p.text_document.version,
            language: p.text_document.language_id,
            generation: self.generation,
            due: Some(Instant::now()),
            running: None,
            checked: None,
            waiting: Vec::new(),
        };
        if let Some(old) = self.documents.insert(p.text_document.uri, doc) {
            for w in old.waiting {
                self.answer_empty(w);
            }
        }
    }

    fn change(&mut self, p: DidChangeTextDocumentParams) {
        let Some(doc) = self.documents.get_mut(&p.text_document.uri) else {
            eprintln!("mtlint lsp: a change to {}, which is not open", p.text_document.uri.as_str());
            return;
        };
        let text = Arc::make_mut(&mut doc.text);
        for change in p.content_changes {
            text::apply_change(text, change);
        }
        doc.version = p.text_document.version;
        self.generation += 1;
        doc.generation = self.generation;
        // A request waiting for a check keeps it prompt; otherwise wait for the edits to stop.
        doc.due = Some(if doc.waiting.is_empty() { Instant::now() + DEBOUNCE } else { Instant::now() });
    }

    fn save(&mut self, p: DidSaveTextDocumentParams) {
        let uri = p.text_document.uri;
        if text::uri_to_path(uri.as_str()).is_some_and(|p| is_configuration(&p)) {
            self.configuration_changed();
        }
        if let Some(doc) = self.documents.get_mut(&uri) {
            if let Some(text) = p.text {
                doc.text = Arc::new(text);
                self.generation += 1;
                doc.generation = self.generation;
            }
            doc.due = Some(Instant::now());
        }
    }

    fn close(&mut self, uri: &Uri) {
        if let Some(doc) = self.documents.remove(uri) {
            for w in doc.waiting {
                self.answer_empty(w);
            }
        }
        self.publish(uri.clone(), Vec::new(), None);
    }

    /// A configuration file changed: load configurations afresh and check every open document again.
    fn configuration_changed(&mut self) {
        eprintln!("mtlint lsp: a configuration file changed; checking the open documents again");
        self.configs.invalidate();
        self.generation += 1;
        let now = Instant::now();
        for doc in self.documents.values_mut() {
            // A new generation, so results checked with the old configuration are not taken as current.
            doc.generation = self.generation;
            doc.due = Some(now);
        }
    }

    fn cancel(&mut self, id: &RequestId) {
        for doc in self.documents.values_mut() {
            if let Some(i) = doc.waiting.iter().position(|w| w.id() == id) {
                let w = doc.waiting.remove(i);
                self.output.error(w.id().clone(), ErrorCode::RequestCanceled, "canceled".into());
                return;
            }
        }
    }

    fn answer_when_checked(&mut self, uri: &Uri, waiting: Waiting) {
        let Some(doc) = self.documents.get_mut(uri) else {
            self.answer_empty(waiting);
            return;
        };
        match doc.current() {
            Some(checked) => {
                let checked = checked.clone();
                self.answer(&checked, waiting);
            }
            None => {
                doc.waiting.push(waiting);
                doc.due = Some(Instant::now());
            }
        }
    }

    fn answer(&self, checked: &Arc<Checked>, waiting: Waiting) {
        match waiting {
            Waiting::Hover(id, p) => {
                let hover = features::hover(checked, p.text_document_position_params.position);
                self.output.respond(id, hover);
            }
            Waiting::CodeAction(id, p) => {
                // Fixing a whole document checks it again, maybe several times: off the loop.
                let output = self.output.clone();
                let checked = checked.clone();
                rayon::spawn(move || match catch_unwind(AssertUnwindSafe(|| features::code_actions(&checked, &p))) {
                    Ok(actions) => output.respond(id, actions),
                    Err(_) => {
                        output.error(id, ErrorCode::InternalError, "mtlint failed to compute code actions".into())
                    }
                });
            }
        }
    }

    fn answer_empty(&self, waiting: Waiting) {
        match waiting {
            Waiting::Hover(id, _) => self.output.respond(id, Value::Null),
            Waiting::CodeAction(id, _) => self.output.respond(id, Vec::<Value>::new()),
        }
    }

    fn next_due(&self) -> Option<Instant> {
        self.documents.values().filter(|d| d.running.is_none()).filter_map(|d| d.due).min()
    }

    fn start_due_checks(&mut self) {
        let now = Instant::now();
        for (uri, doc) in &mut self.documents {
            if doc.running.is_some() || doc.due.is_none_or(|due| due > now) {
                continue;
            }
            doc.due = None;
            doc.running = Some(doc.generation);
            let path = text::uri_to_path(uri.as_str());
            let snapshot = Snapshot {
                uri: uri.clone(),
                generation: doc.generation,
                version: doc.version,
                text: doc.text.clone(),
                format: format_of(uri, path.as_deref(), &doc.language),
                path,
            };
            let events = self.events.clone();
            let configs = self.configs.clone();
            rayon::spawn(move || {
                let event = match catch_unwind(AssertUnwindSafe(|| analysis::analyse(&snapshot, &configs))) {
                    Ok(checked) => Event::Checked(Box::new(checked)),
                    Err(_) => {
                        eprintln!("mtlint lsp: checking {} failed", snapshot.uri.as_str());
                        Event::CheckFailed { uri: snapshot.uri, generation: snapshot.generation }
                    }
                };
                let _ = events.send(event);
            });
        }
    }

    fn checked(&mut self, checked: Checked) {
        let Some(doc) = self.documents.get_mut(&checked.uri) else { return };
        if doc.running == Some(checked.generation) {
            doc.running = None;
        }
        if checked.generation != doc.generation {
            // Edits came in while it ran; their check is due (or starts now).
            return;
        }
        let checked = Arc::new(checked);
        doc.checked = Some(checked.clone());
        let waiting = std::mem::take(&mut doc.waiting);
        self.publish(checked.uri.clone(), checked.diagnostics.clone(), Some(checked.version));
        for w in waiting {
            self.answer(&checked, w);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.output.notify("textDocument/publishDiagnostics", PublishDiagnosticsParams { uri, diagnostics, version });
    }
}

fn is_configuration(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| FILE_NAMES.contains(&n))
}

/// The format of a document: from its file name, like `mtlint check`; for a document without one (an unsaved
/// buffer), from the editor's language id.
fn format_of(uri: &Uri, path: Option<&Path>, language: &str) -> InputFormat {
    let name = path.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(uri.path().as_str()));
    if name.extension().is_some() {
        return InputFormat::from_path(&name);
    }
    match language {
        "markdown" => InputFormat::Markdown,
        "html" => InputFormat::Html,
        "po" => InputFormat::Po,
        _ => InputFormat::Text,
    }
}
