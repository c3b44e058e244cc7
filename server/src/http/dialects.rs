//! The Infisical and SailPoint dialects: their routes, request and error shapes,
//! over the same store and the same core rules as the native API.
//!
//! Both address one connection per organization (Infisical's one SAML config,
//! SailPoint's tenant configuration). Its id is derived from the organization's,
//! so a configuration that was never saved still has its SP values, and two
//! first writes cannot create two connections.

use super::{parse_json, read_json_bytes};
use crate::auth::{Action, Caller};
use crate::connections::{empty_connection, insert_new, load, save, stored_draft};
use crate::error::{AppError, current_request_id};
use crate::startup::AppState;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use samlkit::Issue;
use samlkit::dialect::{infisical, sailpoint};
use samlkit::model::{Connection, Draft};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sso/config",
            get(infisical_get).post(infisical_create).patch(infisical_update),
        )
        .route(
            "/beta/auth-org/service-provider-config",
            get(sailpoint_get).patch(sailpoint_patch),
        )
        // The v3 API (SailPoint's official client calls it) is the same resource.
        .route(
            "/v3/auth-org/service-provider-config",
            get(sailpoint_get).patch(sailpoint_patch),
        )
}

/// The id of the organization's dialect connection.
pub fn primary_connection_id(organization_id: &str) -> String {
    let name = format!("samlkit:primary-saml-connection:{organization_id}");
    format!(
        "saml-connection-{}",
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
    )
}

/// An organization id as Infisical sends it (the bare UUID) or as the native API does.
fn organization_id(given: &str) -> String {
    if given.starts_with("organization-") {
        given.to_owned()
    } else {
        format!("organization-{given}")
    }
}

fn invalid_paths(error: AppError, path: impl Fn(&str) -> String) -> AppError {
    match error {
        AppError::Invalid { message, issues } => AppError::Invalid {
            message,
            issues: issues
                .into_iter()
                .map(|mut i| {
                    i.path = path(&i.path);
                    i
                })
                .collect(),
        },
        other => other,
    }
}

// --- Infisical ---------------------------------------------------------------

/// Infisical's error body: `{reqId, statusCode, message, error, details?}`.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InfisicalError {
    pub req_id: String,
    pub status_code: u16,
    /// A sentence; with 422, the list of schema violations.
    pub message: Value,
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Issue>>)]
    pub details: Option<Value>,
}

pub(crate) enum InfisicalFailure {
    App(AppError),
    /// The request breaks the seed's schema: 422.
    Schema(Vec<Issue>),
}

impl From<AppError> for InfisicalFailure {
    fn from(e: AppError) -> Self {
        InfisicalFailure::App(e)
    }
}

impl IntoResponse for InfisicalFailure {
    fn into_response(self) -> Response {
        let (status, error, message, details) = match self {
            InfisicalFailure::Schema(issues) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "ValidationFailure",
                serde_json::to_value(&issues).unwrap_or_default(),
                None,
            ),
            InfisicalFailure::App(e) => {
                let d = e.describe();
                // Infisical has no 412: a write that lost a race is a bad request to retry.
                let status = match d.status {
                    StatusCode::PRECONDITION_FAILED => StatusCode::BAD_REQUEST,
                    s => s,
                };
                let error = match status.as_u16() {
                    400 => "BadRequest",
                    401 => "UnauthorizedError",
                    403 => "PermissionDenied",
                    404 => "NotFound",
                    408 => "RequestTimeout",
                    413 => "PayloadTooLarge",
                    415 => "UnsupportedMediaType",
                    _ => "InternalServerError",
                };
                let details = (status == StatusCode::BAD_REQUEST && !d.issues.is_empty())
                    .then(|| serde_json::to_value(&d.issues).unwrap_or_default());
                (status, error, Value::String(d.message), details)
            }
        };
        let body = InfisicalError {
            req_id: current_request_id(),
            status_code: status.as_u16(),
            message,
            error: error.to_owned(),
            details,
        };
        (status, Json(body)).into_response()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InfisicalQuery {
    organization_id: Option<String>,
}

/// The config answer, with the connection's stored times.
async fn infisical_view(state: &AppState, c: &Connection) -> Result<infisical::ConfigView, AppError> {
    let (created, updated) = state.store.times(&c.connection_id).await?.ok_or(AppError::NotFound {
        what: "SAML configuration",
    })?;
    Ok(infisical::ConfigView::new(c, &created, &updated))
}

async fn infisical_body(request: Request, create: bool) -> Result<infisical::ConfigRequest, InfisicalFailure> {
    let bytes = read_json_bytes(request).await?;
    let value: Value = parse_json(&bytes)?;
    infisical::parse(&value, create).map_err(InfisicalFailure::Schema)
}

#[utoipa::path(get, path = "/api/v1/sso/config", tag = "infisical",
    params(("organizationId" = Option<String>, Query, description = "Defaults to the member's organization")),
    responses((status = 200, description = "The organization's SAML config", body = infisical::ConfigView),
        (status = 401, body = InfisicalError), (status = 403, body = InfisicalError), (status = 404, body = InfisicalError)))]
pub(crate) async fn infisical_get(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
    Query(query): Query<InfisicalQuery>,
) -> Result<Json<infisical::ConfigView>, InfisicalFailure> {
    let caller = caller?;
    let org = match (&query.organization_id, &caller) {
        (Some(given), _) => organization_id(given),
        (None, Caller::Member(m)) => m.organization_id.clone(),
        (None, Caller::Project) => return Err(AppError::NotFound { what: "organization" }.into()),
    };
    caller.authorize(&org, Action::Read)?;
    let stored = load(&state, &org, &primary_connection_id(&org))
        .await
        .map_err(|_| AppError::NotFound {
            what: "SAML configuration",
        })?;
    Ok(Json(infisical_view(&state, &stored.connection).await?))
}

#[utoipa::path(post, path = "/api/v1/sso/config", tag = "infisical",
    request_body = infisical::ConfigRequest,
    responses((status = 200, description = "Created", body = infisical::ConfigResponse),
        (status = 400, body = InfisicalError), (status = 401, body = InfisicalError), (status = 403, body = InfisicalError),
        (status = 404, body = InfisicalError), (status = 422, body = InfisicalError), (status = 500, body = InfisicalError)))]
pub(crate) async fn infisical_create(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
    request: Request,
) -> Result<Json<infisical::ConfigResponse>, InfisicalFailure> {
    let caller = caller?;
    let body = infisical_body(request, true).await?;
    let org = organization_id(&body.organization_id);
    caller.authorize(&org, Action::Create)?;
    if !state.store.organization_exists(&org).await.map_err(AppError::from)? {
        return Err(AppError::NotFound { what: "organization" }.into());
    }
    let id = primary_connection_id(&org);
    let exists = || AppError::Invalid {
        message: "This organization already has a SAML configuration; update it with PATCH.".into(),
        issues: vec![],
    };
    if state.store.get(&org, &id).await.map_err(AppError::from)?.is_some() {
        return Err(exists().into());
    }
    let base = Draft {
        display_name: Some("SAML SSO".into()),
        ..Draft::default()
    };
    let draft = infisical::apply(&base, &[], &body);
    // Two first writes: the insert is idempotent, and the one that finds the
    // configuration made gets the same answer as if it had come second.
    let (connection, _) = insert_new(&state, &org, id, draft)
        .await
        .map_err(|e| invalid_paths(e, infisical::field_path))?
        .ok_or_else(exists)?;
    Ok(Json(infisical_view(&state, &connection).await?.config))
}

#[utoipa::path(patch, path = "/api/v1/sso/config", tag = "infisical",
    request_body = infisical::ConfigRequest,
    responses((status = 200, description = "Updated", body = infisical::ConfigResponse),
        (status = 400, body = InfisicalError), (status = 401, body = InfisicalError), (status = 403, body = InfisicalError),
        (status = 404, body = InfisicalError), (status = 422, body = InfisicalError), (status = 500, body = InfisicalError)))]
pub(crate) async fn infisical_update(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
    request: Request,
) -> Result<Json<infisical::ConfigResponse>, InfisicalFailure> {
    let caller = caller?;
    let body = infisical_body(request, false).await?;
    let org = organization_id(&body.organization_id);
    caller.authorize(&org, Action::Update)?;
    let (connection, _) = save(&state, &org, &primary_connection_id(&org), None, |stored| {
        Ok(infisical::apply(
            &stored_draft(stored),
            &stored.connection.verification_certificates,
            &body,
        ))
    })
    .await
    .map_err(|e| match e {
        AppError::NotFound { .. } => AppError::NotFound {
            what: "SAML configuration",
        },
        e => invalid_paths(e, infisical::field_path),
    })?;
    Ok(Json(infisical_view(&state, &connection).await?.config))
}

// --- SailPoint ---------------------------------------------------------------

/// SailPoint's error body (ErrorResponseDto), with the core's issues beside it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SailpointError {
    pub detail_code: String,
    pub tracking_id: String,
    pub messages: Vec<SailpointMessage>,
    pub causes: Vec<SailpointMessage>,
    pub issues: Vec<Issue>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SailpointMessage {
    pub locale: String,
    pub locale_origin: String,
    pub text: String,
}

pub(crate) struct SailpointFailure(AppError);

impl From<AppError> for SailpointFailure {
    fn from(e: AppError) -> Self {
        SailpointFailure(e)
    }
}

impl IntoResponse for SailpointFailure {
    fn into_response(self) -> Response {
        let d = self.0.describe();
        let detail_code = match d.status.as_u16() {
            400 => "400.1 Bad Request Content",
            401 => "401 Unauthorized",
            403 => "403 Forbidden",
            404 => "404 Not found",
            412 => "412 Precondition Failed",
            408 => "408 Request Timeout",
            413 => "413 Payload Too Large",
            415 => "415 Unsupported Media Type",
            _ => "500.0 Internal Fault",
        };
        let message = |text: String| SailpointMessage {
            locale: "en-US".into(),
            locale_origin: "DEFAULT".into(),
            text,
        };
        let body = SailpointError {
            detail_code: detail_code.into(),
            tracking_id: current_request_id(),
            messages: vec![message(d.message)],
            causes: d
                .issues
                .iter()
                .map(|i| message(format!("{}: {}", i.path, i.message)))
                .collect(),
            issues: d.issues,
        };
        (d.status, Json(body)).into_response()
    }
}

/// The caller's tenant and its connection (saved, or the one a first write creates).
async fn sailpoint_connection(
    state: &AppState,
    caller: &Caller,
    action: Action,
) -> Result<(String, Option<crate::db::Stored>, Connection), AppError> {
    let Caller::Member(member) = caller else {
        return Err(AppError::Invalid {
            message: "The service-provider configuration belongs to a member's organization; use a member session."
                .into(),
            issues: vec![],
        });
    };
    let org = member.organization_id.clone();
    caller.authorize(&org, action)?;
    let id = primary_connection_id(&org);
    match state.store.get(&org, &id).await? {
        Some(stored) => {
            let c = stored.connection.clone();
            Ok((org, Some(stored), c))
        }
        None => {
            let mut c = empty_connection(state, &org, &id);
            c.enabled = false;
            Ok((org, None, c))
        }
    }
}

#[utoipa::path(get, path = "/beta/auth-org/service-provider-config", tag = "sailpoint",
    responses((status = 200, description = "The tenant's SAML configuration", body = sailpoint::ServiceProviderConfig),
        (status = 401, body = SailpointError), (status = 403, body = SailpointError)))]
pub(crate) async fn sailpoint_get(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
) -> Result<Json<sailpoint::ServiceProviderConfig>, SailpointFailure> {
    let (_, _, connection) = sailpoint_connection(&state, &caller?, Action::Read).await?;
    Ok(Json(sailpoint::document(&connection)))
}

#[utoipa::path(patch, path = "/beta/auth-org/service-provider-config", tag = "sailpoint",
    request_body(content = Vec<Object>, content_type = "application/json-patch+json", description = "RFC 6902 operations"),
    responses((status = 200, description = "Updated", body = sailpoint::ServiceProviderConfig),
        (status = 400, description = "A rule of the seed or of the core; `issues` says which field", body = SailpointError),
        (status = 401, body = SailpointError), (status = 403, body = SailpointError)))]
pub(crate) async fn sailpoint_patch(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
    request: Request,
) -> Result<Json<sailpoint::ServiceProviderConfig>, SailpointFailure> {
    let caller = caller?;
    let bytes = read_json_bytes(request).await?;
    let operations: Value = parse_json(&bytes)?;
    let (org, stored, connection) = sailpoint_connection(&state, &caller, Action::Update).await?;
    let base = match &stored {
        Some(s) => stored_draft(s),
        None => Draft {
            display_name: Some("SAML SSO".into()),
            ..connection.draft()
        },
    };
    let draft = sailpoint::apply_patch(&connection, &base, &operations).map_err(AppError::invalid)?;
    let paths = |e: AppError| invalid_paths(e, |p| sailpoint::field_path(p, &draft));
    // A first write inserts (idempotently); when another first write got there
    // before it, the patch is applied to that one as any later write is.
    let inserted = match stored {
        Some(_) => None,
        None => insert_new(&state, &org, connection.connection_id.clone(), draft.clone())
            .await
            .map_err(paths)?,
    };
    let saved = match inserted {
        Some((saved, _)) => saved,
        None => {
            save(&state, &org, &connection.connection_id, None, |stored| {
                sailpoint::apply_patch(&stored.connection, &stored_draft(stored), &operations)
                    .map_err(AppError::invalid)
            })
            .await
            .map_err(paths)?
            .0
        }
    };
    Ok(Json(sailpoint::document(&saved)))
}
