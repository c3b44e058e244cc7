//! Routes, request ids, logging, and the JSON body extractor.

pub mod dialects;
pub mod openapi;
pub mod schema;
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
use std::time::Instant;

/// Request bodies larger than this get 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let static_dir = state.config.static_dir.clone();
    let mut router = Router::new()
        .merge(sso::router())
        .merge(dialects::router())
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/openapi.json", axum::routing::get(openapi::openapi_json));
    if let Some(dir) = static_dir {
        router = router.fallback_service(tower_http::services::ServeDir::new(dir));
    }
    let cors = cors_layer(&state.config.cors_origins);
    let router = router.layer(middleware::from_fn(request_context));
    match cors {
        Some(cors) => router.layer(cors).with_state(state),
        None => router.with_state(state),
    }
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
/// and logs one line per request: method, path, status, time. Never a body.
async fn request_context(request: Request, next: Next) -> Response {
    let request_id = format!("request-id-{}", uuid::Uuid::new_v4());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let mut response = REQUEST_ID.scope(request_id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    tracing::info!(%request_id, %method, %path, status = response.status().as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    response
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
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(AppError::PayloadTooLarge);
    }
    axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| AppError::PayloadTooLarge)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let issue = samlkit::update::type_error(e.path(), e.inner());
        AppError::Invalid {
            message: format!("The request body is not valid: {}", issue.message),
            issues: vec![issue],
        }
    })
}
