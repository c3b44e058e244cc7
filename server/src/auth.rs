//! Who is calling, and what they may do on the `sso` resource.

use crate::db::Member;
use crate::error::{AppError, Scheme};
use crate::startup::AppState;
use crate::tokens::Subject;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Read,
    Update,
    Delete,
}

impl Action {
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Read => "read",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// The roles of members and API clients, by what they may do on `sso`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Admin, Role::Viewer];

    /// The name stored with a member and shown by `sessions/me`.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    pub const fn actions(self) -> &'static [Action] {
        match self {
            Role::Admin => &[Action::Create, Action::Read, Action::Update, Action::Delete],
            Role::Viewer => &[Action::Read],
        }
    }
}

/// The actions a stored role may take on `sso` (none for a role this server does not know).
pub fn permitted(role: &str) -> &'static [Action] {
    Role::parse(role).map_or(&[], Role::actions)
}

#[derive(Debug, Clone)]
pub enum Caller {
    /// A member's session: one organization, the role's actions.
    Member(Member),
    /// The project secret key: every organization, every action.
    Project,
}

impl Caller {
    /// Another organization's resources answer 404, never 403: their existence is not disclosed.
    pub fn authorize(&self, organization_id: &str, action: Action) -> Result<(), AppError> {
        match self {
            Caller::Project => Ok(()),
            Caller::Member(m) if m.organization_id != organization_id => {
                Err(AppError::NotFound { what: "organization" })
            }
            Caller::Member(m) if !permitted(&m.role).contains(&action) => Err(AppError::Forbidden {
                action: action.as_str(),
            }),
            Caller::Member(_) => Ok(()),
        }
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn unauthorized(scheme: Scheme, reason: &'static str) -> AppError {
    AppError::Unauthorized { scheme, reason }
}

/// Whom the `Authorization` header names.
enum Authorization {
    Project,
    Member(Member),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    /// Fails closed: every credential sent must be valid, and a header that
    /// authorizes a member (Stytch's `X-Stytch-Member-Session` or
    /// `X-Stytch-Member-SessionJWT`) is never ignored. Project credentials with a
    /// member's session act with that member's rights, as Stytch's do.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = |name: &str| parts.headers.get(name).map(|v| v.to_str().map(str::trim).unwrap_or(""));
        let authorization = match header(AUTHORIZATION.as_str()) {
            None => None,
            Some(value) => Some(authorization(value, state).await?),
        };
        let by_token = match header("x-stytch-member-session") {
            None => None,
            Some(token) => Some(state.store.member_by_token(token).await?.ok_or_else(|| {
                unauthorized(
                    Scheme::MemberSession,
                    "The X-Stytch-Member-Session token is not a valid member session.",
                )
            })?),
        };
        let by_jwt = match header("x-stytch-member-sessionjwt") {
            None => None,
            Some(jwt) => Some(caller_by_jwt(jwt, false, state).await?.ok_or_else(|| {
                unauthorized(
                    Scheme::MemberSession,
                    "The X-Stytch-Member-SessionJWT is not a valid session JWT of this project (expired, or not signed by this server).",
                )
            })?),
        };
        let session = match (by_token, by_jwt) {
            (Some(a), Some(b)) if a.member_id != b.member_id => {
                return Err(unauthorized(
                    Scheme::MemberSession,
                    "X-Stytch-Member-Session and X-Stytch-Member-SessionJWT name different members.",
                ));
            }
            (a, b) => a.or(b),
        };
        match (authorization, session) {
            (None, None) => Err(unauthorized(
                Scheme::None,
                "Credentials are required: Authorization: Bearer <session token>, or project credentials.",
            )),
            (Some(Authorization::Project), None) => Ok(Caller::Project),
            (Some(Authorization::Member(m)), None) | (None | Some(Authorization::Project), Some(m)) => {
                Ok(Caller::Member(m))
            }
            (Some(Authorization::Member(a)), Some(b)) if a.member_id == b.member_id => Ok(Caller::Member(a)),
            (Some(Authorization::Member(_)), Some(_)) => Err(unauthorized(
                Scheme::MemberSession,
                "The bearer token and the member session headers name different members.",
            )),
        }
    }
}

/// Whom a JWT of this server names, if it verifies and they still exist: a
/// member's session JWT, or (with `clients`) an API client's access token.
async fn caller_by_jwt(jwt: &str, clients: bool, state: &AppState) -> Result<Option<Member>, AppError> {
    Ok(match state.tokens.verify(jwt) {
        Some(Subject::Session { member_id, .. }) => state.store.member_by_id(&member_id).await?,
        Some(Subject::Client { client_id }) if clients => state.store.api_client(&client_id, None).await?,
        _ => None,
    })
}

/// Reads an `Authorization` header: `Bearer <member session token | session JWT |
/// access token | project secret>` or `Basic base64(PROJECT_ID:SECRET)`.
async fn authorization(value: &str, state: &AppState) -> Result<Authorization, AppError> {
    let secret = state.config.secret_key.as_deref();
    let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
    let credentials = credentials.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        if secret.is_some_and(|s| constant_time_eq(s.as_bytes(), credentials.as_bytes())) {
            return Ok(Authorization::Project);
        }
        if crate::tokens::looks_like_jwt(credentials) {
            // A member's session JWT or an API client's access token.
            let caller = caller_by_jwt(credentials, true, state).await?;
            return caller.map(Authorization::Member).ok_or_else(|| {
                unauthorized(
                    Scheme::Bearer,
                    "The Bearer JWT is not valid for this project (expired, or not signed by this server).",
                )
            });
        }
        return match state.store.member_by_token(credentials).await? {
            Some(member) => Ok(Authorization::Member(member)),
            None => Err(unauthorized(
                Scheme::Bearer,
                "The Bearer token is neither a valid member session token nor the project secret.",
            )),
        };
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let invalid = || {
            unauthorized(
                Scheme::Basic,
                "The Basic credentials must be the project ID as the user name and the project secret as the password.",
            )
        };
        let (user, password) = basic_credentials(credentials).ok_or_else(invalid)?;
        let (Some(project_id), Some(secret)) = (state.config.project_id.as_deref(), secret) else {
            return Err(unauthorized(
                Scheme::Basic,
                "Basic credentials are not enabled on this server (no project ID and secret are configured).",
            ));
        };
        // A member's session token is never a Basic password: only the project secret is.
        if user == project_id && constant_time_eq(secret.as_bytes(), password.as_bytes()) {
            return Ok(Authorization::Project);
        }
        return Err(invalid());
    }
    Err(unauthorized(
        Scheme::Other,
        "The Authorization scheme is not supported; use Bearer or Basic.",
    ))
}

/// The user name and password of HTTP Basic credentials (`base64(user:password)`).
pub(crate) fn basic_credentials(credentials: &str) -> Option<(String, String)> {
    use base64ct::{Base64, Encoding};
    let decoded = Base64::decode_vec(credentials).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(u, p)| (u.to_owned(), p.to_owned()))
}
