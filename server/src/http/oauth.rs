//! `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4)
//! for API clients of one organization, as SailPoint's clients obtain their
//! bearer token. The access token is a JWT this server signs; it acts with the
//! client's role in the client's organization.
//!
//! Client credentials come in the body (`application/x-www-form-urlencoded`, or
//! `multipart/form-data` as SailPoint's client sends them) or as HTTP Basic.
//! Errors have RFC 6749's shape (`error`, `error_description`) and our `issues`.

use crate::error::current_request_id;
use crate::startup::AppState;
use crate::tokens;
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use samlkit::{Code, Issue};
use serde::Serialize;

/// A token request is a few short fields.
const MAX_TOKEN_REQUEST_BYTES: usize = 8 * 1024;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/oauth/token", post(token))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    scope: &'static str,
}

/// RFC 6749 §5.2.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TokenError {
    error: &'static str,
    error_description: String,
    issues: Vec<Issue>,
    request_id: String,
}

struct Refusal {
    status: StatusCode,
    error: &'static str,
    description: String,
    path: &'static str,
}

fn refuse(status: StatusCode, error: &'static str, path: &'static str, description: &str) -> Refusal {
    Refusal {
        status,
        error,
        description: description.to_owned(),
        path,
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = TokenError {
            error: self.error,
            issues: vec![Issue::with_message(Code::RequestInvalid, self.path, &self.description)],
            error_description: self.description,
            request_id: current_request_id(),
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.error == "invalid_client" {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"samlkit\""),
            );
        }
        response
    }
}

#[derive(Default)]
struct Fields {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl Fields {
    fn set(&mut self, name: &str, value: String) -> Result<(), Refusal> {
        let slot = match name {
            "grant_type" => &mut self.grant_type,
            "client_id" => &mut self.client_id,
            "client_secret" => &mut self.client_secret,
            // `scope` and the like: there is one scope, `sso`.
            _ => return Ok(()),
        };
        if slot.replace(value).is_some() {
            // RFC 6749 §3.2: parameters must not be included more than once.
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "",
                &format!("{name} is given more than once."),
            ));
        }
        Ok(())
    }
}

async fn read_fields(request: Request) -> Result<Fields, Refusal> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_TOKEN_REQUEST_BYTES).await.map_err(|_| {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            "",
            "A token request is at most 8 KiB.",
        )
    })?;
    let mut fields = Fields::default();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (name, value) in form_urlencoded::parse(&bytes) {
            fields.set(&name, value.into_owned())?;
        }
    } else if content_type.starts_with("multipart/form-data") {
        let request = Request::from_parts(parts, Body::from(bytes));
        let malformed = |_| refuse(StatusCode::BAD_REQUEST, "invalid_request", "", "The form is malformed.");
        let mut form = Multipart::from_request(request, &())
            .await
            .map_err(|_| refuse(StatusCode::BAD_REQUEST, "invalid_request", "", "The form is malformed."))?;
        while let Some(field) = form.next_field().await.map_err(malformed)? {
            let name = field.name().unwrap_or_default().to_owned();
            let value = field.text().await.map_err(malformed)?;
            fields.set(&name, value)?;
        }
    } else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "",
            "Send the token request as application/x-www-form-urlencoded (or multipart/form-data).",
        ));
    }
    Ok(fields)
}

/// HTTP Basic client authentication (`client_secret_basic`): form-encoded id and secret.
fn basic_client(value: &str) -> Option<(String, String)> {
    let (scheme, credentials) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let (id, secret) = crate::auth::basic_credentials(credentials.trim())?;
    let unescape = |s: &str| {
        form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(&id)?, unescape(&secret)?))
}

#[utoipa::path(post, path = "/oauth/token", tag = "oauth",
    request_body(content_type = "application/x-www-form-urlencoded",
        description = "grant_type=client_credentials, client_id, client_secret (or HTTP Basic)"),
    responses((status = 200, description = "An access token for the client's organization", body = TokenResponse),
        (status = 400, description = "invalid_request or unsupported_grant_type", body = TokenError),
        (status = 401, description = "invalid_client", body = TokenError)))]
pub(crate) async fn token(State(state): State<AppState>, request: Request) -> Response {
    let basic = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(basic_client);
    let fields = match read_fields(request).await {
        Ok(f) => f,
        Err(refusal) => return refusal.into_response(),
    };
    match issue_token(&state, basic, fields).await {
        Ok(body) => Json(body).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

async fn issue_token(
    state: &AppState,
    basic: Option<Option<(String, String)>>,
    fields: Fields,
) -> Result<TokenResponse, Refusal> {
    let invalid_client = || {
        refuse(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "/client_secret",
            "The client is unknown or its secret is wrong.",
        )
    };
    match fields.grant_type.as_deref() {
        Some("client_credentials") => {}
        None => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "/grant_type",
                "grant_type is required.",
            ));
        }
        Some(_) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "/grant_type",
                "Only grant_type=client_credentials is supported.",
            ));
        }
    }
    let (client_id, secret) = match (basic, fields.client_id, fields.client_secret) {
        (Some(None), ..) => return Err(invalid_client()),
        (Some(Some(_)), _, Some(_)) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "/client_secret",
                "Authenticate the client once: HTTP Basic or client_secret, not both.",
            ));
        }
        (Some(Some((id, secret))), None, None) => (id, secret),
        (Some(Some((id, secret))), Some(body_id), None) if body_id == id => (id, secret),
        (Some(Some(_)), Some(_), None) => return Err(invalid_client()),
        (None, Some(id), Some(secret)) => (id, secret),
        (None, None, _) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "/client_id",
                "client_id is required.",
            ));
        }
        (None, Some(_), None) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "/client_secret",
                "client_secret is required.",
            ));
        }
    };
    let client = match state.store.api_client(&client_id, Some(&secret)).await {
        Ok(Some(client)) => client,
        Ok(None) => return Err(invalid_client()),
        Err(e) => {
            tracing::error!(cause = %e, "api client lookup");
            return Err(refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "",
                "Something went wrong on our side.",
            ));
        }
    };
    Ok(TokenResponse {
        access_token: state.tokens.access_token(&client, tokens::unix_now()),
        token_type: "Bearer",
        expires_in: tokens::ACCESS_TOKEN_SECONDS,
        scope: "sso",
    })
}
