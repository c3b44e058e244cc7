//! Routes, request ids, logging, and the JSON body extractor.

pub mod dialects;
mod oauth;
pub mod openapi;
pub mod schema;
mod sessions;
mod signin;
mod sso;

use crate::error::{AppError, REQUEST_ID};
use crate::startup::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Instant;
use tower_http::timeout::RequestBodyDeadline;

/// Request bodies larger than this get 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// `POST /validate` reads up to this, so that metadata over its own 1 MiB limit gets
/// the core's verdict (`metadata_too_large` at `/metadata`), as the SDK gives it.
pub const MAX_VALIDATE_BODY_BYTES: usize = 4 * MAX_BODY_BYTES;

pub fn router(state: AppState) -> Router {
    let static_dir = state.config.static_dir.clone();
    let mut router = Router::new()
        .merge(sso::router())
        .merge(dialects::router())
        .merge(sessions::router())
        .merge(signin::router())
        .merge(oauth::router())
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/openapi.json", axum::routing::get(openapi::openapi_json))
        // Every error has the JSON body, unknown routes and methods included.
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .fallback(|| async { AppError::NotFound { what: "route" } });
    if let Some(dir) = static_dir {
        let not_found = || async { AppError::NotFound { what: "route" } };
        let files = tower_http::services::ServeDir::new(dir).not_found_service(axum::routing::any(not_found));
        // Files are read with GET and HEAD; any other method on a path no route has is a 404.
        router = router.fallback_service(axum::routing::get_service(files).fallback(not_found));
    }
    let headers = Arc::new(SecurityHeaders::new(&state.config.frame_ancestors));
    let cors = cors_layer(&state.config.cors_origins);
    let router = router
        .layer(middleware::from_fn(move |request, next| {
            security_headers(headers.clone(), request, next)
        }))
        .layer(middleware::from_fn(request_context));
    match cors {
        Some(cors) => router.layer(cors).with_state(state),
        None => router.with_state(state),
    }
}

/// The router as the accept loop serves it: every request body has a deadline
/// from its head to its last byte (`Limits::body_read_timeout`).
pub fn service(state: AppState) -> RequestBodyDeadline<Router> {
    let deadline = state.config.limits.body_read_timeout;
    RequestBodyDeadline::new(router(state), deadline)
}

/// The panel's stylesheet, which it renders in a `<style>` element: the page's
/// CSP allows exactly this one inline style, by its hash.
const PANEL_CSS: &str = include_str!("../../../src/panel/panel.css");

/// Headers for browsers, computed once.
struct SecurityHeaders {
    /// For HTML pages (the panel's page, the React example, the demo page).
    page_policy: HeaderValue,
    /// For everything else: nothing may load, nothing may frame it.
    api_policy: HeaderValue,
    /// `DENY` when no host may frame the page.
    frame_options: Option<HeaderValue>,
}

impl SecurityHeaders {
    fn new(frame_ancestors: &[String]) -> SecurityHeaders {
        use base64ct::{Base64, Encoding};
        use sha2::{Digest, Sha256};
        let style_hash = Base64::encode_string(&Sha256::digest(PANEL_CSS.as_bytes()));
        let ancestors = match frame_ancestors {
            [] => "'none'".to_owned(),
            hosts => hosts.join(" "),
        };
        let page_policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'sha256-{style_hash}'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors {ancestors}"
        );
        SecurityHeaders {
            page_policy: HeaderValue::from_str(&page_policy).expect("a valid header value"),
            api_policy: HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
            frame_options: frame_ancestors.is_empty().then(|| HeaderValue::from_static("DENY")),
        }
    }
}

/// `nosniff` and `Referrer-Policy` everywhere; a CSP (strict for pages, empty
/// for the rest); `Cache-Control: no-store` on every answer that is not a static
/// file (connection data, tokens and errors are never cached), `no-cache` on
/// static files (revalidated by their validators after a deploy).
async fn security_headers(headers: Arc<SecurityHeaders>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let status = response.status();
    let out = response.headers_mut();
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    let html = out
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if status == axum::http::StatusCode::NOT_MODIFIED {
        // A 304 has no content type, and the browser lays its headers over the
        // cached response's: the page keeps the policy it was served with.
    } else if html {
        out.insert(header::CONTENT_SECURITY_POLICY, headers.page_policy.clone());
        if let Some(deny) = &headers.frame_options {
            out.insert(header::X_FRAME_OPTIONS, deny.clone());
        }
    } else {
        out.insert(header::CONTENT_SECURITY_POLICY, headers.api_policy.clone());
    }
    let static_file = out.contains_key(header::LAST_MODIFIED)
        && (status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED);
    let cache = if static_file { "no-cache" } else { "no-store" };
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Cross-origin access for the SDK in another origin's page. Bearer tokens, not
/// cookies, so no credentials mode is needed even with `*`.
fn cors_layer(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::IF_MATCH])
            .expose_headers([header::ETAG, HeaderName::from_static("x-request-id")]),
    )
}

/// Gives every request an id (in the body of every answer and in `x-request-id`)
/// and logs one line per request: method, path, status, time. Never a body, and
/// never a path that carries private-key text.
async fn request_context(request: Request, next: Next) -> Response {
    let request_id = format!("request-id-{}", uuid::Uuid::new_v4());
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let started = Instant::now();
    let mut response = REQUEST_ID.scope(request_id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    tracing::info!(%request_id, %method, %path, status = response.status().as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    response
}

fn loggable_path(path: &str) -> String {
    let suspicious =
        path.to_ascii_uppercase().contains("PRIVATE") || path.split('/').any(samlkit::secret::is_private_key_material);
    if suspicious {
        "(a path with key material, not logged)".to_owned()
    } else {
        path.to_owned()
    }
}

/// A JSON body: content type checked, size capped before parsing, and a
/// malformed body answered with an issue that points at the offending field.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(request: Request<Body>, _state: &S) -> Result<Self, AppError> {
        let bytes = read_json_bytes(request).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

pub async fn read_json_bytes(request: Request<Body>) -> Result<axum::body::Bytes, AppError> {
    read_json_bytes_up_to(request, MAX_BODY_BYTES).await
}

/// [`read_json_bytes`] with another cap.
pub async fn read_json_bytes_up_to(request: Request<Body>, limit: usize) -> Result<axum::body::Bytes, AppError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "application/json" && !essence.ends_with("+json") {
        return Err(AppError::UnsupportedMediaType);
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge);
    }
    axum::body::to_bytes(request.into_body(), limit).await.map_err(|e| {
        // The body deadline (`service`) or the size cap.
        let timed_out = std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
            .any(|e| e.is::<tower_http::timeout::TimeoutError>());
        if timed_out {
            AppError::RequestTimeout
        } else {
            AppError::PayloadTooLarge
        }
    })
}

/// An issue for a request body that is not the JSON it should be, at the path
/// serde_path_to_error followed (a member named by key material is not named).
fn body_error(path: &serde_path_to_error::Path, error: &serde_json::Error) -> samlkit::Issue {
    use serde_path_to_error::Segment;
    let mut at = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => at.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } if samlkit::secret::is_private_key_material(key) => {
                return samlkit::secret::misplaced(at);
            }
            Segment::Map { key } | Segment::Enum { variant: key } => at = samlkit::issue::pointer(&at, key),
            Segment::Unknown => {}
        }
    }
    samlkit::update::shape_error(at, error)
}

/// Exactly one JSON value (trailing white space aside): anything after it is
/// refused, so that no proxy or firewall can read the body as another request.
/// The JSON is read first, then the type from it with the core's reader
/// ([`samlkit::json`]), the one the SDK reads the same values with.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let invalid = |e: serde_path_to_error::Error<serde_json::Error>| {
        let issue = body_error(e.path(), e.inner());
        AppError::Invalid {
            message: format!("The request body is not valid: {}", issue.message),
            issues: vec![issue],
        }
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let json: serde_json::Value = serde_path_to_error::deserialize(&mut de).map_err(invalid)?;
    de.end().map_err(|_| {
        let message = "The request body must be exactly one JSON value; something follows it.";
        AppError::Invalid {
            message: message.into(),
            issues: vec![samlkit::Issue::with_message(samlkit::Code::RequestInvalid, "", message)],
        }
    })?;
    serde_path_to_error::deserialize(samlkit::json::reader(&json)).map_err(invalid)
}
