//! The native dialect: Stytch-shaped SAML connection routes.

use super::JsonBody;
use super::schema::{
    ConnectionResponse, ConnectionsResponse, DeletedKeyResponse, DeletedResponse, ErrorBody, ValidateResponse, Verdict,
};
use crate::auth::{Action, Caller};
use crate::connections::{check_version, insert_new, load, save, stored_draft};
use crate::error::{AppError, current_request_id};
use crate::fetch;
use crate::spmeta;
use crate::startup::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use samlkit::model::{Connection, Draft, ServiceProvider};
use samlkit::validate::{self, Context};
use samlkit::{Issue, metadata};
use serde::Deserialize;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/b2b/sso/saml/validate", post(validate_draft))
        .route("/v1/b2b/sso/saml/{organization_id}", post(create))
        .route(
            "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}",
            put(update).patch(patch_connection),
        )
        .route(
            "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/url",
            put(update_by_url),
        )
        .route(
            "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/verification_certificates/{certificate_id}",
            delete(delete_certificate),
        )
        .route(
            "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/encryption_private_keys/{private_key_id}",
            delete(delete_encryption_key),
        )
        .route(
            "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/metadata",
            get(sp_metadata),
        )
        .route("/v1/b2b/sso/{organization_id}", get(list))
        .route(
            "/v1/b2b/sso/{organization_id}/connections/{connection_id}",
            delete(delete_connection).get(get_one),
        )
}

fn respond<T: serde::Serialize>(body: T, version: Option<u64>) -> Response {
    let mut response = Json(body).into_response();
    if let Some(v) = version
        && let Ok(value) = HeaderValue::from_str(&format!("\"{v}\""))
    {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

fn connection_response(connection: Connection, issues: Vec<Issue>) -> Response {
    let version = connection.version;
    respond(
        ConnectionResponse {
            connection,
            issues,
            request_id: current_request_id(),
            status_code: 200,
            certificate_id: None,
        },
        Some(version),
    )
}

/// `If-Match: "3"` (or `W/"3"`, or `3`) → 3.
fn if_match(headers: &HeaderMap) -> Result<Option<u64>, AppError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    let digits = text.trim_start_matches("W/").trim_matches('"');
    digits.parse().map(Some).map_err(|_| AppError::Invalid {
        message: "If-Match must be a version this API returned in an ETag.".into(),
        issues: vec![Issue::with_message(
            samlkit::Code::RequestInvalid,
            "",
            "If-Match must be a version this API returned in an ETag.",
        )],
    })
}

/// The preamble of every change: permission and the caller's version.
fn authorize_update(caller: &Caller, organization_id: &str, headers: &HeaderMap) -> Result<Option<u64>, AppError> {
    caller.authorize(organization_id, Action::Update)?;
    if_match(headers)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateRequest {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    identity_provider: Option<String>,
}

#[utoipa::path(post, path = "/v1/b2b/sso/saml/{organization_id}", tag = "sso",
    params(("organization_id" = String, Path)), request_body = CreateRequest,
    responses((status = 200, description = "Created, status pending", body = ConnectionResponse, headers(("etag" = String))), (status = 400, description = "Invalid request or connection; `issues` says which field", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization or connection (or another organization's)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(organization_id): Path<String>,
    JsonBody(body): JsonBody<CreateRequest>,
) -> Result<Response, AppError> {
    caller.authorize(&organization_id, Action::Create)?;
    if !state.store.organization_exists(&organization_id).await? {
        return Err(AppError::NotFound { what: "organization" });
    }
    let connection_id = format!("saml-connection-{}", uuid::Uuid::new_v4());
    let draft = Draft {
        display_name: body.display_name,
        identity_provider: body.identity_provider,
        ..Draft::default()
    };
    let (connection, warnings) = insert_new(&state, &organization_id, connection_id, draft)
        .await?
        .ok_or_else(|| AppError::internal("a new connection id was taken"))?;
    Ok(connection_response(connection, warnings))
}

#[utoipa::path(put, path = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path), ("if-match" = Option<String>, Header, description = "The ETag last read")),
    request_body(content = Draft, description = "Fields to change; null clears one; a masked key (`********`) keeps the stored key"),
    responses((status = 200, description = "Saved", body = ConnectionResponse, headers(("etag" = String))), (status = 400, description = "Invalid request or connection; `issues` says which field", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization or connection (or another organization's)", body = ErrorBody),
        (status = 412, description = "Changed since the given ETag; body has the current connection", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody)))]
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    let expected = authorize_update(&caller, &organization_id, &headers)?;
    let (connection, warnings) = save(&state, &organization_id, &connection_id, expected, |stored| {
        samlkit::update::apply(&stored_draft(stored), &body, &connection_id).map_err(AppError::invalid)
    })
    .await?;
    Ok(connection_response(connection, warnings))
}

#[utoipa::path(patch, path = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path), ("if-match" = Option<String>, Header, description = "The ETag last read")),
    request_body(content = Vec<Object>, content_type = "application/json-patch+json",
        description = "RFC 6902 operations on the connection as GET returns it. Keys may be written, never read (`test`/`copy`/`move`); ids, the organization and derived members are immutable."),
    responses((status = 200, description = "Saved", body = ConnectionResponse, headers(("etag" = String))), (status = 400, description = "Invalid patch or connection; `issues` says which field", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization or connection (or another organization's)", body = ErrorBody),
        (status = 412, description = "Changed since the given ETag; body has the current connection", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody)))]
pub(crate) async fn patch_connection(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(operations): JsonBody<Value>,
) -> Result<Response, AppError> {
    let expected = authorize_update(&caller, &organization_id, &headers)?;
    let (connection, warnings) = save(&state, &organization_id, &connection_id, expected, |stored| {
        let document = serde_json::to_value(&stored.connection).map_err(AppError::internal)?;
        let update = samlkit::update::update_from_patch(&document, &operations).map_err(AppError::invalid)?;
        samlkit::update::apply(&stored_draft(stored), &update, &connection_id).map_err(AppError::invalid)
    })
    .await?;
    Ok(connection_response(connection, warnings))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UrlRequest {
    metadata_url: String,
    /// Which IdP to take when the metadata describes several.
    #[serde(default)]
    idp_entity_id: Option<String>,
}

#[utoipa::path(put, path = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/url", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path), ("if-match" = Option<String>, Header)),
    request_body = UrlRequest,
    responses((status = 200, description = "Saved from the fetched metadata", body = ConnectionResponse, headers(("etag" = String))), (status = 400, description = "Invalid request or connection; `issues` says which field", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization or connection (or another organization's)", body = ErrorBody),
        (status = 412, description = "Changed since the given ETag", body = ErrorBody)))]
pub(crate) async fn update_by_url(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<UrlRequest>,
) -> Result<Response, AppError> {
    let expected = authorize_update(&caller, &organization_id, &headers)?;
    // Fail fast on a missing connection or a stale version, before fetching.
    check_version(&load(&state, &organization_id, &connection_id).await?, expected)?;
    let xml = fetch::fetch_metadata(&body.metadata_url, &state.config.fetch)
        .await
        .map_err(|i| AppError::invalid(vec![i]))?;
    let import = metadata::import(&xml, body.idp_entity_id.as_deref(), state.now());
    let Some(imported) = import.draft.filter(|_| !samlkit::issue::has_errors(&import.issues)) else {
        return Err(AppError::invalid(import.issues));
    };
    let (connection, warnings) = save(&state, &organization_id, &connection_id, expected, |stored| {
        let mut draft = stored_draft(stored);
        draft.take_idp_settings(&imported);
        // The metadata is authoritative for the IdP's certificates: keep the ids of
        // those already on the connection, add the new ones, drop the rest.
        let pems = imported.verification_certificates.iter().map(|c| c.certificate.clone());
        samlkit::dialect::replace_certificates(
            &mut draft,
            pems.collect(),
            &stored.connection.verification_certificates,
        );
        Ok(draft)
    })
    .await?;
    Ok(connection_response(connection, warnings))
}

#[utoipa::path(delete, path = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/verification_certificates/{certificate_id}", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path), ("certificate_id" = String, Path), ("if-match" = Option<String>, Header)),
    responses((status = 200, description = "Removed", body = ConnectionResponse, headers(("etag" = String))), (status = 400, description = "Invalid request or connection; `issues` says which field", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization or connection (or another organization's)", body = ErrorBody),
        (status = 412, description = "Changed since the given ETag", body = ErrorBody)))]
pub(crate) async fn delete_certificate(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id, certificate_id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let expected = authorize_update(&caller, &organization_id, &headers)?;
    let (connection, warnings) = save(&state, &organization_id, &connection_id, expected, |stored| {
        let mut draft = stored_draft(stored);
        let before = draft.verification_certificates.len();
        draft
            .verification_certificates
            .retain(|c| c.certificate_id.as_deref() != Some(certificate_id.as_str()));
        if draft.verification_certificates.len() == before {
            return Err(AppError::NotFound {
                what: "verification certificate",
            });
        }
        Ok(draft)
    })
    .await?;
    let version = connection.version;
    let body = ConnectionResponse {
        connection,
        issues: warnings,
        request_id: current_request_id(),
        status_code: 200,
        certificate_id: Some(certificate_id),
    };
    Ok(respond(body, Some(version)))
}

#[utoipa::path(delete, path = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/encryption_private_keys/{private_key_id}", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path), ("private_key_id" = String, Path), ("if-match" = Option<String>, Header)),
    responses((status = 200, description = "Removed: assertions are no longer decrypted with it", body = DeletedKeyResponse, headers(("etag" = String))),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization, connection or key (or another organization's)", body = ErrorBody),
        (status = 412, description = "Changed since the given ETag", body = ErrorBody)))]
pub(crate) async fn delete_encryption_key(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id, private_key_id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let expected = authorize_update(&caller, &organization_id, &headers)?;
    let (connection, _) = save(&state, &organization_id, &connection_id, expected, |stored| {
        let listed = stored
            .connection
            .encryption_private_keys
            .iter()
            .any(|k| k.private_key_id == private_key_id);
        if !listed {
            return Err(AppError::NotFound {
                what: "encryption private key",
            });
        }
        let mut draft = stored_draft(stored);
        draft.saml_encryption_private_key = None;
        draft.saml_encryption_certificate = None;
        Ok(draft)
    })
    .await?;
    let body = DeletedKeyResponse {
        private_key_id,
        request_id: current_request_id(),
        status_code: 200,
    };
    Ok(respond(body, Some(connection.version)))
}

#[utoipa::path(get, path = "/v1/b2b/sso/{organization_id}/connections/{connection_id}", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path)),
    responses((status = 200, description = "The connection", body = ConnectionResponse, headers(("etag" = String))),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such connection", body = ErrorBody)))]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    caller.authorize(&organization_id, Action::Read)?;
    let stored = load(&state, &organization_id, &connection_id).await?;
    Ok(connection_response(stored.connection, vec![]))
}

#[utoipa::path(get, path = "/v1/b2b/sso/{organization_id}", tag = "sso",
    params(("organization_id" = String, Path)),
    responses((status = 200, description = "The organization's connections", body = ConnectionsResponse),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "Another organization", body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(organization_id): Path<String>,
) -> Result<Response, AppError> {
    caller.authorize(&organization_id, Action::Read)?;
    // As create answers for an organization that does not exist.
    if !state.store.organization_exists(&organization_id).await? {
        return Err(AppError::NotFound { what: "organization" });
    }
    let saml_connections = state.store.list(&organization_id).await?;
    let body = ConnectionsResponse {
        saml_connections,
        oidc_connections: vec![],
        external_connections: vec![],
        request_id: current_request_id(),
        status_code: 200,
    };
    Ok(respond(body, None))
}

#[utoipa::path(delete, path = "/v1/b2b/sso/{organization_id}/connections/{connection_id}", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path), ("if-match" = Option<String>, Header)),
    responses((status = 200, description = "Deleted", body = DeletedResponse), (status = 400, description = "Invalid request or connection; `issues` says which field", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization or connection (or another organization's)", body = ErrorBody),
        (status = 412, description = "Changed since the given ETag", body = ErrorBody)))]
pub(crate) async fn delete_connection(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    caller.authorize(&organization_id, Action::Delete)?;
    let expected = if_match(&headers)?;
    let locked = state
        .store
        .lock(&organization_id, &connection_id)
        .await?
        .ok_or(AppError::NotFound { what: "connection" })?;
    check_version(&locked.stored, expected)?;
    locked.delete().await?;
    let body = DeletedResponse {
        connection_id,
        request_id: current_request_id(),
        status_code: 200,
    };
    Ok(respond(body, None))
}

#[utoipa::path(get, path = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/metadata", tag = "sso",
    params(("organization_id" = String, Path), ("connection_id" = String, Path)),
    responses((status = 200, description = "This SP's metadata for the IdP", content_type = "application/samlmetadata+xml", body = String),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such connection", body = ErrorBody)))]
pub(crate) async fn sp_metadata(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    caller.authorize(&organization_id, Action::Read)?;
    let stored = load(&state, &organization_id, &connection_id).await?;
    let xml = spmeta::sp_metadata(&stored.connection);
    Ok((
        [(header::CONTENT_TYPE, "application/samlmetadata+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidateRequest {
    #[serde(default)]
    connection_id: Option<String>,
    #[serde(default)]
    organization_id: Option<String>,
    #[serde(default)]
    draft: Draft,
    /// Which IdP to take when validating metadata with several.
    #[serde(default)]
    metadata: Option<String>,
    #[serde(default)]
    idp_entity_id: Option<String>,
}

/// Stateless validation, exactly as `validate.connection` / `validate.metadata` in the SDK.
#[utoipa::path(post, path = "/v1/b2b/sso/saml/validate", tag = "sso",
    request_body = ValidateRequest,
    responses((status = 200, description = "The verdict, exactly as the SDK's validate.* gives it", body = ValidateResponse), (status = 400, description = "Invalid request or connection; `issues` says which field", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The member's role does not permit this action", body = ErrorBody),
        (status = 404, description = "No such organization or connection (or another organization's)", body = ErrorBody),
        (status = 413, description = "Body over 4 MiB; `issues` has metadata_too_large at /metadata", body = ErrorBody)))]
pub(crate) async fn validate_draft(
    State(state): State<AppState>,
    caller: Caller,
    request: axum::extract::Request,
) -> Result<Response, AppError> {
    let body: ValidateRequest = match super::read_json_bytes_up_to(request, super::MAX_VALIDATE_BODY_BYTES).await {
        Ok(bytes) => super::parse_json(&bytes)?,
        // Larger still: the same issue the core gives, at the same place.
        Err(AppError::PayloadTooLarge) => {
            return Err(AppError::TooLarge {
                issue: samlkit::Issue::new(samlkit::Code::MetadataTooLarge, "/metadata"),
            });
        }
        Err(e) => return Err(e),
    };
    let service_provider = match (&body.organization_id, &body.connection_id) {
        (Some(org), Some(id)) => {
            caller.authorize(org, Action::Read)?;
            Some(load(&state, org, id).await?.connection).map(|c| ServiceProvider {
                acs_url: c.acs_url,
                audience_uri: c.audience_uri,
            })
        }
        _ => None,
    };
    let ctx = Context {
        now: state.now(),
        service_provider,
    };
    let verdict = match &body.metadata {
        Some(xml) => Verdict::Metadata(Box::new(validate::metadata(xml, body.idp_entity_id.as_deref(), &ctx))),
        None => Verdict::Connection(Box::new(validate::connection(&body.draft, &ctx))),
    };
    Ok(respond(
        ValidateResponse {
            verdict,
            request_id: current_request_id(),
            status_code: 200,
        },
        None,
    ))
}
