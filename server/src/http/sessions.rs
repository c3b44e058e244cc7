//! Member sessions as Stytch's B2B sessions API has them: `authenticate`
//! (a session token or JWT in, a fresh session JWT out), the JWKS that verifies
//! those JWTs, and `me` (who is calling, with what rights).

use super::JsonBody;
use super::schema::{
    AuthenticateResponse, JwksResponse, MeResponse, MemberSession, SessionMember, SessionOrganization, SsoPermissions,
};
use crate::auth::{Action, Caller, permitted};
use crate::db::Member;
use crate::error::{AppError, Scheme, current_request_id};
use crate::startup::AppState;
use crate::tokens::{self, Subject};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use samlkit::{Code, Issue};
use serde::Deserialize;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/b2b/sessions/authenticate", post(authenticate))
        .route("/v1/b2b/sessions/jwks/{project_id}", get(jwks))
        .route("/v1/b2b/sessions/me", get(me))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthenticateRequest {
    #[serde(default)]
    session_token: Option<String>,
    #[serde(default)]
    session_jwt: Option<String>,
    /// Accepted for compatibility; sessions here do not expire, and JWTs always last five minutes.
    #[serde(default)]
    #[allow(dead_code)]
    session_duration_minutes: Option<u32>,
    /// Must be absent or empty: custom claims are not kept.
    #[serde(default)]
    session_custom_claims: Option<serde_json::Map<String, Value>>,
    /// Refuses with 403 unless the member may take `action` on `resource_id` in `organization_id`.
    #[serde(default)]
    authorization_check: Option<AuthorizationCheck>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthorizationCheck {
    organization_id: String,
    resource_id: String,
    action: String,
}

fn invalid(path: &str, message: &str) -> AppError {
    AppError::Invalid {
        message: message.to_owned(),
        issues: vec![Issue::with_message(Code::RequestInvalid, path, message)],
    }
}

#[utoipa::path(post, path = "/v1/b2b/sessions/authenticate", tag = "sessions", request_body = AuthenticateRequest,
    responses((status = 200, description = "The session, with a fresh session JWT", body = AuthenticateResponse),
        (status = 400, description = "Neither or both of session_token and session_jwt", body = super::schema::ErrorBody),
        (status = 401, description = "No valid credentials, or the session is not valid", body = super::schema::ErrorBody),
        (status = 403, description = "The authorization check failed", body = super::schema::ErrorBody)))]
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<AuthenticateRequest>,
) -> Result<Response, AppError> {
    if body.session_custom_claims.as_ref().is_some_and(|c| !c.is_empty()) {
        return Err(invalid(
            "/session_custom_claims",
            "Custom session claims are not kept by this server.",
        ));
    }
    let not_valid = |what: &'static str| AppError::Unauthorized {
        scheme: Scheme::MemberSession,
        reason: what,
    };
    let (member, session_id, session_token) = match (&body.session_token, &body.session_jwt) {
        (Some(token), None) => {
            let member = state
                .store
                .member_by_token(token)
                .await?
                .ok_or_else(|| not_valid("The session_token is not a valid member session."))?;
            (member, tokens::session_id_of(token), token.clone())
        }
        (None, Some(jwt)) => match state.tokens.verify(jwt) {
            Some(Subject::Session { member_id, session_id }) => {
                let member = state
                    .store
                    .member_by_id(&member_id)
                    .await?
                    .ok_or_else(|| not_valid("The session_jwt names a member that no longer exists."))?;
                // The token itself is never stored, so it cannot be given back.
                (member, session_id, String::new())
            }
            _ => {
                return Err(not_valid(
                    "The session_jwt is not valid (expired, or not signed by this server).",
                ));
            }
        },
        _ => return Err(invalid("", "Send exactly one of session_token and session_jwt.")),
    };
    // A member may authenticate only its own session; the project any.
    if let Caller::Member(m) = &caller
        && m.member_id != member.member_id
    {
        return Err(not_valid("The session belongs to another member than the caller."));
    }
    if let Some(check) = &body.authorization_check {
        let action = [Action::Create, Action::Read, Action::Update, Action::Delete]
            .into_iter()
            .find(|a| a.as_str() == check.action);
        let allowed = check.resource_id == "stytch.sso"
            && check.organization_id == member.organization_id
            && action.is_some_and(|a| permitted(&member.role).contains(&a));
        if !allowed {
            return Err(AppError::Forbidden {
                action: if action.is_some() { "requested" } else { "unknown" },
            });
        }
    }
    let (started_at, organization_name) = state
        .store
        .member_context(&member.member_id)
        .await?
        .ok_or_else(|| not_valid("The session's member no longer exists."))?;
    let now = tokens::unix_now();
    let session_jwt = state.tokens.session_jwt(&member, &session_id, &started_at, now);
    let body = AuthenticateResponse {
        member_session: MemberSession {
            member_session_id: session_id,
            member_id: member.member_id.clone(),
            organization_id: member.organization_id.clone(),
            organization_slug: member.organization_id.clone(),
            started_at,
            last_accessed_at: samlkit::Timestamp(now).to_iso(),
            expires_at: samlkit::Timestamp(now + tokens::SESSION_JWT_SECONDS).to_iso(),
            authentication_factors: vec![],
            roles: vec![member.role.clone()],
            custom_claims: serde_json::Map::new(),
        },
        member: SessionMember::of(&member),
        organization: SessionOrganization {
            organization_slug: member.organization_id.clone(),
            organization_id: member.organization_id,
            organization_name,
        },
        session_token,
        session_jwt,
        request_id: current_request_id(),
        status_code: 200,
    };
    Ok(Json(body).into_response())
}

#[utoipa::path(get, path = "/v1/b2b/sessions/jwks/{project_id}", tag = "sessions",
    params(("project_id" = String, Path)),
    responses((status = 200, description = "The public keys that verify session JWTs (no credentials needed)", body = JwksResponse),
        (status = 404, description = "Another project", body = super::schema::ErrorBody)))]
pub(crate) async fn jwks(State(state): State<AppState>, Path(project_id): Path<String>) -> Result<Response, AppError> {
    if project_id != state.tokens.project_id() {
        return Err(AppError::NotFound { what: "project" });
    }
    let keys = state.tokens.jwks()["keys"].clone();
    let body = JwksResponse {
        keys: serde_json::from_value(keys).map_err(AppError::internal)?,
        request_id: current_request_id(),
        status_code: 200,
    };
    Ok(Json(body).into_response())
}

#[utoipa::path(get, path = "/v1/b2b/sessions/me", tag = "sessions",
    responses((status = 200, description = "The caller and its permitted actions on sso", body = MeResponse),
        (status = 401, description = "No valid token", body = super::schema::ErrorBody)))]
pub(crate) async fn me(caller: Caller) -> Result<Response, AppError> {
    let actions = |actions: &[Action]| actions.iter().map(|a| a.as_str().to_owned()).collect();
    let all = [Action::Create, Action::Read, Action::Update, Action::Delete];
    let body = match caller {
        Caller::Member(m) => MeResponse {
            permissions: SsoPermissions {
                sso: actions(permitted(&m.role)),
            },
            member_id: Some(m.member_id),
            // An API client has no email.
            email: Some(m.email).filter(|e| !e.is_empty()),
            organization_id: Some(m.organization_id),
            role: m.role,
            request_id: current_request_id(),
            status_code: 200,
        },
        Caller::Project => MeResponse {
            member_id: None,
            email: None,
            organization_id: None,
            role: "project".into(),
            permissions: SsoPermissions { sso: actions(&all) },
            request_id: current_request_id(),
            status_code: 200,
        },
    };
    Ok(Json(body).into_response())
}

impl SessionMember {
    fn of(member: &Member) -> SessionMember {
        SessionMember {
            member_id: member.member_id.clone(),
            organization_id: member.organization_id.clone(),
            email_address: member.email.clone(),
            status: "active".into(),
            name: String::new(),
            roles: vec![super::schema::MemberRole {
                role_id: member.role.clone(),
            }],
        }
    }
}
