//! Who is calling, and what they may do on the `sso` resource.

use crate::db::Member;
use crate::error::AppError;
use crate::startup::AppState;
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

/// The actions each member role may take on `sso`.
pub fn permitted(role: &str) -> &'static [Action] {
    match role {
        "admin" => &[Action::Create, Action::Read, Action::Update, Action::Delete],
        "viewer" => &[Action::Read],
        _ => &[],
    }
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

/// The password of HTTP Basic credentials (`base64(user:password)`).
fn basic_password(credentials: &str) -> Option<String> {
    use base64ct::{Base64, Encoding};
    let decoded = Base64::decode_vec(credentials).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(_, password)| password.to_owned())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        // Stytch's shape: a member session header next to project credentials.
        let token = match (header("x-stytch-member-session"), header(AUTHORIZATION.as_str())) {
            (Some(session), _) => session.to_owned(),
            (None, Some(auth)) => match auth.split_once(' ') {
                Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim().to_owned(),
                // Stytch's server-to-server form: `-u PROJECT_ID:SECRET`.
                Some((scheme, credentials)) if scheme.eq_ignore_ascii_case("basic") => {
                    basic_password(credentials.trim()).ok_or(AppError::Unauthorized)?
                }
                _ => return Err(AppError::Unauthorized),
            },
            (None, None) => return Err(AppError::Unauthorized),
        };
        if let Some(secret) = &state.config.secret_key
            && constant_time_eq(secret.as_bytes(), token.as_bytes())
        {
            return Ok(Caller::Project);
        }
        match state.store.member_by_token(&token).await? {
            Some(member) => Ok(Caller::Member(member)),
            None => Err(AppError::Unauthorized),
        }
    }
}
