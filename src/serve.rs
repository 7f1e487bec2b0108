//! `mtlint serve`: a local HTTP server with three faces over one [`Engine`] (the rules compiled once and shared by
//! every request): a LanguageTool-compatible API (`/v2/check`, `/v2/languages`, see [`languagetool`]), mtlint's own
//! JSON API (`/api/check`, `/api/fix`, see [`api`]) and a web page for correcting a text in the browser (`/`, see
//! [`page`]).
//!
//! Safe by default: it listens on 127.0.0.1 unless told otherwise, request bodies over a limit get 413, malformed
//! requests get 400 with a JSON `{"error": …}`, and no endpoint takes a path: nothing a request says can make the
//! server read or write a file. Checks run on tokio's blocking pool, so requests are served in parallel and a long
//! text never stalls the others.

mod api;
pub mod engine;
mod languagetool;
mod page;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use engine::Engine;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::sync::Arc;

/// Where to listen and how much to accept.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// The origin whose pages may call the API from a browser (`Access-Control-Allow-Origin`), if any.
    pub allow_origin: Option<String>,
}

/// What every handler shares.
pub struct State {
    pub engine: Engine,
    pub max_body: usize,
    pub allow_origin: Option<HeaderValue>,
}

type Shared = axum::extract::State<Arc<State>>;

/// An error answered as `{"error": "…"}` with its status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}

/// The routes, for [`run`] and for tests that serve on a listener of their own.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/style.css", get(page::style))
        .route("/v2/check", post(languagetool::check_post).get(languagetool::check_get))
        .route("/v2/languages", get(languagetool::languages))
        .route("/api/check", post(api::check))
        .route("/api/fix", post(api::fix))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), cross_origin))
        .with_state(state)
}

/// With `--allow-origin`, lets pages of that origin call the API from a browser: a preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) gets 204 with the methods and headers allowed, and every answer names the
/// origin. Without it, browsers keep other origins' pages out (the same-origin policy), as LanguageTool's server does.
async fn cross_origin(
    axum::extract::State(state): Shared,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(origin) = state.allow_origin.clone() else {
        return next.run(request).await;
    };
    let preflight =
        request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("Content-Type"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        r
    } else {
        next.run(request).await
    };
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    response.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

async fn not_found(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError { status: StatusCode::NOT_FOUND, message: format!("no such endpoint: {method} {}", uri.path()) }
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    let allowed = if uri.path() == "/v2/check" {
        "GET or POST"
    } else if uri.path().starts_with("/api/") {
        "POST"
    } else {
        "GET"
    };
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("{method} is not allowed on {}; use {allowed}", uri.path()),
    }
}

/// Serves until interrupted (Ctrl-C or SIGTERM). Prints the address it listens on to standard error once it
/// accepts connections (with port 0, the port the system chose).
pub fn run(options: &Options, engine: Engine) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's threads: {e}"))?;
    let allow_origin = match &options.allow_origin {
        None => None,
        Some(origin) => Some(
            HeaderValue::from_str(origin).map_err(|_| format!("--allow-origin {origin:?} is not a valid origin"))?,
        ),
    };
    let state = Arc::new(State { engine, max_body: options.max_body, allow_origin });
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", options.host, options.port))?;
        let address: SocketAddr =
            listener.local_addr().map_err(|e| format!("cannot read the address listened on: {e}"))?;
        eprintln!(
            "mtlint serve: listening on http://{address}/ ({} rules; LanguageTool API at http://{address}/v2/)",
            state.engine.rules().rules.len()
        );
        axum::serve(listener, router(state)).with_graceful_shutdown(shutdown()).await.map_err(|e| e.to_string())
    })
}

async fn shutdown() {
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Reads a request body of at most `max` bytes: 413 when it is longer (by its Content-Length, or as it arrives),
/// 400 when it cannot be read (the client went away mid-body).
pub async fn read_body(headers: &HeaderMap, body: Body, max: usize) -> Result<Bytes, ApiError> {
    let too_large = || ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!("the request body is larger than the limit of {max} bytes (see `mtlint serve --max-body`)"),
    };
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let mut body = body;
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::bad_request(format!("the request body could not be read: {e}")))?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max {
                return Err(too_large());
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(bytes))
}

/// Whether a request says its body is JSON.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"))
}

/// Runs a check on the blocking pool, so the server keeps answering other requests meanwhile.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("internal error while checking: {e}"),
    })
}
